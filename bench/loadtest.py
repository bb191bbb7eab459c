"""Load, soak and fault runs against the platform as it is deployed (issue 26): `make loadtest`
(full sizes) or `make loadtest ARGS=--smoke` (a quick check of the harness). Writes the
"## Load" section of docs/benchmarks.md; docs/operations.md ("Load, soak and faults") tells an
operator how to reproduce it.

What runs, all on the loopback: a throwaway PostgreSQL database (BENCH_POSTGRES_URL, dropped at
the end) with the website bench's clusters and organisations, every cluster's benchmarking
answers and the state-aid bench's register (the generators of bench/website.py,
bench/benchmarking.py and bench/stateaid.py, at the sizes given); gunicorn as
deploy/atclusters-web.service runs it (sync workers, `--preload`, the variables of
deploy/atclusters.env.example: DEBUG off, behind a proxy that says HTTPS); two
`atclusters db_worker`.

The load generator is this script's own (asyncio streams, no dependency): gunicorn's sync
workers answer one request per connection, so a client library's connection pool buys nothing,
and locust would add gevent (monkeypatching the process that also holds Django) and a web UI
to the installs for what forty lines do. Each client sends its next request when the previous
answer has been read in full (a closed loop); the times are the client's: connect, send, read.
"""

import argparse
import asyncio
import gzip
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import sections

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
FULL = {"clusters": 2000, "organisations": 50_000, "grants": 1_000_000, "seconds": 20, "soak": 600}
SMOKE = {"clusters": 200, "organisations": 2000, "grants": 10_000, "seconds": 10, "soak": 30}
CONCURRENCY = (1, 8, 32)
# The mixed ramp (every database): readers and writers together, more clients at each step.
RAMP, SMOKE_RAMP = (1, 4, 16, 32, 64), (1, 4, 16)
RAMP_P95_SECONDS = 1.0  # beyond, a reader waits too long for a page: the database is not enough
SOAK_CLIENTS = 8
SAMPLE_SECONDS = 10
TIMEOUT_SECONDS = 60  # gunicorn's --timeout in the unit
CACHED, SIGNED_IN = "cached (anonymous)", "uncached (signed in)"
UNAVAILABLE = b"cannot reach its database"  # DatabaseUnavailableMiddleware's message
IMPORT_ROWS = 5000
IMPORT_APPLICATION = "atclusters-loadtest-import"  # PGAPPNAME: finds the import's backend


@dataclass(frozen=True)
class Endpoint:
    path: str  # CACHED or SIGNED_IN
    name: str
    request: Callable[[random.Random], tuple[str, str, bytes]]  # method, target, body
    headers: tuple[str, ...] = ()
    expected: tuple[int, ...] = (200,)  # any other status is an error


@dataclass(frozen=True)
class Answer:
    started: float
    seconds: float
    status: int  # 0: no answer (refused, reset, timed out)
    body: bytes  # kept only when the status is not 200, unpacked
    expected: bool = False


@dataclass
class Fixture:
    counts: dict[str, int]
    generated_seconds: float
    ecosystems: list[str]
    submissions: list[int]
    undertakings: int
    session: str
    token: str


def prepare(sizes: dict[str, int], rng: random.Random) -> Fixture:
    """Migrates the database in DATABASE_URL and fills it with the benches' generators."""
    import benchmarking  # imports bootstrap first: Django set up on this run's database
    import stateaid
    import website
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    from atclusters.benchmarking.models import Submission
    from atclusters.core.models import Term
    from atclusters.core.reference import reference_load
    from atclusters.core.services import api_token_create
    from atclusters.registry.models import ClusterOrganisation, Membership, Organisation
    from atclusters.stateaid.models import Grant

    call_command("migrate", verbosity=0)
    reference_load()
    website.CLUSTERS, website.ORGANISATIONS = sizes["clusters"], sizes["organisations"]
    stateaid.GRANTS = sizes["grants"]
    stateaid.UNDERTAKINGS = max(1000, sizes["grants"] // 10)  # the bench's ratio
    stateaid.GROUPS = stateaid.UNDERTAKINGS // 10
    started = time.perf_counter()
    benchmarking.generate(rng)  # the website's registry, then each cluster's validated answers
    stateaid.generate(rng)  # ends with ANALYZE
    generated = time.perf_counter() - started
    admin = User.objects.create_superuser(
        "loadtest", "loadtest@example.invalid", secrets.token_hex(16)
    )
    _token, raw = api_token_create(user=admin, name="loadtest")
    client = Client()
    client.force_login(admin)
    fixture = Fixture(
        counts={
            "clusters": ClusterOrganisation.objects.count(),
            "organisations": Organisation.objects.count(),
            "memberships": Membership.objects.count(),
            "grants": Grant.objects.count(),
            "answers": Submission.objects.count(),
        },
        generated_seconds=generated,
        ecosystems=list(
            Term.objects.filter(kind=Term.Kind.ECOSYSTEM).values_list("slug", flat=True)
        ),
        submissions=list(Submission.objects.order_by("?").values_list("pk", flat=True)[:50]),
        undertakings=stateaid.UNDERTAKINGS,
        session=f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
        token=raw,
    )
    connections.close_all()
    return fixture


def endpoints(fixture: Fixture, clusters: int) -> list[Endpoint]:
    from website import directory_filters

    def directory(rng: random.Random) -> tuple[str, str, bytes]:
        return "GET", "/en/clusters/?" + urlencode(directory_filters(rng, fixture.ecosystems)), b""

    def profile(rng: random.Random) -> tuple[str, str, bytes]:
        return "GET", f"/en/clusters/bench-{rng.randrange(clusters)}/", b""

    def api_list(rng: random.Random) -> tuple[str, str, bytes]:
        return (
            "GET",
            f"/api/v1/clusters?limit=100&offset={rng.randrange(clusters) // 100 * 100}",
            b"",
        )

    def comparison(rng: random.Random) -> tuple[str, str, bytes]:
        return "GET", f"/en/benchmarking/answers/{rng.choice(fixture.submissions)}/peers/", b""

    def check(rng: random.Random) -> tuple[str, str, bytes]:
        body = {
            "undertaking": f"U{rng.randrange(fixture.undertakings):06d}",
            "date": "2026-11-27",
            "amount": "1000",
            "member_state": "ES",
        }
        return "POST", "/api/v1/stateaid/check", json.dumps(body).encode()

    session = (f"Cookie: {fixture.session}",)
    token = (f"Authorization: Bearer {fixture.token}", "Content-Type: application/json")
    return [
        Endpoint(CACHED, "directory with two filters", directory),
        Endpoint(CACHED, "cluster profile", profile),
        Endpoint(CACHED, "API cluster list (100)", api_list),
        Endpoint(SIGNED_IN, "directory with two filters", directory, session),
        Endpoint(SIGNED_IN, "cluster profile", profile, session),
        Endpoint(SIGNED_IN, "API cluster list (100)", api_list, session),
        Endpoint(SIGNED_IN, "benchmarking comparison page", comparison, session),
        Endpoint(SIGNED_IN, "de minimis check (API, token)", check, token),
    ]


async def fetch(port: int, endpoint: Endpoint, rng: random.Random) -> Answer:
    """One request as nginx would pass it (deploy/nginx.conf: Host, X-Forwarded-*)."""
    method, target, body = endpoint.request(rng)
    head = [
        f"{method} {target} HTTP/1.1",
        "Host: 127.0.0.1",
        "Connection: close",
        "Accept-Encoding: gzip",
        "X-Forwarded-Proto: https",
        "X-Forwarded-For: 127.0.0.1",
        *endpoint.headers,
    ]
    if body:
        head.append(f"Content-Length: {len(body)}")
    started = time.perf_counter()
    try:
        async with asyncio.timeout(TIMEOUT_SECONDS):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
            data = await reader.read()  # to the end: the sync worker closes the connection
            writer.close()
    except (OSError, TimeoutError):
        return Answer(started, time.perf_counter() - started, 0, b"")
    seconds = time.perf_counter() - started
    header, _, content = data.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split(" ", 2)[1])
    except (IndexError, ValueError):
        return Answer(started, seconds, 0, b"")
    expected = status in endpoint.expected
    if status == 200:
        return Answer(started, seconds, status, b"", expected)
    if any(line.lower() == "content-encoding: gzip" for line in lines):
        content = gzip.decompress(content)
    return Answer(started, seconds, status, content, expected)


async def drive(
    port: int, choices: list[Endpoint], clients: int, seconds: float, seed: int
) -> tuple[list[tuple[Endpoint, Answer]], float]:
    """`clients` closed-loop clients, each picking its next endpoint among `choices`."""
    results: list[tuple[Endpoint, Answer]] = []
    started = time.perf_counter()
    deadline = started + seconds

    async def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        while time.perf_counter() < deadline:
            endpoint = rng.choice(choices)
            results.append((endpoint, await fetch(port, endpoint, rng)))

    await asyncio.gather(*(client(number) for number in range(clients)))
    return results, time.perf_counter() - started


def summary(answers: list[Answer], elapsed: float) -> dict:
    times = sorted(answer.seconds for answer in answers)
    cuts = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else times * 99
    return {
        "requests": len(answers),
        "per_second": len(answers) / elapsed,
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
        "errors": sum(not answer.expected for answer in answers),
        "statuses": dict(Counter(answer.status for answer in answers)),
    }


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def memory(pid: int) -> dict[str, float] | None:
    """MB: resident (RSS), proportional (PSS: shared pages split among their users) and unique
    (USS: what stopping the process would free). psutil reads the same file."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    kb = {line.split(":")[0]: int(line.split()[1]) for line in text.splitlines()[1:] if ":" in line}
    return {
        "rss": kb["Rss"] / 1024,
        "pss": kb["Pss"] / 1024,
        "uss": (kb["Private_Clean"] + kb["Private_Dirty"]) / 1024,
    }


def production_environment(database_url: str, folder: str, secret: str) -> dict[str, str]:
    """deploy/atclusters.env.example's variables, for this run's database, folder and host."""
    example = (ROOT / "deploy" / "atclusters.env.example").read_text(encoding="utf-8")
    values = dict(
        line.split("=", 1) for line in example.splitlines() if "=" in line and line[0] != "#"
    )
    values.update(
        SECRET_KEY=secret,
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="https://127.0.0.1",
        DATABASE_URL=database_url,
        ATCLUSTERS_VAR_DIR=folder,
        LOG_LEVEL="WARNING",
    )
    inherited = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")}
    return {**inherited, **values}


class Platform:
    """gunicorn and two db_workers, started and stopped by this run only."""

    def __init__(self, environment: dict[str, str], folder: Path):
        self.environment, self.folder = environment, folder
        self.web: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []
        self.port = 0

    def _spawn(self, command: list[str], log: str) -> subprocess.Popen:
        output = (self.folder / log).open("ab")
        return subprocess.Popen(
            command, env=self.environment, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )

    def start_web(self, workers: int) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.web = self._spawn(
            [str(BIN / "gunicorn"), "atclusters.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--timeout", str(TIMEOUT_SECONDS), "--preload"],
            "gunicorn.log",
        )  # fmt: skip
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    pass
                if len(children(self.web.pid)) == workers:
                    return
            except OSError:
                pass
            if self.web.poll() is not None:
                break
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not start: see {self.folder / 'gunicorn.log'}")

    def start_workers(self, count: int) -> None:
        self.workers = [
            self._spawn([str(BIN / "atclusters"), "db_worker", "--worker-id", f"loadtest-{n}"],
                        f"worker-{n}.log")
            for n in range(1, count + 1)
        ]  # fmt: skip

    def processes(self) -> list[tuple[str, int]]:
        assert self.web is not None
        return [
            ("web master", self.web.pid),
            *((f"web worker (pid {pid})", pid) for pid in children(self.web.pid)),
            *((f"db_worker {n}", worker.pid) for n, worker in enumerate(self.workers, start=1)),
        ]

    @staticmethod
    def _stop(process: subprocess.Popen) -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stop_web(self) -> None:
        if self.web is not None:
            self._stop(self.web)
            self.web = None

    def stop(self) -> None:
        self.stop_web()
        for worker in self.workers:
            self._stop(worker)


async def cells(platform: Platform, choices: list[Endpoint], seconds: float) -> list[dict]:
    rows = []
    for number, endpoint in enumerate(choices):
        # Untimed: each worker's first requests (imports done at load, but caches and
        # connections are not), and each comparison's groups released once, as for a reader
        # coming back.
        await drive(platform.port, [endpoint], 4, min(seconds, 3), seed=number)
        for clients in CONCURRENCY:
            answers, elapsed = await drive(platform.port, [endpoint], clients, seconds, number)
            row = summary([answer for _endpoint, answer in answers], elapsed)
            rows.append({"path": endpoint.path, "name": endpoint.name, "clients": clients, **row})
            print(f"{endpoint.path}, {endpoint.name}, {clients} clients: {row}", flush=True)
    return rows


async def soak(platform: Platform, choices: list[Endpoint], seconds: float) -> dict:
    """Every endpoint mixed at SOAK_CLIENTS clients, each process's memory every 10 s."""
    samples: dict[str, list[float]] = {}

    def sample() -> None:
        for label, pid in platform.processes():
            measured = memory(pid)
            if measured:
                samples.setdefault(label, []).append(measured["rss"])

    async def sampler() -> None:
        while True:
            sample()
            await asyncio.sleep(SAMPLE_SECONDS)

    task = asyncio.create_task(sampler())
    answers, elapsed = await drive(platform.port, choices, SOAK_CLIENTS, seconds, seed=99)
    task.cancel()
    sample()
    return {
        "seconds": elapsed,
        **summary([answer for _endpoint, answer in answers], elapsed),
        "memory": {
            label: {"start": rss[0], "end": rss[-1], "max": max(rss), "samples": len(rss)}
            for label, rss in samples.items()
        },
    }


async def postgres_restart(platform: Platform, choices: list[Endpoint], cluster: str) -> dict:
    """PostgreSQL restarted while SOAK_CLIENTS clients read and check: answers by status."""
    version, name = cluster.split("/")
    load = asyncio.create_task(drive(platform.port, choices, SOAK_CLIENTS, 30, seed=7))
    await asyncio.sleep(8)
    began = time.perf_counter()
    restart = await asyncio.create_subprocess_exec(
        "pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"
    )
    await restart.wait()
    back = time.perf_counter()
    answers, _elapsed = await load
    by_endpoint: dict[str, dict] = {}
    for endpoint, answer in answers:
        row = by_endpoint.setdefault(
            f"{endpoint.name} ({endpoint.path})",
            {"statuses": Counter(), "clear_503": 0, "first_200_after": None},
        )
        row["statuses"][answer.status] += 1
        api = endpoint.name.startswith(("API", "de minimis"))
        if answer.status == 503 and (
            (api and answer.body.startswith(b"{") and UNAVAILABLE in answer.body)
            or (not api and b"<html" in answer.body and UNAVAILABLE in answer.body)
        ):
            row["clear_503"] += 1
        if answer.status == 200 and answer.started > back and row["first_200_after"] is None:
            row["first_200_after"] = answer.started + answer.seconds - back
    settled = [answer for _e, answer in answers if answer.started > back + 5]
    return {
        "restart_seconds": back - began,
        "endpoints": {
            name: {**row, "statuses": dict(row["statuses"])} for name, row in by_endpoint.items()
        },
        "after_5_seconds": dict(Counter(answer.status for answer in settled)),
    }


def killed_import(environment: dict[str, str], folder: Path) -> dict:
    """A CLI registry import killed with SIGKILL once its transaction has written rows."""
    from django.db import connection, connections
    from run import organisations_csv

    from atclusters.registry.models import Organisation

    path = folder / "organisations.csv"
    path.write_bytes(organisations_csv(IMPORT_ROWS))
    before = Organisation.objects.count()
    process = subprocess.Popen(
        [str(BIN / "atclusters"), "registry", "import", "organisations", str(path)],
        env={**environment, "PGAPPNAME": IMPORT_APPLICATION},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started, killed_after = time.perf_counter(), None
    writing = (
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
        "AND backend_xid IS NOT NULL"
    )
    with connection.cursor() as cursor:
        while process.poll() is None and time.perf_counter() - started < 600:
            cursor.execute(writing, [IMPORT_APPLICATION])
            if cursor.fetchone()[0]:
                time.sleep(1)  # well inside the rows
                process.kill()
                killed_after = time.perf_counter() - started
                break
            time.sleep(0.1)
        process.wait()
        for _ in range(300):  # the server notices the closed socket and rolls back
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                [IMPORT_APPLICATION],
            )
            if not cursor.fetchone()[0]:
                break
            time.sleep(0.1)
    result = {
        "rows": IMPORT_ROWS,
        "killed_after": killed_after,
        "before": before,
        "after": Organisation.objects.count(),
        "left": Organisation.objects.filter(slug__startswith="bench-")
        .exclude(slug__startswith="bench-org-")
        .count(),
    }
    connections.close_all()
    return result


async def memory_at(platform: Platform, choices: list[Endpoint], seconds: float) -> dict:
    """gunicorn with 4 workers, warmed up on every endpoint: each process's memory."""
    platform.stop_web()
    platform.start_web(4)
    await drive(platform.port, choices, SOAK_CLIENTS, max(seconds, 10), seed=4)
    assert platform.web is not None
    pids = [("master", platform.web.pid)]
    pids += [(f"worker {n}", pid) for n, pid in enumerate(children(platform.web.pid), start=1)]
    return {label: memory(pid) for label, pid in pids}


def ramp_endpoints(fixture: Fixture, clusters: int) -> list[Endpoint]:
    """The load's reads (the comparison page aside: its first showing writes, measured apart)
    and one writer: a de minimis grant checked and recorded under the register's lock (201, or
    409 when a ceiling refuses it: both are answers, not errors)."""

    def record(rng: random.Random) -> tuple[str, str, bytes]:
        body = {
            "undertaking": f"U{rng.randrange(fixture.undertakings):06d}",
            "reference": f"LOAD-{rng.getrandbits(64):016x}",
            "date": "2026-11-27",
            "amount": "1000",
            "member_state": "ES",
            "granting_authority": "Load test agency",
        }
        return "POST", "/api/v1/stateaid/grants", json.dumps(body).encode()

    token = (f"Authorization: Bearer {fixture.token}", "Content-Type: application/json")
    reads = [e for e in endpoints(fixture, clusters) if e.name != "benchmarking comparison page"]
    writer = Endpoint(SIGNED_IN, RAMP_WRITER, record, token, expected=(201, 409))
    return [*reads, writer]


RAMP_WRITER = "record a de minimis grant (API, token)"


async def ramp(platform: Platform, fixture: Fixture, options: argparse.Namespace) -> list[dict]:
    """Every read and the writer mixed, one step per number of clients."""
    choices = ramp_endpoints(fixture, options.clusters)
    await drive(platform.port, choices, 4, min(options.seconds, 3), seed=50)  # warm-up
    rows = []
    for clients in SMOKE_RAMP if options.smoke else RAMP:
        # A seed of its own per step: the same one would replay the grants' references (422).
        answers, elapsed = await drive(
            platform.port, choices, clients, options.seconds, 100 + clients
        )
        writes = [a for e, a in answers if e.name == RAMP_WRITER and a.status == 201]
        row = {
            "clients": clients,
            **summary([answer for _endpoint, answer in answers], elapsed),
            "writes_per_second": len(writes) / elapsed,
        }
        rows.append(row)
        print(f"ramp, {clients} clients: {row}", flush=True)
    return rows


def ramp_limit(rows: list[dict]) -> dict | None:
    """The last step before the first one where the database stops being enough: an error, or
    p95 over RAMP_P95_SECONDS."""
    held = None
    for row in rows:
        if row["errors"] or row["p95"] > RAMP_P95_SECONDS:
            break
        held = row
    return held


async def comparisons_released(platform: Platform, fixture: Fixture) -> None:
    """Each sampled cluster's comparison shown once, one after the other: the first showing
    releases its peer groups (writes, measured by bench/benchmarking.py); the load measures the
    page as its readers then see it."""
    for pk in fixture.submissions:
        target = f"/en/benchmarking/answers/{pk}/peers/"
        first = Endpoint(
            SIGNED_IN,
            "first",
            lambda _rng, t=target: ("GET", t, b""),
            (f"Cookie: {fixture.session}",),
        )
        answer = await fetch(platform.port, first, random.Random())
        assert answer.status == 200, (target, answer.status, answer.body[:200])


async def run(options: argparse.Namespace, fixture: Fixture, platform: Platform) -> dict:
    choices = endpoints(fixture, options.clusters)
    await comparisons_released(platform, fixture)
    results: dict = {"cells": await cells(platform, choices, options.seconds)}
    results["ramp"] = await ramp(platform, fixture, options)
    results["soak"] = await soak(platform, choices, options.soak)
    print(f"soak: {results['soak']}", flush=True)
    if options.restart_postgres:
        results["restart"] = await postgres_restart(
            platform, [c for c in choices if c.name != "benchmarking comparison page"],
            options.postgres_cluster,
        )  # fmt: skip
        print(f"restart: {results['restart']}", flush=True)
    # Django refuses to query from the event loop's thread.
    results["import"] = await asyncio.to_thread(
        killed_import, platform.environment, platform.folder
    )
    print(f"import: {results['import']}", flush=True)
    results["memory"] = await memory_at(platform, choices, options.seconds)
    return results


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def ramp_lines(results: dict) -> list[str]:
    """The mixed ramp on PostgreSQL and, when it ran, on the SQLite default."""
    runs = [("PostgreSQL", results["ramp"])]
    if "sqlite" in results:
        runs.append(("SQLite (the default file, WAL)", results["sqlite"]["rows"]))
    lines = [
        "### Readers and writers together: where the SQLite default stops being enough",
        "",
        "Every endpoint above but the comparison page, and a writer: a de minimis grant checked "
        "and recorded through the API (one transaction under the register's lock; 201, or 409 "
        "when a ceiling refuses it), picked by each client at random (one request in eight "
        f"writes), the same gunicorn and data on each database; a p95 over {RAMP_P95_SECONDS:.0f} s "
        "is taken as the end of a usable page.",
        "",
        "| database | clients | requests/s | grants recorded/s | p50 | p95 | p99 | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for database, rows in runs:
        lines += [
            f"| {database} | {row['clients']} | {row['per_second']:.1f} | "
            f"{row['writes_per_second']:.1f} | {ms(row['p50'])} | {ms(row['p95'])} | "
            f"{ms(row['p99'])} | {row['errors']} |"
            for row in rows
        ]
    lines.append("")
    for database, rows in runs:
        held = ramp_limit(rows)
        lines.append(
            f"- {database}: "
            + (
                f"enough up to {held['clients']} clients ({held['per_second']:.0f} requests/s, "
                f"{held['writes_per_second']:.1f} grants recorded/s) with no error and p95 "
                f"under {RAMP_P95_SECONDS:.0f} s"
                if held
                else f"not enough even at {rows[0]['clients']} client"
            )
            + (
                "."
                if held is rows[-1]
                else f"; at {rows[rows.index(held) + 1 if held else 0]['clients']} clients "
                "it is not."
            )
        )
    return [*lines, ""]


def section(options: argparse.Namespace, fixture: Fixture, results: dict, took: float) -> list[str]:
    counts = fixture.counts
    arguments = " ".join(sys.argv[1:])
    smoke = options.smoke or any(options.__dict__[key] < FULL[key] for key in FULL)
    lines = [
        f"{sections.LOAD} (gunicorn, {options.workers} sync workers, 2 db_workers, PostgreSQL)",
        "",
        f"Written by `make loadtest{f' ARGS="{arguments}"' if arguments else ''}` "
        f"(`bench/loadtest.py`) on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} "
        f"cores, load average {options.load_before} before and "
        f"{', '.join(f'{v:.1f}' for v in os.getloadavg())} after; the run took "
        f"{took / 60:.0f} min.",
        "",
    ]
    if smoke:
        lines += [
            "**These figures come from a smoke run on a shared machine** (small data, short "
            "cells, other work running at the same time): they show that the harness works, "
            "not what the platform does. They are to be replaced by a full run "
            "(`make loadtest`) on a quiet machine.",
            "",
        ]
    lines += [
        f"Data: {counts['clusters']:,} published clusters, {counts['organisations']:,} "
        f"organisations ({counts['memberships']:,} memberships), {counts['answers']:,} "
        f"clusters' benchmarking answers, {counts['grants']:,} aid grants to "
        f"{fixture.undertakings:,} undertakings; generated in {fixture.generated_seconds:.0f} s. "
        "gunicorn as `deploy/atclusters-web.service` runs it (`--preload`, "
        "`deploy/atclusters.env.example`'s variables: DEBUG off, HTTPS said by the proxy "
        "headers nginx sends). Load from the script's own asyncio clients, each sending its "
        "next request when the previous answer is read (connect, send, read to the end; "
        "gzip accepted); "
        f"{options.seconds} s per cell after an untimed warm-up. Cached: anonymous readers "
        "(pages kept by `AnonymousPageCacheMiddleware` for 60 s, per process; the API is not "
        "kept). Uncached: a signed-in platform admin's session (the de minimis check: an API "
        "token). Times in ms; errors are answers other than 200.",
        "",
        "| path | endpoint | clients | requests/s | p50 | p95 | p99 | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in results["cells"]:
        lines.append(
            f"| {row['path']} | {row['name']} | {row['clients']} | {row['per_second']:.1f} | "
            f"{ms(row['p50'])} | {ms(row['p95'])} | {ms(row['p99'])} | {row['errors']} |"
        )
    lines += ["", *ramp_lines(results)]
    soaked = results["soak"]
    lines += [
        f"### Soak ({soaked['seconds'] / 60:.1f} min at {SOAK_CLIENTS} clients, every endpoint "
        "above mixed)",
        "",
        f"{soaked['requests']:,} requests ({soaked['per_second']:.1f}/s), {soaked['errors']} "
        f"errors; p50 / p95 / p99 {ms(soaked['p50'])} / {ms(soaked['p95'])} / "
        f"{ms(soaked['p99'])} ms. Resident memory (RSS) of each process, sampled every "
        f"{SAMPLE_SECONDS} s from /proc:",
        "",
        "| process | start | end | max | samples |",
        "|---|---|---|---|---|",
        *(
            f"| {label} | {m['start']:.0f} MB | {m['end']:.0f} MB | {m['max']:.0f} MB | "
            f"{m['samples']} |"
            for label, m in soaked["memory"].items()
        ),
        "",
        "### Faults",
        "",
    ]
    restart = results.get("restart")
    if restart is None:
        lines += [
            "PostgreSQL restarted under load: not run (it restarts the server for everyone "
            "using it; `make loadtest ARGS=--restart-postgres`).",
            "",
        ]
    else:
        lines += [
            f"PostgreSQL restarted (`pg_ctlcluster --skip-systemctl-redirect "
            f"{options.postgres_cluster.replace('/', ' ')} restart`, "
            f"{restart['restart_seconds']:.1f} s) 8 s into 30 s of load at {SOAK_CLIENTS} "
            "clients, the app left running. Answers by status (0: no answer); a clear 503 is "
            "the styled page (pages) or the JSON message (API):",
            "",
            "| endpoint | answers by status | clear 503s | first 200 after the restart |",
            "|---|---|---|---|",
        ]
        for name, row in restart["endpoints"].items():
            statuses = ", ".join(f"{k}: {v}" for k, v in sorted(row["statuses"].items()))
            first = row["first_200_after"]
            lines.append(
                f"| {name} | {statuses} | {row['clear_503']} | "
                f"{'none' if first is None else f'{first:.1f} s'} |"
            )
        settled = ", ".join(f"{k}: {v}" for k, v in sorted(restart["after_5_seconds"].items()))
        lines += ["", f"Answers to requests sent from 5 s after the restart on: {settled}.", ""]
    imported = results["import"]
    killed = imported["killed_after"]
    lines += [
        f"A {imported['rows']:,}-row organisations import (`atclusters registry import`) "
        + (
            f"killed with SIGKILL {killed:.1f} s after it started, 1 s after its transaction "
            "first wrote"
            if killed is not None
            else "that ended before it could be killed"
        )
        + f": organisations {imported['before']:,} before, {imported['after']:,} after, "
        f"{imported['left']} of the file's rows left in the database.",
        "",
        "### Memory per web process (gunicorn --workers 4 --preload, after warm-up)",
        "",
        "RSS counts the pages a worker shares with the master (preloaded before the fork) in "
        "full; PSS shares them out; USS is what the process alone holds.",
        "",
        "| process | RSS | PSS | USS |",
        "|---|---|---|---|",
        *(
            f"| {label} | {m['rss']:.0f} MB | {m['pss']:.0f} MB | {m['uss']:.0f} MB |"
            for label, m in results["memory"].items()
            if m
        ),
        "",
    ]
    return lines


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="small data, 10 s cells, 30 s soak")
    for key, text in (
        ("clusters", "published clusters"),
        ("organisations", "member organisations"),
        ("grants", "aid grants"),
        ("seconds", "seconds per cell"),
        ("soak", "soak seconds"),
    ):
        parser.add_argument(f"--{key}", type=int, help=f"{text} (full run: {FULL[key]:,})")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3: the unit)")
    parser.add_argument(
        "--restart-postgres",
        action="store_true",
        help="restart PostgreSQL under load (for everyone using the server)",
    )
    parser.add_argument("--postgres-cluster", default="15/main", help="for pg_ctlcluster")
    parser.add_argument(
        "--into", type=Path, default=ROOT / "docs" / "benchmarks.md", help="the file written"
    )
    parser.add_argument(
        "--no-sqlite", action="store_true", help="skip the mixed ramp on the SQLite default"
    )
    parser.add_argument("--sqlite-ramp-into", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    for key, value in (SMOKE if options.smoke else FULL).items():
        if getattr(options, key) is None:
            setattr(options, key, value)
    options.load_before = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return options


def platform_start(platform: Platform, workers: int) -> None:
    """Static files collected, two db_workers and gunicorn started, as deploy/ runs them."""
    subprocess.run(
        [str(BIN / "atclusters"), "collectstatic", "--noinput", "-v0"],
        env=platform.environment,
        cwd=ROOT,
        check=True,
    )
    platform.start_workers(2)
    platform.start_web(workers)


def sqlite_ramp(options: argparse.Namespace) -> dict:
    """The same data in the default SQLite file, the same gunicorn and workers, the ramp only."""
    folder = Path(tempfile.mkdtemp(prefix="atclusters-load-sqlite-"))
    url = f"sqlite:///{folder / 'atclusters.sqlite3'}"
    secret = secrets.token_hex(32)
    platform = Platform(production_environment(url, str(folder), secret), folder)
    try:
        os.environ.update(DATABASE_URL=url, SECRET_KEY=secret, ATCLUSTERS_VAR_DIR=str(folder))
        fixture = prepare(options.__dict__, random.Random(26))
        print(f"sqlite data: {fixture.counts} in {fixture.generated_seconds:.0f} s", flush=True)
        platform_start(platform, options.workers)
        rows = asyncio.run(ramp(platform, fixture, options))
    finally:
        platform.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return {"counts": fixture.counts, "generated_seconds": fixture.generated_seconds, "rows": rows}


def sqlite_in_own_process(options: argparse.Namespace) -> dict:
    """This process's Django is set up on PostgreSQL: SQLite's ramp runs in a new one."""
    with tempfile.TemporaryDirectory(prefix="atclusters-load-") as folder:
        out = Path(folder) / "sqlite.json"
        command = [sys.executable, __file__, "--sqlite-ramp-into", str(out)]
        command += [f"--{key}={getattr(options, key)}" for key in FULL]
        command += ["--workers", str(options.workers), *(["--smoke"] if options.smoke else [])]
        unset = ("DATABASE_URL", "SECRET_KEY", "ATCLUSTERS_VAR_DIR")
        environment = {k: v for k, v in os.environ.items() if k not in unset}
        subprocess.run(command, env=environment, check=True)
        return json.loads(out.read_text(encoding="utf-8"))


def main() -> None:
    options = arguments()
    # Stopped from outside (a timeout, Ctrl+C): the servers stopped and the database dropped.
    signal.signal(signal.SIGTERM, lambda _signal, _frame: sys.exit(1))
    if options.sqlite_ramp_into:
        options.sqlite_ramp_into.write_text(json.dumps(sqlite_ramp(options)), encoding="utf-8")
        return
    began = time.perf_counter()
    name = f"atclusters_load_{os.getpid()}"
    url = POSTGRES.rsplit("/", 1)[0] + f"/{name}"
    secret = secrets.token_hex(32)
    folder = Path(tempfile.mkdtemp(prefix="atclusters-load-"))
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    environment = production_environment(url, str(folder), secret)
    platform = Platform(environment, folder)
    try:
        # This process's own Django (data, session, token) on the same database and key.
        os.environ.update(DATABASE_URL=url, SECRET_KEY=secret, ATCLUSTERS_VAR_DIR=str(folder))
        fixture = prepare(options.__dict__, random.Random(26))
        print(f"data: {fixture.counts} in {fixture.generated_seconds:.0f} s", flush=True)
        platform_start(platform, options.workers)
        results = asyncio.run(run(options, fixture, platform))
    finally:
        platform.stop()
        with psycopg.connect(POSTGRES, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(folder, ignore_errors=True)
    if not options.no_sqlite:
        results["sqlite"] = sqlite_in_own_process(options)
    lines = section(options, fixture, results, time.perf_counter() - began)
    sections.section_write(options.into, sections.LOAD, lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
