"""The hub's bookings (issue 21): a room with 5,000 bookings in one month, its availability for
the month through the API and its week page; then 100 simultaneous attempts to book one slot,
from threads with their own connections. Run by bench/run.py once per database; on its own:
`DATABASE_URL=… python bench/facilities.py OUT.json` (SQLite in a temporary folder by default).
"""

import json
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import bootstrap  # noqa: F401  (bench/bootstrap.py: paths, settings, Django set up)

# isort: split

from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from stateaid import percentiles, timed_each

from atclusters.core.models import Agency
from atclusters.core.reference import reference_load
from atclusters.facilities import services
from atclusters.facilities.models import Booking

BOOKINGS = 5_000
REQUESTS = 50
ATTEMPTS = 100
MONTH = date(2030, 3, 1)
# Open every day 00:00-23:30: 5,000 bookings of 5 minutes every 8 minutes fill March 2030.
HOURS = {day: [["00:00", "23:30"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def generate():
    agency = Agency.objects.create(slug="bench-hub", name="Bench hub agency", country_id="ES")
    room = services.resource_create(
        actor=None, agency=agency, source="bench",
        data={"hub": "Bench hub", "name_en": "Busy room", "kind": "room", "capacity": 10,
              "opening_hours": HOURS, "list_price_eur": Decimal(40), "member_price_eur": Decimal(10),
              "min_minutes": 5, "max_minutes": 240, "buffer_minutes": 0},
    )  # fmt: skip
    user = User.objects.create_user("bench-booker")
    first = datetime(2030, 3, 1, tzinfo=UTC)
    bookings = []
    for number in range(BOOKINGS):
        start = first + number * timedelta(minutes=8)
        end = start + timedelta(minutes=5)
        bookings.append(
            Booking(resource=room, user=user, start=start, end=end, held_until=end,
                    status="confirmed", price_eur=Decimal("3.33"))
        )  # fmt: skip
    Booking.objects.bulk_create(bookings, batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return room


def race(room, free_start: datetime) -> dict:
    """ATTEMPTS bookings of one slot released at once; on PostgreSQL the threads are bounded by
    the server's free connections (each attempt holds one)."""
    users = [User.objects.create_user(f"racer-{n}") for n in range(ATTEMPTS)]
    for user in users:
        room.agency.staff.add(user)
    workers = ATTEMPTS
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('max_connections')::int - count(*) FROM pg_stat_activity"
            )
            workers = min(ATTEMPTS, cursor.fetchone()[0] - 10)
    queue = list(users)
    lock = threading.Lock()
    outcomes: list[str] = []
    gate = threading.Barrier(workers)

    def work():
        try:
            gate.wait()
            while True:
                with lock:
                    if not queue:
                        return
                    user = queue.pop()
                try:
                    services.booking_create(
                        actor=user, user=user, resource=room, start=free_start,
                        end=free_start + timedelta(minutes=30), source="bench",
                    )  # fmt: skip
                    outcomes.append("booked")
                except services.BookingConflict:
                    outcomes.append("conflict")
                except Exception as error:  # counted, not lost in the thread
                    outcomes.append(f"error: {error!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "threads": workers,
        "booked": outcomes.count("booked"),
        "conflicts": outcomes.count("conflict"),
        "errors": len(outcomes) - outcomes.count("booked") - outcomes.count("conflict"),
        "seconds": time.perf_counter() - started,
    }


def main(out: Path) -> None:
    call_command("migrate", verbosity=0)
    reference_load()
    started = time.perf_counter()
    room = generate()
    generated = time.perf_counter() - started
    client = Client()
    url = f"/api/v1/facilities/resources/{room.pk}/availability"
    query = {"since": MONTH.isoformat(), "days": 31}
    answer = client.get(url, query).json()
    assert len(answer["taken"]) == BOOKINGS, len(answer["taken"])
    month = timed_each(lambda: client.get(url, query) for _ in range(REQUESTS))
    week = timed_each(
        lambda n=n: client.get(f"/en/facilities/{room.pk}/", {"week": f"2030-03-{4 + n % 21:02d}"})
        for n in range(REQUESTS)
    )
    taken = datetime(2030, 3, 10, 12, tzinfo=UTC)
    booker = User.objects.get(username="bench-booker")
    room.agency.staff.add(booker)

    def conflict():
        try:
            services.booking_create(
                actor=booker, user=booker, resource=room, start=taken,
                end=taken + timedelta(minutes=30), now=datetime(2030, 3, 1, tzinfo=UTC),
            )  # fmt: skip
        except services.BookingConflict as refused:
            assert refused.next_free
        else:
            raise AssertionError("the busy slot was booked")

    conflicts = timed_each(conflict for _ in range(REQUESTS))
    # After the busy month: a free half hour in April.
    raced = race(room, datetime(2030, 4, 2, 9, tzinfo=UTC))
    out.write_text(
        json.dumps(
            {
                "database": connection.vendor,
                "generated_seconds": generated,
                "month": percentiles(month),
                "week": percentiles(week),
                "conflict": percentiles(conflicts),
                "race": raced,
            }
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "facilities-bench.json"))
