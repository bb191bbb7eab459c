"""Events pages (issue 22): a conference with 200 sessions in 8 rooms over 3 days, 60 speakers
and 500 registrations; its programme page and the check-in of badges (each a different one, as
at the door). Run by bench/run.py once per database; on its own:
`DATABASE_URL=… python bench/events_pages.py OUT.json` (SQLite in a temporary folder by default).
"""

import json
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import bootstrap  # noqa: F401  (bench/bootstrap.py: paths, settings, Django set up)

# isort: split

from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from stateaid import percentiles, timed_each

from atclusters.core.models import Agency
from atclusters.core.reference import reference_load
from atclusters.events import services
from atclusters.events.models import Registration, Session

SESSIONS = 200
ROOMS = 8
REGISTRATIONS = 500
REQUESTS = 50
MADRID = ZoneInfo("Europe/Madrid")


def generate():
    agency = Agency.objects.create(slug="bench-events", name="Bench events agency", country_id="ES")
    staff = User.objects.create_user("bench-organiser")
    agency.staff.add(staff)
    first = datetime(2030, 5, 6, 9, tzinfo=MADRID)
    event = services.event_save(
        actor=None, agency=agency, kind="conference", title="Bench conference",
        starts_at=first, ends_at=first + timedelta(days=2, hours=10), capacity=REGISTRATIONS,
        source="bench",
    )  # fmt: skip
    speakers = [
        services.speaker_save(actor=None, event=event, name=f"Speaker {n}", bio="Bio " * 40)
        for n in range(60)
    ]
    for number in range(SESSIONS):
        day, slot = divmod(number // ROOMS, 9)
        start = first + timedelta(days=day % 3, minutes=60 * slot)
        services.session_save(
            actor=None, event=event, title=f"Session {number}", starts_at=start,
            ends_at=start + timedelta(minutes=50), room=f"Room {number % ROOMS + 1}",
            track=f"Track {number % 4}", speakers=speakers[number % 60 : number % 60 + 2],
            source="bench",
        )  # fmt: skip
    users = User.objects.bulk_create(User(username=f"bench-p{n}") for n in range(REGISTRATIONS))
    for user in users:
        services.registration_create(actor=None, event=event, user=user, source="bench")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return event, staff


def main(out: Path) -> None:
    call_command("migrate", verbosity=0)
    reference_load()
    started = time.perf_counter()
    event, staff = generate()
    generated = time.perf_counter() - started
    assert Session.objects.filter(event=event).count() == SESSIONS
    client = Client()
    url = f"/en/events/{event.pk}/programme/"
    assert client.get(url).status_code == 200
    programme = timed_each(lambda: client.get(url) for _ in range(REQUESTS))
    door = Client()
    door.force_login(staff)
    check_in_url = f"/en/events/{event.pk}/check-in/"
    codes = list(
        Registration.objects.filter(event=event).values_list("badge_code", flat=True)[:REQUESTS]
    )

    def admit(code: str) -> None:
        response = door.post(check_in_url, {"code": code})
        assert response.status_code == 200, response.status_code

    check_in = timed_each(lambda code=code: admit(code) for code in codes)
    out.write_text(
        json.dumps(
            {
                "database": connection.vendor,
                "generated_seconds": generated,
                "programme": percentiles(programme),
                "check_in": percentiles(check_in),
            }
        )
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
