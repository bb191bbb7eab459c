"""The watch's ingest (issue 23): FEEDS feeds of ENTRIES entries each, served by a local HTTP
server, fetched by the worker's function (`services.sources_due`: SSRF check, conditional GET,
parsing, duplicates, scoring against TOPICS topics); a tenth of the entries are copies of
another feed's (same link with tracking parameters, or the same text under another link). Then
a second run, answered 304 by the server. With `--search N`: N more items written straight
into the table (a fifth in each of English, Spanish, Portuguese, French and no known language;
titles and summaries of 30 words from a 20,000-word vocabulary with a few common technology
words; found a second apart), then the inbox's first page searched for word, phrase and
exclusion queries, as the admin sees it. On its own: `DATABASE_URL=… python bench/watch.py
[OUT.json] [--feeds N --entries N] [--search N]` (SQLite in a temporary folder by default).
"""

import argparse
import json
import random
import statistics
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import bootstrap  # noqa: F401  (bench/bootstrap.py: paths, settings, Django set up)

# isort: split

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from atclusters.core.models import Agency
from atclusters.core.reference import reference_load
from atclusters.registry.models import ClusterOrganisation
from atclusters.watch import search as fulltext
from atclusters.watch import selectors, services
from atclusters.watch.models import Item, Match

# The local server is reached through the allow-list, as the tests do; no pause between
# requests to it (one host serves every feed here).
settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
settings.WATCH_HOST_INTERVAL_SECONDS = 0

TOPICS = 50
WORDS = [
    "sensor",
    "drone",
    "packaging",
    "hydrogen",
    "battery",
    "recycling",
    "robot",
    "vision",
    "laser",
    "coating",
    "polymer",
    "fermentation",
    "enzyme",
    "protein",
    "algae",
    "aquaculture",
    "solar",
    "wind",
    "grid",
    "storage",
    "textile",
    "fibre",
    "yarn",
    "printing",
    "ceramic",
    "glass",
    "steel",
    "alloy",
    "composite",
    "cement",
    "timber",
    "forest",
    "seed",
    "irrigation",
    "soil",
    "vaccine",
    "antibody",
    "genome",
    "imaging",
    "diagnosis",
    "wearable",
    "software",
    "cloud",
    "quantum",
    "chip",
    "antenna",
    "satellite",
    "radar",
    "lidar",
    "sonar",
    "turbine",
    "boiler",
    "pump",
    "valve",
    "bearing",
    "gear",
    "spring",
    "weld",
    "adhesive",
]


def feed_body(feed: int, entries: int) -> bytes:
    items = []
    for n in range(entries):
        if n % 10 == 9 and feed:  # a copy of an entry of the previous feed, tracked link
            link = f"http://news.example.org/{feed - 1}/{n - 1}?utm_source=feed{feed}"
            key = (feed - 1, n - 1)
        else:
            link = f"http://news.example.org/{feed}/{n}"
            key = (feed, n)
        draw = random.Random(hash(key))
        a, b, c = draw.sample(WORDS, 3)
        filler = " ".join(f"w{draw.randrange(20_000)}" for _ in range(25))
        items.append(
            {"id": f"{feed}-{n}", "url": link, "title": f"New {a} and {b} for {filler[:40]}",
             "summary": f"Companies test {a}, {b} and {c}: {filler}."}
        )  # fmt: skip
    return json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "language": "en", "items": items}
    ).encode()


def serve(bodies: dict[str, bytes]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.end_headers()
                return
            body = bodies[self.path]
            self.send_response(200)
            self.send_header("ETag", '"v1"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# The searches timed (the inbox's first page of 50, as the admin sees it): common and rarer
# words, in several languages, a phrase, an exclusion, two words.
SEARCHES = [
    "sensor", "drone", "packaging", "envases", "embalagens", "emballages", "w123",
    '"solar grid"', "hydrogen -battery", "laser coating", "riego", "w19999",
]  # fmt: skip
# Each language's own words for some of WORDS, so that its stemmer has work to do.
LANGUAGE_WORDS = {
    "en": ["packaging", "sensors", "irrigation", "vaccines"],
    "es": ["envases", "sensores", "riego", "vacunas"],
    "pt": ["embalagens", "sensores", "rega", "vacinas"],
    "fr": ["emballages", "capteurs", "irrigation", "vaccins"],
    "": ["packaging", "sensor", "drone", "vaccine"],
}


def items_write(cluster: ClusterOrganisation, source_id: int, count: int) -> tuple[float, float]:
    """`count` items written in batches straight into the table, as a bulk load is done: on
    PostgreSQL the full-text index dropped first and built again after (SQLite's FTS5
    triggers stay); returns the seconds writing and building the indexes."""
    draw = random.Random(23)
    languages = list(LANGUAGE_WORDS)
    now = timezone.now()
    postgres = connection.vendor == "postgresql"
    started = time.perf_counter()
    batch = []
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute(f"DROP INDEX {fulltext.POSTGRES_INDEX}")
        for n in range(count):
            language = languages[n % len(languages)]
            words = [draw.choice(WORDS), draw.choice(LANGUAGE_WORDS[language])] + [
                f"w{draw.randrange(20_000)}" for _ in range(28)
            ]
            link = f"https://bench.example.org/{n}"
            batch.append((
                cluster.pk, source_id, link, link, f"{n:064x}", 0, " ".join(words[:8]),
                " ".join(words[8:]), "", language, now - timedelta(seconds=n), 0, "new", "[]",
            ))  # fmt: skip
            if len(batch) == 10_000 or n == count - 1:
                cursor.executemany(
                    "INSERT INTO watch_item (cluster_id, source_id, url, canonical_url, "
                    "content_hash, simhash, title, summary, text, language, found_at, "
                    "relevance, status, tags) VALUES "
                    "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    batch,
                )
                batch = []
        written = time.perf_counter()
        if postgres:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            cursor.execute(fulltext.postgres_index_sql())
        cursor.execute("ANALYZE watch_item" if postgres else "ANALYZE")
    return written - started, time.perf_counter() - written


def search_times(count: int) -> dict:
    """The searches over the table's items, each run five times; milliseconds."""
    admin = User.objects.filter(username="bench-watch").first() or User.objects.create_superuser(
        "bench-watch", "bench@example.org", "-"
    )
    times = []
    found = {}
    for _round in range(5):
        for words in SEARCHES:
            started = time.perf_counter()
            page = list(selectors.inbox(admin, selectors.InboxFilter(text=words))[:50])
            times.append((time.perf_counter() - started) * 1000)
            found[words] = len(page)
    times.sort()
    return {
        "search_items": count,
        "searches": len(times),
        "search_p50_ms": round(statistics.median(times), 1),
        "search_p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "search_max_ms": round(times[-1], 1),
        "search_first_page": found,
    }


def main(out: Path | None, feeds: int, entries: int, search: int = 0) -> dict:
    call_command("migrate", verbosity=0)
    reference_load()
    agency = Agency.objects.create(slug="bench-watch", name="Bench agency", country_id="ES")
    cluster = ClusterOrganisation.objects.create(
        slug="bench-watch", name="Bench cluster", agency=agency, country_id="ES",
        nuts_region_id="ES11",
    )  # fmt: skip
    for n in range(TOPICS):
        a, b = WORDS[n % len(WORDS)], WORDS[(n * 7 + 3) % len(WORDS)]
        services.topic_save(
            actor=None, cluster=cluster, name=f"Topic {n}", mode="technological",
            query=f"{a} OR {b}\n\"{a} and {b}\"", threshold=40, source="bench",
        )  # fmt: skip
    server = serve({f"/feed/{n}.json": feed_body(n, entries) for n in range(feeds)})
    port = server.server_address[1]
    settings.FETCH_ALLOWED_PORTS = [port]
    for n in range(feeds):
        services.source_add(
            actor=None, cluster=cluster, name=f"Feed {n}", url=f"http://127.0.0.1:{port}/feed/{n}.json",
            source="bench",
        )  # fmt: skip
    started = time.perf_counter()
    first = services.sources_due()
    ingest = time.perf_counter() - started
    started = time.perf_counter()  # each source again, now: the server answers 304
    for row, _report in first:
        services.source_fetch(source_row=row)
    again = time.perf_counter() - started
    server.shutdown()
    result = {
        "database": connection.vendor,
        "feeds": feeds,
        "entries": feeds * entries,
        "topics": TOPICS,
        "items": Item.objects.count(),
        "duplicates": sum(report.duplicates for _row, report in first),
        "matches": Match.objects.count(),
        "errors": sum(bool(report.error) for _row, report in first),
        "ingest_seconds": round(ingest, 2),
        "entries_per_second": round(feeds * entries / ingest),
        "not_modified_seconds": round(again, 2),
    }
    if search:
        write, index = items_write(cluster, first[0][0].pk, search)
        result["search_write_seconds"], result["search_index_seconds"] = round(write), round(index)
        result |= search_times(Item.objects.count())
    if out:
        out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--search", type=int, default=0, help="items written for the search")
    arguments = parser.parse_args()
    main(arguments.out, arguments.feeds, arguments.entries, arguments.search)
