"""`atclusters facilities …` as scripts use it: JSON out, exit codes 0 / 1 / 2."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from atclusters.core.models import AuditEntry
from atclusters.facilities.models import Booking
from tests.facilities.factories import resource_created

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[int, object]:
    out = StringIO()
    try:
        call_command("facilities", *args, stdout=out)
        code = 0
    except SystemExit as exit:
        code = int(exit.code or 0)
    text = out.getvalue()
    return code, json.loads(text) if "--json" in args else text


def bad(*args) -> CommandError:
    with pytest.raises(CommandError) as refused:
        call_command("facilities", *args, stdout=StringIO())
    assert refused.value.returncode == 2
    return refused.value


@pytest.fixture
def rooms(world):
    return (
        resource_created(world.agency),
        resource_created(world.agency, name_en="3D printer", kind="equipment", capacity=1,
                         approval="manager"),
    )  # fmt: skip


def test_resources_json(rooms):
    room, printer = rooms
    assert run("resources", "--json") == (
        0,
        [
            {"id": room.pk, "name": "Meeting room", "kind": "room", "capacity": 12},
            {"id": printer.pk, "name": "3D printer", "kind": "equipment", "capacity": 1},
        ],
    )


def book(resource, start, end, user="rep", *more):
    return run(
        "book", "--resource", str(resource.pk), "--start", start, "--end", end, "--user", user,
        *more, "--json",
    )  # fmt: skip


def test_book_then_conflict_with_the_next_free_slots(rooms, world):
    room, printer = rooms
    code, answer = book(room, "2030-03-05T10:00:00+01:00", "2030-03-05T11:00:00+01:00")
    booking = Booking.objects.get()
    assert (code, answer) == (
        0,
        {
            "booked": True,
            "status": "confirmed",
            "booking_id": booking.pk,
            "conflict_with": None,
            "next_free": [],
            "price_eur": "40.00",  # for nobody: the list price, no aid
            "aid_eur": "0.00",
            "grant_id": None,
        },
    )
    assert AuditEntry.objects.filter(model="facilities.booking", source="cli").count() == 1
    # The same hour written in UTC, and without an offset (the room's time): both taken.
    code, answer = book(room, "2030-03-05T09:30:00Z", "2030-03-05T10:30:00Z", "manager")
    assert (code, answer) == (
        1,
        {
            "booked": False,
            "status": None,
            "booking_id": None,
            "conflict_with": booking.pk,
            # Held until 11:15: the next half hours are 11:30 and, after its buffer, 13:00.
            "next_free": [
                ["2030-03-05T11:30:00+01:00", "2030-03-05T12:30:00+01:00"],
                ["2030-03-05T13:00:00+01:00", "2030-03-05T14:00:00+01:00"],
                ["2030-03-05T15:00:00+01:00", "2030-03-05T16:00:00+01:00"],
            ],
        },
    )
    assert book(room, "2030-03-05T10:30", "2030-03-05T11:00", "staff")[0] == 1
    assert Booking.objects.count() == 1
    # A facility approved by the hub manager: held, awaiting approval.
    code, answer = book(printer, "2030-03-05T10:00:00+01:00", "2030-03-05T11:00:00+01:00")
    assert (code, answer["booked"], answer["status"]) == (0, True, "pending")


def test_bad_input_names_the_option(rooms):
    room, _printer = rooms
    args = ["book", "--resource", str(room.pk), "--user", "rep"]
    assert "--start: 'tomorrow'" in str(
        bad(*args, "--start", "tomorrow", "--end", "2030-03-05T11:00")
    )
    assert "--resource: no facility with id '999999'" in str(
        bad("book", "--resource", "999999", "--user", "rep", "--start", "2030-03-05T10:00",
            "--end", "2030-03-05T11:00")
    )  # fmt: skip
    assert "--user: no user 'ghost'" in str(
        bad("book", "--resource", str(room.pk), "--user", "ghost", "--start", "2030-03-05T10:00",
            "--end", "2030-03-05T11:00")
    )  # fmt: skip
    assert "--end: must be after the start" in str(
        bad(*args, "--start", "2030-03-05T11:00", "--end", "2030-03-05T10:00")
    )
    assert "--start: is outside the opening hours" in str(
        bad(*args, "--start", "2030-03-09T10:00", "--end", "2030-03-09T11:00")  # a Saturday
    )
    assert "--repeat: needs COUNT or UNTIL" in str(
        bad(*args, "--start", "2030-03-05T10:00", "--end", "2030-03-05T11:00",
            "--repeat", "FREQ=WEEKLY")
    )  # fmt: skip
    assert not Booking.objects.exists()


def test_a_weekly_series_and_its_cancellation(rooms):
    room, _printer = rooms
    code, answer = book(room, "2030-03-05T10:00", "2030-03-05T11:00", "rep",
                        "--repeat", "FREQ=WEEKLY;COUNT=3")  # fmt: skip
    assert code == 0
    assert Booking.objects.filter(status="confirmed").count() == 3
    assert run("cancel", str(answer["booking_id"]), "--json") == (
        0,
        {"cancelled": list(Booking.objects.order_by("start").values_list("pk", flat=True))},
    )
    assert "--booking: is already cancelled" in str(bad("cancel", str(answer["booking_id"])))


def test_close_names_the_bookings_it_overlaps(rooms):
    room, _printer = rooms
    code, answer = book(room, "2030-03-05T10:00", "2030-03-05T11:00")
    held = answer["booking_id"]
    code, answer = run(
        "close", "--resource", str(room.pk), "--start", "2030-03-05T00:00",
        "--end", "2030-03-06T00:00", "--reason", "Painting", "--json",
    )  # fmt: skip
    assert code == 0 and answer["bookings_in_closure"] == [held]
    assert "--start: the facility is closed then (closure from 2030-03-05)" in str(
        bad("book", "--resource", str(room.pk), "--user", "rep", "--start", "2030-03-05T12:00",
            "--end", "2030-03-05T13:00")
    )  # fmt: skip
    assert "--end: must be after the start" in str(
        bad("close", "--resource", str(room.pk), "--start", "2030-03-06T00:00",
            "--end", "2030-03-05T00:00")
    )  # fmt: skip
