"""Benchmarks: `make bench` runs them on a throwaway SQLite database (or DATABASE_URL) and writes
docs/benchmarks.md. Targets are stated next to each measurement; nothing here is a unit test."""

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bootstrap import ROOT  # (bench/bootstrap.py: paths, settings, Django set up)

# isort: split

import events as events_bench
import metrics as metrics_bench
import sections
import statistics_import
from django.core.management import call_command
from django.db import connection
from django.test import Client

from atclusters.registry.demo import demo_load
from atclusters.registry.importers import importer_for


def timed(function, repeat: int = 1) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def table(rows: list[tuple[str, str, str]]) -> list[str]:
    return [
        "| what | measured | target |",
        "|---|---|---|",
        *[f"| {what} | {value} | {target} |" for what, value, target in rows],
        "",
    ]


def organisations_csv(count: int) -> bytes:
    lines = ["slug,name,type,country,size_class,employees,nace,nuts_code"]
    lines += [
        f"bench-{i},Bench Company {i},sme,ES,small,{10 + i % 40},10.11,ES111" for i in range(count)
    ]
    return ("\n".join(lines) + "\n").encode()


POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
WEBSITE_TARGETS = {
    "directory with two filters": "p95 < 150 ms",
    "cluster profile": "p95 < 100 ms",
    "home": "—",
    "map data (regions, gzip)": "—",
}


def script_run(script: str, environment: dict[str, str]) -> dict:
    """A bench script in its own process (it needs its own database settings)."""
    with tempfile.TemporaryDirectory(prefix="atclusters-bench-") as folder:
        out = Path(folder) / "out.json"
        inherited = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env = {**inherited, "ATCLUSTERS_VAR_DIR": folder, **environment}
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / script), str(out)], check=True, env=env
        )
        return json.loads(out.read_text(encoding="utf-8"))


def script_on_postgres(script: str) -> dict | None:
    """The same run on a throwaway PostgreSQL database, when a server answers."""
    import psycopg

    name = f"atclusters_bench_{os.getpid()}"
    try:
        admin = psycopg.connect(POSTGRES, autocommit=True)
    except psycopg.OperationalError:
        return None
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            return script_run(script, {"DATABASE_URL": POSTGRES.rsplit("/", 1)[0] + f"/{name}"})
        finally:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def both_databases(script: str) -> list[dict]:
    return [run for run in (script_run(script, {}), script_on_postgres(script)) if run]


MAPPING_TARGETS = {"region portfolio": "p95 < 200 ms", "category map (NUTS 2)": "p95 < 200 ms"}


def cluster_mapping_section() -> list[str]:
    runs = both_databases("cluster_mapping.py")
    first = runs[0]
    header = " | ".join(run["database"] for run in runs)
    lines = [
        f"## Cluster mapping ({first['observations']:,} observations: 1,500 regions × 88 NACE "
        f"divisions and totals × 20 years; {first['ratings']:,} stored ratings in 51 categories)",
        "",
        "`bench/cluster_mapping.py`: the worker's job (`services.ratings_compute`: read, rate "
        "every year and level, store), then 100 page requests each, read from the stored "
        "results. Generating the data took "
        + ", ".join(f"{run['generated_seconds']:.0f} s on {run['database']}" for run in runs)
        + ".",
        "",
        f"| what | {header} | target |",
        "|---|" + "---|" * len(runs) + "---|",
        "| compute and store all ratings | "
        + " | ".join(f"{run['compute_seconds']:.1f} s" for run in runs)
        + " | < 30 s |",
        "| recompute (replacing the stored rows) | "
        + " | ".join(f"{run['recompute_seconds']:.1f} s" for run in runs)
        + " | < 30 s |",
        "| peak memory of the computation (RSS) | "
        + " | ".join(f"{run['compute_peak_rss_mb']:.0f} MB" for run in runs)
        + " | — |",
    ]
    for page, target in MAPPING_TARGETS.items():
        cells = " | ".join(
            f"median {run['pages'][page]['median'] * 1000:.0f} / p95 "
            f"{run['pages'][page]['p95'] * 1000:.0f} ms"
            for run in runs
        )
        lines.append(f"| {page} | {cells} | {target} |")
    return [*lines, ""]


STATEAID_TARGETS = {
    "check": ("pre-grant check (group, window, caps)", "p95 < 50 ms"),
    "record": ("check and record a grant (one transaction)", "p95 < 100 ms"),
    "page": ("undertaking page (headroom, timeline, history)", "p95 < 300 ms"),
}


def timing_section(
    title: str, description: str, runs: list[dict], targets: dict[str, tuple[str, str]]
) -> list[str]:
    """A section with one median / p95 column per database run and a row per measurement."""
    header = " | ".join(f"{run['database']} median / p95" for run in runs)
    lines = [
        title,
        "",
        description
        + " Generating the data took "
        + ", ".join(f"{run['generated_seconds']:.0f} s on {run['database']}" for run in runs)
        + ".",
        "",
        f"| what | {header} | target |",
        "|---|" + "---|" * len(runs) + "---|",
    ]
    for key, (what, target) in targets.items():
        cells = " | ".join(
            f"{run[key]['median'] * 1000:.0f} / {run[key]['p95'] * 1000:.0f} ms" for run in runs
        )
        lines.append(f"| {what} | {cells} | {target} |")
    return lines


def stateaid_section() -> list[str]:
    runs = both_databases("stateaid.py")
    lines = timing_section(
        f"## State aid register ({runs[0]['grants']:,} grants, 100,000 undertakings, "
        "30,000 links in groups of 2–5)",
        "`bench/stateaid.py`: 200 checks and 200 recorded grants for random undertakings on one "
        "day, 50 undertaking pages, a 10,000-row grant import (validated, recorded one by one "
        "under the register lock, then checked for ceilings).",
        runs,
        STATEAID_TARGETS,
    )
    cells = " | ".join(f"{run['import_seconds']:.1f} s" for run in runs)
    return [*lines, f"| import 10,000 historical grants | {cells} | < 60 s |", ""]


BENCHMARKING_TARGETS = {
    "comparison": (
        "a cluster's first comparison (seven groups released and checked)",
        "p95 < 1 s",
    ),
    "again": ("the same comparison again (groups as released)", "p95 < 500 ms"),
    "picked": ("a hand-picked group of 40 first shown", "p95 < 1 s"),
    "page": ("peer comparison page", "p95 < 1 s"),
    "pdf": ("characterization report as PDF", "p95 < 3 s"),
}


def benchmarking_section() -> list[str]:
    runs = both_databases("benchmarking.py")
    lines = timing_section(
        f"## Cluster benchmarking ({runs[0]['submissions']:,} clusters with validated answers)",
        "`bench/benchmarking.py`: the website bench's 2,000 clusters, each with validated answers "
        "to the default framework for 2025; 100 clusters' first comparisons in the country "
        "group (each releases the cluster's seven standard groups, checked against every group "
        "shown before), the same 100 again, ten hand-picked groups of 40 first shown, 30 "
        "comparison pages, 10 PDF reports.",
        runs,
        BENCHMARKING_TARGETS,
    )
    shown = ", ".join(f"{run['groups_shown']:,} on {run['database']}" for run in runs)
    return [*lines, "", f"Groups shown and remembered at the end: {shown}.", ""]


SERVICES_TARGETS = {
    "page": ("public catalogue page (50 of 2,000 services, JSON-LD)", "p95 < 150 ms"),
    "filtered": ("catalogue filtered by category and language", "p95 < 150 ms"),
    "api": ("API catalogue (all 2,000 services)", "—"),
    "deliver": ("subsidised delivery (aid checked and recorded, one transaction)", "—"),
}


def services_section() -> list[str]:
    runs = both_databases("services.py")
    return timing_section(
        f"## Services portfolio ({runs[0]['services']:,} services)",
        "`bench/services.py`: 2,000 services of 20 agencies and their 100 clusters, 10,000 "
        "members; 100 catalogue pages, 100 filtered pages, 20 API catalogues, 100 subsidised "
        "deliveries of accepted requests.",
        runs,
        SERVICES_TARGETS,
    )


def cooperation_section() -> list[str]:
    run = script_run("cooperation.py", {})
    meaning = script_run("cooperation.py", {"BENCH_SEMANTIC_MODEL": "wordllama"})
    return [
        "## Partner matching (5,000 clusters, 100,000 organisations)",
        "",
        "`bench/cooperation.py`: synthetic profiles in the pure matching module (clusters with two "
        "NACE classes, terms and a description in one of four languages about their ecosystem's "
        "topic and a NUTS 2 region of its country; organisations with one class, no description); "
        f"{run['meta_clusters']} meta-clusters found at threshold 0.3 "
        f"({meaning['meta_clusters']} with the semantic signal).",
        "",
        *table(
            [
                ("index build", f"{run['build_seconds']:.1f} s", "< 60 s"),
                (
                    "top-20 matches for one cluster, median / p95",
                    f"{run['query_median'] * 1000:.1f} / {run['query_p95'] * 1000:.1f} ms",
                    "p95 < 50 ms",
                ),
                (
                    "meta-cluster detection over 5,000 clusters",
                    f"{run['meta_cluster_seconds']:.1f} s",
                    "< 10 s",
                ),
                (
                    "regional question: NUTS 2 adjacency and division relatedness, added to "
                    "the index",
                    f"{run['regional_build_seconds']:.1f} s",
                    "< 60 s with the index",
                ),
                (
                    "top-20 matches, mode region, median / p95",
                    f"{run['region_query_median'] * 1000:.1f} / "
                    f"{run['region_query_p95'] * 1000:.1f} ms",
                    "p95 < 50 ms",
                ),
                (
                    "top-20 matches, mode any, median / p95",
                    f"{run['any_query_median'] * 1000:.1f} / {run['any_query_p95'] * 1000:.1f} ms",
                    "p95 < 50 ms",
                ),
                (
                    f"regional meta-clusters over 5,000 clusters ({run['regional_meta_clusters']} "
                    "groups)",
                    f"{run['regional_meta_cluster_seconds']:.1f} s",
                    "< 10 s",
                ),
                ("peak memory of the process", f"{run['peak_mb']:.0f} MB", "< 1,024 MB"),
                (
                    "with the semantic signal (wordllama): index build, model loaded",
                    f"{meaning['build_seconds']:.1f} s",
                    "< 60 s",
                ),
                (
                    "with the semantic signal: top-20 matches, median / p95",
                    f"{meaning['query_median'] * 1000:.1f} / {meaning['query_p95'] * 1000:.1f} ms",
                    "p95 < 50 ms",
                ),
                (
                    "with the semantic signal: meta-cluster detection",
                    f"{meaning['meta_cluster_seconds']:.1f} s",
                    "< 10 s",
                ),
                (
                    "with the semantic signal: peak memory",
                    f"{meaning['peak_mb']:.0f} MB",
                    "< 1,024 MB",
                ),
            ]
        ),
    ]


FACILITIES_TARGETS = {
    "month": ("availability of a room for a month with 5,000 bookings (API)", "p95 < 50 ms"),
    "week": ("the room's week page", "p95 < 300 ms"),
    "conflict": ("a refused booking with its next free slots", "p95 < 100 ms"),
}


def facilities_section() -> list[str]:
    runs = both_databases("facilities.py")
    lines = timing_section(
        "## Shared facilities (a room with 5,000 bookings in one month)",
        "`bench/facilities.py`: 50 requests each for the month's availability, the week page and "
        "a booking of a taken slot (answered with the next free slots); then 100 simultaneous "
        "attempts to book one free slot, from threads with their own connections (on PostgreSQL "
        "as many threads as the server has free connections, up to 100).",
        runs,
        FACILITIES_TARGETS,
    )
    cells = " | ".join(
        f"{run['race']['booked']} booked, {run['race']['conflicts']} conflicts, "
        f"{run['race']['errors']} errors ({run['race']['threads']} threads)"
        for run in runs
    )
    return [*lines, f"| 100 simultaneous attempts on one slot | {cells} | 1, 99, 0 |", ""]


EVENTS_TARGETS = {
    "programme": ("the programme page of a conference with 200 sessions", "p95 < 150 ms"),
    "check_in": ("a badge checked in at the door (page)", "p95 < 50 ms"),
}


def events_pages_section() -> list[str]:
    runs = both_databases("events_pages.py")
    return [
        *timing_section(
            "## Events pages (a conference with 200 sessions and 500 registrations)",
            "`bench/events_pages.py`: 50 requests of the programme page (8 rooms, 3 days, 60 "
            "speakers), then 50 badges checked in by an organiser, each a different one.",
            runs,
            EVENTS_TARGETS,
        ),
        "",
    ]


def per_database_row(what: str, runs: list[dict], cell, target: str) -> str:
    """A table row with one cell per database run."""
    return f"| {what} | " + " | ".join(cell(run) for run in runs) + f" | {target} |"


def per_database_header(runs: list[dict]) -> list[str]:
    header = " | ".join(run["database"] for run in runs)
    return [f"| what | {header} | target |", "|---|" + "---|" * len(runs) + "---|"]


def funding_section() -> list[str]:
    runs = both_databases("funding.py")
    cordis = runs[0]["cordis"]

    def imported(run: dict) -> str:
        linked = run["cordis"]["linked"]
        return (
            f"{run['cordis']['seconds']:.1f} s (linked: {linked['pic']:,} by PIC, "
            f"{linked['vat']:,} by VAT, {linked['name']:,} by name)"
        )

    return [
        f"## EU funding ({runs[0]['calls']:,} open calls; CORDIS import at a tenth of the "
        "issue's size)",
        "",
        "`bench/funding.py`: a cluster's ranked calls (50 queries after the index of open calls "
        f"is built), then a CORDIS import with linking of {cordis['projects']:,} projects and "
        f"{cordis['participations']:,} participations (2,000 registry organisations).",
        "",
        *per_database_header(runs),
        per_database_row(
            "building the index of the open calls", runs,
            lambda run: f"{run['index_build_s']:.1f} s", "—",
        ),
        per_database_row(
            "a cluster's ranked calls, median / p95", runs,
            lambda run: f"{run['ranked_calls_s']['median'] * 1000:.0f} / "
            f"{run['ranked_calls_s']['p95'] * 1000:.0f} ms",
            "p95 < 100 ms",
        ),
        per_database_row(
            "CORDIS import with linking (a tenth of 40,000 + 200,000)", runs, imported,
            "full size < 60 s",
        ),
        "",
    ]  # fmt: skip


def watch_section() -> list[str]:
    runs = both_databases("watch.py")
    first = runs[0]
    return [
        f"## Technology watch ({first['feeds']} feeds, {first['entries']:,} entries, "
        f"{first['topics']} topics)",
        "",
        "`bench/watch.py`: JSON feeds served by a local HTTP server, fetched by the worker's "
        "function (SSRF check, conditional GET, parsing, duplicates, scoring against the topics), "
        "a tenth of the entries copies of another feed's; then every source again, answered 304.",
        "",
        *per_database_header(runs),
        per_database_row(
            "items, duplicates, topic matches", runs,
            lambda run: f"{run['items']:,}, {run['duplicates']:,}, {run['matches']:,}", "—",
        ),
        per_database_row(
            "ingest", runs,
            lambda run: f"{run['ingest_seconds']:.0f} s ({run['entries_per_second']:,} entries/s)",
            "≥ 167 entries/s (100,000 in 10 min)",
        ),
        per_database_row(
            "every source again (304)", runs,
            lambda run: f"{run['not_modified_seconds']:.1f} s", "—",
        ),
        "",
    ]  # fmt: skip


def website_section() -> list[str]:
    runs = both_databases("website.py")
    counts = runs[0]["counts"]
    header = " | ".join(f"{run['database']} median / p95" for run in runs)
    lines = [
        f"## Public website ({counts['clusters']:,} published clusters, "
        f"{counts['organisations']:,} organisations, {counts['memberships']:,} memberships)",
        "",
        "Server time through the whole Django stack, 200 requests per page with varied filters",
        "and clusters (`bench/website.py`). Generating the data took "
        + ", ".join(f"{run['generated_seconds']:.0f} s on {run['database']}" for run in runs)
        + ".",
        "",
        f"| page | {header} | target |",
        "|---|" + "---|" * len(runs) + "---|",
    ]
    for page, target in WEBSITE_TARGETS.items():
        cells = " | ".join(
            f"{run['pages'][page]['median'] * 1000:.0f} / {run['pages'][page]['p95'] * 1000:.0f} ms"
            for run in runs
        )
        lines.append(f"| {page} | {cells} | {target} |")
    return [*lines, ""]


PAGE_CACHE_NOTE = "Pages for anonymous readers are kept by the page cache (`AnonymousPageCacheMiddleware`, docs/operations.md) after their first request: rows of 1 to 2 ms are answers from it. The website section's varied filters and clusters, and the Load section's signed-in rows, measure the rendering."


def main() -> None:
    call_command("migrate", verbosity=0)
    rows = []
    demo = timed(demo_load)[0]
    rows.append(("demo data load (81 clusters, ~2,000 members)", f"{demo:.1f} s", "< 60 s"))
    content = organisations_csv(2000)
    first = timed(lambda: importer_for("organisations", actor=None).run(content, "o.csv"))[0]
    rows.append(
        (
            "import 2,000 new organisations (CSV)",
            f"{first:.1f} s ({2000 / first:.0f} rows/s)",
            "< 60 s",
        )
    )
    again = timed(lambda: importer_for("organisations", actor=None).run(content, "o.csv"))[0]
    rows.append(("re-import the same 2,000 rows (no change)", f"{again:.1f} s", "< 60 s"))
    rows.extend(statistics_import.measure())
    export = timed(lambda: importer_for("organisations", actor=None).export("xlsx"))[0]
    rows.append(("export ~4,000 organisations (XLSX)", f"{export:.2f} s", "< 10 s"))
    client = Client()
    assert client.get("/en/clusters/").status_code == 200
    directory = timed(lambda: client.get("/en/clusters/"), repeat=20)
    rows.append(
        (
            "cluster directory page, median of 20",
            f"{statistics.median(directory) * 1000:.0f} ms",
            "< 300 ms",
        )
    )
    profile = timed(lambda: client.get("/en/clusters/clusaga/"), repeat=20)
    rows.append(
        (
            "cluster profile with 40 members, median of 20",
            f"{statistics.median(profile) * 1000:.0f} ms",
            "< 300 ms",
        )
    )
    api = timed(lambda: client.get("/api/v1/clusters?limit=100"), repeat=20)
    rows.append(
        (
            "API: list 81 clusters, median of 20",
            f"{statistics.median(api) * 1000:.0f} ms",
            "< 500 ms",
        )
    )

    database = connection.vendor
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — Python "
        f"{platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores.",
        "",
        f"## Platform ({database})",
        "",
        PAGE_CACHE_NOTE,
        "",
        *table(rows),
        *website_section(),
        *cluster_mapping_section(),
        *stateaid_section(),
        *benchmarking_section(),
        *services_section(),
        *cooperation_section(),
        *facilities_section(),
        *events_bench.section(),
        *events_pages_section(),
        *funding_section(),
        *watch_section(),
        # Written by `make loadtest` (bench/loadtest.py), kept as it is.
        *sections.section_kept(ROOT / "docs" / "benchmarks.md", sections.LOAD),
        *metrics_bench.section(),
    ]
    (ROOT / "docs" / "benchmarks.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
