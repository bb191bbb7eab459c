"""Public website latency on a generated registry of 2,000 published clusters and 50,000 member
organisations (issue 3). Run by bench/run.py once per database; on its own:
`DATABASE_URL=… python bench/website.py OUT.json` (SQLite in a temporary folder by default).

Times are server time: the request goes through the whole Django stack (middleware, view,
template) in this process, without a network or a browser in between.
"""

import json
import random
import statistics
import sys
import time
from pathlib import Path

import bootstrap  # noqa: F401  (bench/bootstrap.py: paths, settings, Django set up)

# isort: split

from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

from atclusters.core.models import Agency, NaceActivity, NutsRegion, Term
from atclusters.core.reference import reference_load
from atclusters.registry.models import (
    ClusterOrganisation,
    Membership,
    Organisation,
)

CLUSTERS = 2000
ORGANISATIONS = 50000
REQUESTS = 200
COUNTRIES = ["ES", "PT", "FR", "IE"]
WORDS = [
    "marine",
    "food",
    "energy",
    "digital",
    "health",
    "textile",
    "wood",
    "mobility",
    "aero",
    "tourism",
    "water",
    "agro",
]


def generate(rng: random.Random) -> None:
    """Bulk-inserts the dataset: each organisation a member of one or two clusters."""
    regions = {
        country: list(NutsRegion.objects.filter(country_code=country, level=3, in_2021=True))
        for country in COUNTRIES
    }
    divisions = list(NaceActivity.objects.filter(version=NaceActivity.Version.REV2_1, level=2))
    ecosystems = list(Term.objects.filter(kind=Term.Kind.ECOSYSTEM))
    agencies = [
        Agency.objects.create(
            slug=f"bench-{country.lower()}", name=f"Agency {country}", country_id=country
        )
        for country in COUNTRIES
    ]
    clusters = []
    for number in range(CLUSTERS):
        index = number % len(COUNTRIES)
        country, region = COUNTRIES[index], rng.choice(regions[COUNTRIES[index]])
        word = rng.choice(WORDS)
        clusters.append(
            ClusterOrganisation(
                slug=f"bench-{number}",
                name=f"{word.title()} Cluster {number}",
                acronym=f"{word[:3].upper()}{number}",
                agency=agencies[index],
                country_id=country,
                nuts_region=region,
                city=region.name[:100],
                latitude=round(rng.uniform(37, 54), 5),
                longitude=round(rng.uniform(-10, 2), 5),
                status=ClusterOrganisation.Status.PUBLISHED,
                label=rng.choice(["", "", "bronze", "silver", "gold"]),
                description_en=f"<p>Cluster of the {word} industry in {region.name}.</p>" * 3,
                description_es=f"<p>Clúster de la industria {word} en {region.name}.</p>" * 3,
            )
        )
    ClusterOrganisation.objects.bulk_create(clusters, batch_size=500)
    clusters = list(ClusterOrganisation.objects.filter(slug__startswith="bench-"))
    sector_links = ClusterOrganisation.sectors.through
    sector_links.objects.bulk_create(
        sector_links(clusterorganisation=cluster, naceactivity=division)
        for cluster in clusters
        for division in rng.sample(divisions, 2)
    )
    ecosystem_links = ClusterOrganisation.ecosystems.through
    ecosystem_links.objects.bulk_create(
        ecosystem_links(clusterorganisation=cluster, term=rng.choice(ecosystems))
        for cluster in clusters
    )
    kinds = [kind for kind, _label in Organisation.Type.choices]
    sizes = [size for size, _label in Organisation.SizeClass.choices]
    Organisation.objects.bulk_create(
        (
            Organisation(
                slug=f"bench-org-{number}",
                name=f"Bench Organisation {number}",
                type=rng.choice(kinds),
                size_class=rng.choice(sizes),
                country_id=COUNTRIES[number % len(COUNTRIES)],
                nuts_region=rng.choice(regions[COUNTRIES[number % len(COUNTRIES)]]),
                is_fictitious=True,
            )
            for number in range(ORGANISATIONS)
        ),
        batch_size=2000,
    )
    organisations = Organisation.objects.filter(slug__startswith="bench-org-").values_list(
        "pk", flat=True
    )
    memberships = []
    for organisation in organisations:
        for cluster in rng.sample(clusters, rng.choice([1, 1, 2])):
            memberships.append(
                Membership(
                    organisation_id=organisation,
                    cluster=cluster,
                    since="2020-01-01",
                    listed_publicly=rng.random() < 0.85,
                )
            )
    Membership.objects.bulk_create(memberships, batch_size=5000)


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def directory_filters(rng: random.Random, ecosystems: list[str]) -> dict[str, str]:
    """Two of the directory's filters, combined as readers combine them (also bench/loadtest.py)."""
    two_filters = [
        lambda: {"country": rng.choice(COUNTRIES), "ecosystem": rng.choice(ecosystems)},
        lambda: {"country": rng.choice(COUNTRIES), "sector": f"{rng.randint(10, 33)}"},
        lambda: {"search": rng.choice(WORDS), "label": rng.choice(["bronze", "silver", "gold"])},
        lambda: {"region": rng.choice(["ES11", "PT11", "FRH0", "IE05"]), "min_members": "30"},
    ]
    return rng.choice(two_filters)()


def measure_pages(rng: random.Random) -> dict[str, dict[str, float]]:
    client = Client()
    ecosystems = list(Term.objects.filter(kind=Term.Kind.ECOSYSTEM).values_list("slug", flat=True))
    pages = {
        "directory with two filters": lambda: ("/en/clusters/", directory_filters(rng, ecosystems)),
        "cluster profile": lambda: (f"/en/clusters/bench-{rng.randrange(CLUSTERS)}/", {}),
        "home": lambda: ("/en/", {}),
        "map data (regions, gzip)": lambda: ("/map/regions.geojson", {}),
    }
    results = {}
    for name, request in pages.items():
        times = []
        for _ in range(REQUESTS):
            path, query = request()
            start = time.perf_counter()
            response = client.get(path, query, headers={"Accept-Encoding": "gzip"})
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, (path, query, response.status_code)
        results[name] = {"median": statistics.median(times), "p95": p95(times)}
    return results


def main(out: Path) -> None:
    call_command("migrate", verbosity=0)
    reference_load()
    started = time.perf_counter()
    with transaction.atomic():
        generate(random.Random(2026))
    generated = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    results = measure_pages(random.Random(7))
    counts = {
        "clusters": ClusterOrganisation.objects.count(),
        "organisations": Organisation.objects.count(),
        "memberships": Membership.objects.count(),
    }
    out.write_text(
        json.dumps(
            {
                "database": connection.vendor,
                "generated_seconds": generated,
                "counts": counts,
                "pages": results,
            }
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
