"""Demo partner-search postings (invented for illustration), published."""

from datetime import timedelta

from django.utils import timezone

from atclusters.cooperation import services
from atclusters.cooperation.models import Posting
from atclusters.core.models import NaceActivity
from atclusters.registry.models import ClusterOrganisation

POSTINGS = [
    ("clusaga", "request", "Partners for recyclable seafood packaging",
     "Galician canneries look for packaging and materials clusters to prepare a joint project "
     "on recyclable trays and cans for preserved fish.", ["10", "17", "22"], ["PT", "FR"], []),
    ("addict", "offer", "Creative industries for industrial storytelling",
     "Porto creative-industries firms offer video, design and digital content to industrial "
     "clusters that want to tell their story abroad.", ["59", "73", "90"], [], ["ES1"]),
]  # fmt: skip


def demo_postings_load() -> int:
    if Posting.objects.exists():
        return 0
    made = 0
    for slug, kind, title, description, divisions, countries, regions in POSTINGS:
        cluster = ClusterOrganisation.objects.filter(slug=slug).first()
        if cluster is None:
            continue
        services.posting_create(
            actor=None,
            author=cluster,
            data={
                "kind": kind, "title": title, "description": description, "language": "en",
                "target_countries": countries, "target_regions": regions,
                "deadline": timezone.localdate() + timedelta(days=90),
            },
            sectors=list(NaceActivity.objects.filter(code__in=divisions, version="2")),
            terms=list(cluster.ecosystems.all()),
        )  # fmt: skip
        made += 1
    return made


def domain_demo_load() -> list[str]:
    demo_postings_load()
    return []
