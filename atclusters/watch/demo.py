"""Demo watch, offline: the food cluster (CLUSAGA) and the creative industries cluster (ADDICT)
with their topics in the four watch modes, sources whose recorded feeds (data/demo/, fictitious
items) are read from files instead of being fetched, a few items curated and a sent bulletin;
the demo member representative subscribes to CLUSAGA's bulletins."""

from pathlib import Path

from django.contrib.auth.models import User

from atclusters.registry.models import ClusterOrganisation
from atclusters.watch import feeds, services
from atclusters.watch.models import Idea, Item, Source

DATA = Path(__file__).parent / "data" / "demo"

TOPICS = {
    "clusaga": [
        ("Preservation and shelf life", "technological",
         '"shelf life" OR preservation OR preserve OR "high pressure processing"\n'
         'conservación OR "vida útil"'),
        ("Packaging", "technological", "packaging OR trays OR envases OR embalagens"),
        ("Competitors' launches", "competitive", "launch OR launches OR lanza OR lança"),
        ("Markets and consumers", "commercial",
         "supermarkets OR consumers OR priced\nsupermercados OR consumidores"),
        ("Food law: labelling and packaging", "environmental",
         "reglamento OR regulation OR etiquetado OR labelling OR alérgenos OR allergens"),
    ],
    "addict": [
        ("Virtual production", "technological", '"produção virtual" OR "virtual production"'),
        ("Artificial intelligence in design", "technological",
         '"inteligência artificial" OR "artificial intelligence" OR "inteligencia artificial"'),
        ("Funding and international markets", "commercial",
         "financiamento OR internacionalização OR funding OR financiación"),
    ],
}  # fmt: skip
SOURCES = [
    ("clusaga", "Food technology news", "https://foodtech.demo.atclusters.invalid/feed.xml",
     "foodtech.xml"),
    ("clusaga", "Normativa alimentaria", "https://normativa.demo.atclusters.invalid/feed.json",
     "regulation.json"),
    ("addict", "Indústrias criativas", "https://criativas.demo.atclusters.invalid/atom.xml",
     "creative.xml"),
]  # fmt: skip


def domain_demo_load() -> list[str]:
    clusters = {c.slug: c for c in ClusterOrganisation.objects.filter(slug__in=TOPICS)}
    if len(clusters) < len(TOPICS) or Source.objects.filter(cluster__in=clusters.values()).exists():
        return []
    for slug, topics in TOPICS.items():
        for name, mode, query in topics:
            services.topic_save(
                actor=None, cluster=clusters[slug], name=name, mode=mode, query=query,
                source="demo",
            )  # fmt: skip
    services.topics_from_technology_fields(actor=None, cluster=clusters["clusaga"], source="demo")
    found = 0
    for slug, name, url, file in SOURCES:
        # Paused: the demo reads the recorded feed below and never fetches the address.
        row = services.source_add(
            actor=None, cluster=clusters[slug], name=name, url=url, interval_hours=24,
            source="demo",
        )  # fmt: skip
        services.source_set_active(actor=None, source_row=row, active=False, source="demo")
        feed = feeds.parse((DATA / file).read_bytes())
        found += len(
            services.items_ingest(actor=None, source_row=row, feed=feed, origin="demo").new
        )
    _curate(clusters["clusaga"])
    return [
        f"Watch: {found} items from {len(SOURCES)} recorded feeds, topics of CLUSAGA and ADDICT."
    ]


def _curate(cluster: ClusterOrganisation) -> None:
    manager = cluster.managers.order_by("pk").first()
    items = list(Item.objects.filter(cluster=cluster).order_by("-relevance", "pk"))
    for rank, item in enumerate(items):
        status = Item.Status.REJECTED if rank == len(items) - 1 else Item.Status.VALIDATED
        services.item_curate(
            actor=None, item=item, status=status, rating=max(1, 5 - rank) if rank < 4 else 0,
            source="demo",
        )  # fmt: skip
    validated = [item for item in items if item.status == Item.Status.VALIDATED]
    if manager is not None and validated:
        services.comment_add(
            actor=manager, item=validated[0],
            body="<p>Worth a <strong>briefing</strong> for the seafood processors.</p>",
            source="demo",
        )  # fmt: skip
    bulletin = services.bulletin_create(
        actor=None, cluster=cluster, title="Food technology watch, week 49",
        notes="Shelf life, packaging rules and a new competitor on the shelves.",
        items=validated[:5], source="demo",
    )  # fmt: skip
    services.bulletin_send(actor=None, bulletin=bulletin, source="demo")
    if validated:
        services.idea_create(
            actor=None, item=validated[0], title="A shared pilot line for the cluster's canneries",
            description="Three members could share one pilot line and test it on their products.",
            stage=Idea.Stage.OPPORTUNITY, source="demo",
        )  # fmt: skip
    reader = User.objects.filter(username="member-rep").first()
    if reader is not None:
        services.subscription_set(
            actor=None, user=reader, cluster=cluster, subscribed=True, alerts=True,
            language="es", source="demo",
        )  # fmt: skip
