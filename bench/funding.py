"""EU funding (issue 24): a cluster's ranked calls among 5,000 open topics (target p95 < 100 ms),
and a CORDIS import with linking (issue target: 40,000 projects and 200,000 participations in
< 60 s; measured here at a tenth, with the command line's limits). On its own:
`DATABASE_URL=… python bench/funding.py OUT.json` (SQLite in a temporary folder by default).
"""

import csv
import io
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import bootstrap  # noqa: F401  (bench/bootstrap.py: paths, settings, Django set up)

# isort: split

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from stateaid import percentiles, timed_each

from atclusters.core import tables
from atclusters.core.models import Agency, Term
from atclusters.core.reference import reference_load
from atclusters.funding import selectors, services
from atclusters.funding.models import Call
from atclusters.registry.models import ClusterOrganisation, Organisation

CALLS = 5_000
QUERIES = 50
PROJECTS = 4_000
PARTICIPATIONS = 20_000
NOW = datetime(2030, 1, 1, tzinfo=UTC)
WORDS = [
    "food",
    "processing",
    "seafood",
    "dairy",
    "canning",
    "packaging",
    "logistics",
    "digital",
    "twin",
    "robotics",
    "energy",
    "hydrogen",
    "batteries",
    "textile",
    "fashion",
    "design",
    "tourism",
    "heritage",
    "health",
    "biotech",
    "aquaculture",
    "wind",
    "offshore",
    "marine",
    "plastics",
    "recycling",
    "circular",
    "water",
    "agriculture",
    "forestry",
    "wood",
]


def calls_generate(rng: random.Random) -> None:
    terms = list(Term.objects.exclude(kind="network"))
    deadline = NOW + timedelta(days=90)
    rows = []
    for number in range(CALLS):
        words = rng.sample(WORDS, 12)
        rows.append(
            Call(identifier=f"BENCH-{number:05d}", programme="Horizon Europe",
                 title=" ".join(words[:5]), description=" ".join(words), keywords=words[:3],
                 deadlines=[deadline.isoformat()], deadline_at=deadline, source="portal")
        )  # fmt: skip
    created = Call.objects.bulk_create(rows, batch_size=1000)
    through = Call.terms.through
    through.objects.bulk_create(
        [through(call_id=call.pk, term_id=rng.choice(terms).pk) for call in created],
        batch_size=2000,
    )


def clusters_generate(rng: random.Random) -> list[ClusterOrganisation]:
    agency = Agency.objects.create(slug="bench-funding", name="Bench agency", country_id="ES")
    clusters = []
    ecosystems = list(Term.objects.filter(kind="ecosystem"))
    for number in range(20):
        cluster = ClusterOrganisation.objects.create(
            slug=f"bench-cluster-{number}", name=f"Bench cluster {number}", agency=agency,
            country_id="ES", status="published",
            description_en=" ".join(rng.sample(WORDS, 15)),
        )  # fmt: skip
        cluster.ecosystems.add(rng.choice(ecosystems))
        clusters.append(cluster)
    return clusters


def _csv(columns: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode()


def cordis_files(rng: random.Random) -> tuple[bytes, bytes]:
    organisations = [
        Organisation(slug=f"bench-org-{n}", name=f"Bench Organisation {n} SL", type="sme",
                     country_id="ES", pic=str(900_000_000 + n) if n % 2 else "")
        for n in range(2_000)
    ]  # fmt: skip
    Organisation.objects.bulk_create(organisations, batch_size=1000)
    projects = [
        [str(100_000 + n), f"P{n}", f"Project {n}", "2024-01-01", "2027-12-31", "1000000",
         "HORIZON"]
        for n in range(PROJECTS)
    ]  # fmt: skip
    participations = []
    for n in range(PARTICIPATIONS):
        # Each round of projects draws from its own 600 organisations: one PIC per project once.
        org = (n // PROJECTS) * 600 + rng.randrange(600)  # a third are not in the registry
        participations.append(
            [str(100_000 + n % PROJECTS), str(900_000_000 + org), f"Bench Organisation {org} SL",
             "ES", "coordinator" if n < PROJECTS else "participant", "100000"]
        )  # fmt: skip
    return (
        _csv(["id", "acronym", "title", "startDate", "endDate", "ecMaxContribution",
              "frameworkProgramme"], projects),
        _csv(["projectID", "organisationID", "name", "country", "role", "ecContribution"],
             participations),
    )  # fmt: skip


def main(out: Path) -> None:
    call_command("migrate", verbosity=0)
    reference_load()
    rng = random.Random(24)
    calls_generate(rng)
    clusters = clusters_generate(rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    started = time.perf_counter()
    selectors.ranked_calls(clusters[0], now=NOW)  # builds the index of the open calls
    build = time.perf_counter() - started
    ranked = timed_each(
        partial(selectors.ranked_calls, clusters[n % len(clusters)], now=NOW)
        for n in range(QUERIES)
    )
    projects, participations = cordis_files(rng)
    started, cpu = time.perf_counter(), time.process_time()
    # The command line's limits (full CORDIS files), not an upload's.
    limits = tables.Limits(
        bytes=settings.FUNDING_CORDIS_MAX_BYTES, rows=settings.FUNDING_CORDIS_MAX_ROWS,
        columns=settings.IMPORT_MAX_COLUMNS, unpacked_bytes=settings.IMPORT_MAX_UNPACKED_BYTES,
    )  # fmt: skip
    result = services.cordis_import(
        actor=None, projects=projects, projects_name="project.csv",
        participants=participations, participants_name="organization.csv", source="bench",
        limits=limits,
    )  # fmt: skip
    imported, imported_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert result.ok, result.as_dict()["errors"][:3]
    document = {
        "database": connection.vendor,
        "calls": CALLS,
        "index_build_s": round(build, 3),
        "ranked_calls_s": percentiles(ranked),
        "cordis": {"projects": PROJECTS, "participations": PARTICIPATIONS,
                   "seconds": round(imported, 1),
                   # this process's CPU: on a shared machine, the clock counts the others' too
                   "cpu_seconds": round(imported_cpu, 1), "linked": result.linked},
    }  # fmt: skip
    out.write_text(json.dumps(document, indent=2))
    print(json.dumps(document, indent=2))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "funding-bench.json"))
