"""Cluster mapping at scale (issue 5): the recomputation of every rating of 1,500 regions ×
51 categories × 20 years (target: under 30 s in the worker), and the region portfolio and
category map pages read from the stored results (target: p95 under 200 ms). Run by
bench/run.py once per database; on its own: `DATABASE_URL=… python bench/cluster_mapping.py
OUT.json` (SQLite in a temporary folder by default).

The dataset is generated: 1,500 NUTS 2021 regions of every level, the 88 NACE Rev. 2
divisions and the regions' totals over 20 years (2.7 million observations), and a scheme of 51
categories of one or two divisions each.
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

from atclusters.core.models import NaceActivity, NutsRegion
from atclusters.core.reference import reference_load
from atclusters.mapping import services
from atclusters.mapping.models import (
    Category,
    CategoryScheme,
    Dataset,
    Observation,
    RatingSet,
)

REGIONS = 1500
CATEGORIES = 51
YEARS = list(range(2001, 2021))
REQUESTS = 100


def generate(rng: random.Random) -> tuple[Dataset, int]:
    regions = list(
        NutsRegion.objects.filter(in_2021=True).order_by("code").values_list("code", flat=True)
    )[:REGIONS]
    divisions = list(
        NaceActivity.objects.filter(version="2", level=2)
        .order_by("code")
        .values_list("code", flat=True)
    )
    dataset = Dataset.objects.create(
        slug="bench-mapping", name="Bench", file_format="tidy-csv", revision=1
    )
    scheme = CategoryScheme.objects.create(slug="bench-51", name="Bench categories")
    doubles = len(divisions) - CATEGORIES
    groups = [divisions[2 * i : 2 * i + 2] for i in range(doubles)]
    groups += [[code] for code in divisions[2 * doubles :]]
    Category.objects.bulk_create(
        Category(scheme=scheme, code=f"c{i:02d}", name=f"Category {i}", industries=industries)
        for i, industries in enumerate(groups)
    )
    rows = []
    for region in regions:
        size = rng.uniform(0.5, 3.0)
        for year in YEARS:
            values = [rng.uniform(0, 1000) * size for _division in divisions]
            rows.append((dataset.pk, region, "TOTAL", year, "employment", sum(values), "", False))
            rows += [
                (dataset.pk, region, division, year, "employment", value, "", False)
                for division, value in zip(divisions, values, strict=True)
            ]
    services.insert_rows(Observation, services.OBSERVATION_COLUMNS, rows)
    return dataset, len(rows)


def peak_reset() -> None:
    """Linux: clears the process's peak resident memory (VmHWM), so that the next reading
    measures the computation and not the data generation before it."""
    Path("/proc/self/clear_refs").write_text("5")


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def measure_pages(rng: random.Random, regions: list[str]) -> dict[str, dict[str, float]]:
    client = Client()
    query = {"dataset": "bench-mapping", "categories": "bench-51"}
    pages = {
        "region portfolio": lambda: (
            f"/en/regions/{rng.choice(regions)}/portfolio/",
            {**query, "year": rng.choice(YEARS)},
        ),
        "category map (NUTS 2)": lambda: (
            f"/en/statistics/categories/c{rng.randrange(CATEGORIES):02d}/",
            {**query, "year": rng.choice(YEARS), "level": 2},
        ),
    }
    results = {}
    for name, request in pages.items():
        times = []
        for _ in range(REQUESTS):
            path, parameters = request()
            start = time.perf_counter()
            response = client.get(path, parameters)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, (path, parameters, response.status_code)
        results[name] = {"median": statistics.median(times), "p95": p95(times)}
    return results


def main(out: Path) -> None:
    call_command("migrate", verbosity=0)
    reference_load()
    started = time.perf_counter()
    with transaction.atomic():
        dataset, observations = generate(random.Random(2026))
    generated = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    rating_set = RatingSet.objects.create(dataset=dataset, scheme="bench-51")
    peak_reset()
    started = time.perf_counter()
    services.ratings_compute(rating_set)
    first = time.perf_counter() - started
    peak = peak_rss_mb()
    started = time.perf_counter()
    services.ratings_compute(rating_set)  # replaces the stored rows, as after a new import
    again = time.perf_counter() - started
    nuts2 = list(rating_set.ratings.filter(level=2).values_list("region", flat=True).distinct())
    out.write_text(
        json.dumps(
            {
                "database": connection.vendor,
                "generated_seconds": generated,
                "observations": observations,
                "ratings": rating_set.row_count,
                "compute_seconds": first,
                "recompute_seconds": again,
                "compute_peak_rss_mb": peak,
                "pages": measure_pages(random.Random(7), nuts2),
            }
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
