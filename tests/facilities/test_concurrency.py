"""Two bookings of overlapping times submitted at the same moment: exactly one holds the room,
the other is refused as a conflict with the next free slots. Real concurrent transactions, one
connection per thread, on whichever database the tests run (PostgreSQL: the exclusion
constraint; SQLite: the write lock taken when the transaction begins)."""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection

from atclusters.facilities import services
from atclusters.facilities.availability import Span
from atclusters.facilities.models import Booking
from tests.facilities.factories import at, resource_created

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2030, 3, 1, tzinfo=UTC)


def test_simultaneous_bookings_of_one_slot_cannot_both_succeed(world):
    """Two attempts on Tuesday, eight on Wednesday (one test: a transactional test empties the
    database, reference data included, when it ends)."""
    assert not (connection.vendor == "sqlite" and connection.is_in_memory_db())
    room = resource_created(world.agency)
    for day, attempts in ((5, 2), (6, 8)):
        _race(world, room, day, attempts)


def _race(world, room, day, attempts):
    users = [world.rep, world.manager, world.staff, world.admin] * 2
    start = threading.Barrier(attempts)
    outcomes: list[object] = []

    def submit(user, minutes):
        from django.db import connections

        try:
            start.wait()
            booked = services.booking_create(
                actor=user, user=user, resource=room, start=at(day, 10, minutes),
                end=at(day, 11, minutes), now=NOW,
            )  # fmt: skip
            outcomes.append(booked.first.pk)
        except services.BookingConflict as conflict:
            outcomes.append(conflict)
        except Exception as error:  # reported in the assertion below, not lost in the thread
            outcomes.append(f"error: {error!r}")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=submit, args=(users[n], 30 * (n % 2))) for n in range(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    booked = [item for item in outcomes if isinstance(item, int)]
    refused = [item for item in outcomes if isinstance(item, services.BookingConflict)]
    assert (len(booked), len(refused)) == (1, attempts - 1), outcomes
    winner = Booking.objects.get(start__day=day)
    assert [winner.pk] == booked
    for conflict in refused:
        assert conflict.conflict_with == winner.pk
        # The first free hour after the winner's end and its 15 minutes of buffer.
        assert conflict.next_free[0].start >= winner.held_until
        assert conflict.next_free[0] in {
            Span(at(day, 11, 30), at(day, 12, 30)),
            Span(at(day, 12), at(day, 13)),
        }
