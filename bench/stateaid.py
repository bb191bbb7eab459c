"""The de minimis register at a national scale (issue 6): 100,000 undertakings, 30,000 links
in groups of two to five (chains and sisters), 400,000 grants over six years from two Member
States. Measures the pre-grant check, the check-and-record of a grant, the undertaking page and
a 10,000-row import. Run by bench/run.py once per database; on its own: `DATABASE_URL=… python
bench/stateaid.py OUT.json` (SQLite in a temporary folder by default).
"""

import contextlib
import json
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import bootstrap  # noqa: F401  (bench/bootstrap.py: paths, settings, Django set up)

# isort: split

from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client

from atclusters.core.reference import reference_load
from atclusters.stateaid import calendars, importers, selectors, services
from atclusters.stateaid.models import Grant, Undertaking, UndertakingLink

UNDERTAKINGS = 100_000
GROUPS = 10_000
GRANTS = 400_000
REQUESTS = 200
FIRST_DAY = date(2021, 1, 1)
DAYS = 6 * 365


def generate(rng: random.Random) -> None:
    Undertaking.objects.bulk_create(
        [
            Undertaking(identifier=f"U{i:06d}", name=f"Company {i}", country="ES")
            for i in range(UNDERTAKINGS)
        ],
        batch_size=5000,
    )
    ids = dict(Undertaking.objects.values_list("identifier", "pk"))
    links = []
    for group in range(GROUPS):
        members = [f"U{(group * 7 + k) % UNDERTAKINGS:06d}" for k in range(rng.randint(2, 5))]
        chain = rng.random() < 0.5
        for position, child in enumerate(members[1:], start=1):
            parent = members[position - 1] if chain else members[0]
            links.append(
                UndertakingLink(
                    parent_id=ids[parent], child_id=ids[child], relation="voting-majority"
                )
            )
    UndertakingLink.objects.bulk_create(links[:30_000], batch_size=5000)
    grants = []
    for number in range(GRANTS):
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        state = "ES" if rng.random() < 0.8 else "PT"
        euros = Decimal(rng.choice([5_000, 10_000, 20_000, 50_000]))
        grants.append(
            Grant(
                reference=f"B-{number}",
                undertaking_id=ids[f"U{rng.randrange(UNDERTAKINGS):06d}"],
                member_state=state,
                granting_authority="Bench authority",
                regulation="general",
                nominal_amount=euros,
                gge_eur=euros,
                grant_date=day,
                report_due=calendars.report_deadline(state, day),
                reported_on=day,
            )
        )
        if len(grants) == 20_000:
            Grant.objects.bulk_create(grants)
            grants = []
    Grant.objects.bulk_create(grants)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as after a real import


def percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"median": statistics.median(ordered), "p95": ordered[int(len(ordered) * 0.95) - 1]}


def timed_each(calls) -> list[float]:
    times = []
    for call in calls:
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def main(out: Path) -> None:
    call_command("migrate", verbosity=0)
    reference_load()
    rng = random.Random(6)
    start = time.perf_counter()
    generate(rng)
    generated = time.perf_counter() - start
    sample = [
        Undertaking.objects.get(identifier=f"U{rng.randrange(70_000):06d}") for _ in range(REQUESTS)
    ]
    today = date(2026, 11, 27)
    checks = timed_each(
        lambda u=undertaking: selectors.de_minimis_check(
            user=None, undertaking=u, grant_date=today, amount=Decimal(1000), member_state="ES"
        )
        for undertaking in sample
    )

    def record(number: int, undertaking: Undertaking) -> None:
        with contextlib.suppress(services.CeilingExceeded):  # a refusal is measured too
            services.grant_record(
                actor=None,
                undertaking=undertaking,
                reference=f"NEW-{number}",
                grant_date=today,
                money=services.Money(Decimal(1000)),
                member_state="ES",
                granting_authority="Bench authority",
            )

    records = timed_each(
        lambda n=number, u=undertaking: record(n, u) for number, undertaking in enumerate(sample)
    )
    admin = User.objects.create_superuser("bench", "bench@example.invalid", "x")
    client = Client()
    client.force_login(admin)
    pages = timed_each(
        lambda u=undertaking: client.get(f"/en/state-aid/undertakings/{u.identifier}/")
        for undertaking in sample[:50]
    )
    rows = ["undertaking_id,grant_date,amount,regulation,member_state,granting_authority,reference"]
    rows += [
        f"U{rng.randrange(UNDERTAKINGS):06d},2022-0{1 + i % 9}-1{i % 10},{1000 + i % 500},"
        f"general,ES,Bench authority,IMP-{i}"
        for i in range(10_000)
    ]
    content = ("\n".join(rows) + "\n").encode()
    start = time.perf_counter()
    report, _over = importers.register_import(
        actor=None, kind="grants", content=content, filename="grants.csv"
    )
    imported = time.perf_counter() - start
    assert report.ok, report.errors[:3]
    out.write_text(
        json.dumps(
            {
                "database": connection.vendor,
                "generated_seconds": generated,
                "grants": Grant.objects.count(),
                "check": percentiles(checks),
                "record": percentiles(records),
                "page": percentiles(pages),
                "import_seconds": imported,
            }
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "stateaid-bench.json"))
