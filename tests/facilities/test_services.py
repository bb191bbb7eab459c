"""Booking the hub through the services: who books at which price, conflicts with the next free
slots, approval by the hub manager, cancellation with notice, recurring series all or nothing,
occupancy; every write audited (docs/facilities.md)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from atclusters.core.models import AuditEntry
from atclusters.core.permissions import PermissionDenied
from atclusters.facilities import selectors, services
from atclusters.facilities.availability import Span
from atclusters.facilities.models import Booking
from tests.facilities.factories import at, resource_created

NOW = datetime(2030, 3, 1, 8, tzinfo=UTC)


@pytest.fixture
def room(world):
    return resource_created(world.agency)


def book(world, room, user, start, end, **options):
    return services.booking_create(
        actor=user, user=user, resource=room, start=start, end=end, now=NOW, **options
    )


def test_a_member_books_at_the_member_price_for_its_cluster(world, room):
    booked = book(world, room, world.rep, at(5, 10), at(5, 11, 30), organisation=world.member)
    booking = booked.first
    assert booking.status == Booking.Status.CONFIRMED
    assert (booking.member_rate, booking.price_eur) == (True, Decimal("15.00"))  # 1.5 h × 10
    assert booking.cluster == world.cluster
    assert booking.held_until == at(5, 11, 45)
    entries = AuditEntry.objects.filter(model="facilities.booking", object_pk=str(booking.pk))
    assert {(entry.actor, entry.action) for entry in entries} == {
        (world.rep, AuditEntry.Action.CREATE),
        (world.rep, AuditEntry.Action.UPDATE),  # the grant linked
    }
    # De minimis: the advantage, 1.5 h × (40 − 10), is the member's aid, in the register.
    assert booking.aid_eur == Decimal("45.00")
    assert (booking.grant.gge_eur, booking.grant.undertaking.organisation) == (
        Decimal("45.00"),
        world.member,
    )
    # Without saying for whom, the list price: 1.5 h × 40, and no aid.
    other = book(world, room, world.rep, at(6, 10), at(6, 11, 30)).first
    assert (other.member_rate, other.price_eur, other.aid_eur) == (False, Decimal("60.00"), 0)
    assert other.grant is None


def test_a_taken_slot_is_refused_with_the_booking_and_the_next_free_slots(world, room):
    first = book(world, room, world.rep, at(5, 10), at(5, 11, 30)).first
    with pytest.raises(services.BookingConflict) as refused:
        book(world, room, world.manager, at(5, 11), at(5, 12), cluster=world.cluster)
    assert refused.value.conflict_with == first.pk
    # Held until 11:45 with the buffer: noon is the next half hour; the morning closes at 14:00.
    assert refused.value.next_free == [
        Span(at(5, 12), at(5, 13)),
        Span(at(5, 15), at(5, 16)),
        Span(at(5, 16, 30), at(5, 17, 30)),
    ]
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (at(5, 10), at(5, 10, 15), "end", "shorter than the minimum of 30 minutes"),
        (at(5, 13), at(5, 15), "start", "outside the opening hours"),
        (at(9, 10), at(9, 11), "start", "outside the opening hours"),  # a Saturday
        (at(1, 7), at(1, 8), "start", "in the past"),
    ],
)
def test_the_rules_name_the_field_at_fault(world, room, start, end, field, message):
    with pytest.raises(services.BookingInvalid, match=message) as refused:
        book(world, room, world.rep, start, end)
    assert refused.value.field == field
    assert not Booking.objects.exists()


def test_who_may_book(world, room):
    with pytest.raises(PermissionDenied):  # staff of another agency
        book(world, room, world.other_staff, at(5, 10), at(5, 11))
    with pytest.raises(PermissionDenied):  # signed in, with no role
        book(world, room, world.nobody, at(5, 10), at(5, 11))
    with pytest.raises(services.BookingInvalid) as refused:
        book(world, room, world.rep, at(5, 10), at(5, 11), organisation=world.outsider)
    assert refused.value.field == "organisation"
    staff_only = resource_created(world.agency, name_en="Lab", bookable_by="staff")
    with pytest.raises(PermissionDenied):
        book(world, staff_only, world.rep, at(5, 10), at(5, 11))
    with pytest.raises(PermissionDenied):
        book(world, staff_only, world.manager, at(5, 10), at(5, 11))
    assert book(world, staff_only, world.staff, at(5, 10), at(5, 11)).first.member_rate


def test_the_hub_manager_approves_or_declines(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    room = resource_created(world.agency, approval="manager")
    world.rep.email = "rep@example.org"
    world.rep.save()
    pending = book(world, room, world.rep, at(5, 10), at(5, 11)).first
    assert pending.status == Booking.Status.PENDING
    with pytest.raises(services.BookingConflict):  # a pending booking holds the slot
        book(world, room, world.staff, at(5, 10), at(5, 11))
    assert list(selectors.approval_queue(world.staff)) == [pending]
    assert list(selectors.approval_queue(world.manager)) == []
    with pytest.raises(PermissionDenied):  # a cluster manager is not the hub manager
        services.booking_decide(actor=world.manager, booking=pending, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_decide(actor=world.staff, booking=pending, approve=True)
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (Booking.Status.CONFIRMED, world.staff)
    assert mailoutbox[-1].subject.startswith("Booking confirmed: Meeting room, 2030-03-05 10:00")

    other = book(world, room, world.rep, at(6, 10), at(6, 11)).first
    with pytest.raises(services.BookingInvalid) as refused:
        services.booking_decide(actor=world.staff, booking=other, approve=False)
    assert refused.value.field == "note"
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_decide(actor=world.staff, booking=other, approve=False, note="Maintenance")
    assert "declined: Maintenance" in mailoutbox[-1].body
    # A declined booking frees its slot; the booker who manages the room needs no approval.
    room.managers.add(world.manager)
    assert book(world, room, world.manager, at(6, 10), at(6, 11)).first.status == "confirmed"


def test_cancellation_with_notice(world, room):
    booking = book(world, room, world.rep, at(5, 10), at(5, 11)).first
    late = at(4, 11)  # 23 hours before; the room asks for 24
    with pytest.raises(services.BookingInvalid, match="24 hours' notice") as refused:
        services.booking_cancel(actor=world.rep, booking=booking, now=late)
    assert refused.value.field == "start"
    with pytest.raises(PermissionDenied):
        services.booking_cancel(actor=world.manager, booking=booking, now=NOW)
    services.booking_cancel(actor=world.staff, booking=booking, reason="Fire drill", now=late)
    booking.refresh_from_db()
    assert (booking.status, booking.note) == (Booking.Status.CANCELLED, "Fire drill")
    change = AuditEntry.objects.filter(object_pk=str(booking.pk), action="update").get()
    assert change.changes["status"] == ["confirmed", "cancelled"]
    # The slot is free again.
    book(world, room, world.rep, at(5, 10), at(5, 11))


def test_a_recurring_series_is_booked_all_or_nothing(world, room):
    weekly = "FREQ=WEEKLY;COUNT=3"
    taken = book(world, room, world.staff, at(19, 10), at(19, 11)).first
    with pytest.raises(services.BookingConflict) as refused:
        book(world, room, world.rep, at(5, 10), at(5, 11), recurrence=weekly)
    assert refused.value.conflict_with == taken.pk
    assert refused.value.span == Span(at(19, 10), at(19, 11))
    assert Booking.objects.count() == 1
    # Thursdays from 4 April 2030: the third is Maundy Thursday, a holiday in Spain.
    with pytest.raises(services.BookingInvalid, match="2030-04-18: is a public holiday"):
        book(world, room, world.rep, at(4, 10).replace(month=4), at(4, 11).replace(month=4),
             recurrence=weekly)  # fmt: skip
    series = book(world, room, world.rep, at(5, 12), at(5, 13), recurrence=weekly).bookings
    assert [b.start for b in series] == [at(5, 12), at(12, 12), at(19, 12)]
    assert len({b.series for b in series}) == 1 and series[0].series
    cancelled = services.booking_cancel(actor=world.rep, booking=series[1], now=NOW)
    assert [b.pk for b in cancelled] == [series[1].pk, series[2].pk]
    assert Booking.objects.get(pk=series[0].pk).status == Booking.Status.CONFIRMED


def test_a_bad_rule_names_the_recurrence(world, room):
    with pytest.raises(services.BookingInvalid, match="needs COUNT or UNTIL") as refused:
        book(world, room, world.rep, at(5, 10), at(5, 11), recurrence="FREQ=DAILY")
    assert refused.value.field == "recurrence"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the constraint is PostgreSQL's")
def test_the_database_refuses_overlapping_bookings(world, room):
    values = {"resource": room, "user": world.rep, "status": "confirmed", "price_eur": 0}
    Booking.objects.create(start=at(5, 10), end=at(5, 11), held_until=at(5, 11, 15), **values)
    with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
        Booking.objects.create(start=at(5, 11), end=at(5, 12), held_until=at(5, 12), **values)
    # Cancelled bookings hold nothing; touching spans do not overlap.
    Booking.objects.create(
        start=at(5, 10), end=at(5, 11), held_until=at(5, 11), **(values | {"status": "cancelled"})
    )
    Booking.objects.create(start=at(5, 11, 15), end=at(5, 12), held_until=at(5, 12), **values)


def test_occupancy_of_a_month_and_by_cluster(world, room):
    book(world, room, world.rep, at(5, 10), at(5, 12), organisation=world.member)
    book(world, room, world.manager, at(6, 15), at(6, 18), cluster=world.cluster)
    book(world, room, world.staff, at(7, 9), at(7, 10))
    pending = book(world, room, world.staff, at(8, 9), at(8, 10)).first
    services.booking_cancel(actor=world.staff, booking=pending, now=NOW)
    used = selectors.occupancy(room, date(2030, 3, 1))
    # 21 weekdays of 9 hours in March 2030; 2 + 3 + 1 hours confirmed.
    assert (used.open_hours, used.booked_hours) == (Decimal("189.00"), Decimal("6.00"))
    assert used.percent == Decimal("3.2")
    assert selectors.occupancy_by_cluster(room, date(2030, 3, 1)) == [
        ("Food Cluster", Decimal("5.00")),
        ("", Decimal("1.00")),
    ]
    assert selectors.occupancy(room, date(2030, 4, 1)).booked_hours == Decimal("0.00")
    assert selectors.next_free(room, after=at(5, 9), duration=timedelta(hours=1))[0] == Span(
        at(5, 12, 30), at(5, 13, 30)
    )


def test_a_closure_refuses_bookings_and_is_audited(world, room):
    with pytest.raises(PermissionDenied):
        services.closure_add(actor=world.manager, resource=room, start=at(7, 0), end=at(8, 0))
    with pytest.raises(services.BookingInvalid) as refused:
        services.closure_add(actor=world.staff, resource=room, start=at(8, 0), end=at(7, 0))
    assert refused.value.field == "end"
    closure = services.closure_add(
        actor=world.staff, resource=room, start=at(7, 0), end=at(8, 0), reason="Painting"
    )
    assert AuditEntry.objects.filter(model="facilities.closure", object_pk=str(closure.pk)).exists()
    with pytest.raises(services.BookingInvalid, match=r"closed then \(closure from 2030-03-07\)"):
        book(world, room, world.rep, at(7, 10), at(7, 11))


def test_held_spans_are_written_in_utc_as_the_api_writes_instants(world, room):
    madrid = at(5, 10).tzinfo
    start = datetime(2030, 3, 5, 10, 0, 0, 250000, tzinfo=madrid)  # 09:00:00.250 UTC
    Booking.objects.create(
        resource=room, user=world.rep, start=start, end=at(5, 11), held_until=at(5, 11, 15),
        status=Booking.Status.CONFIRMED, price_eur=Decimal(40),
    )  # fmt: skip
    assert selectors.held_span_texts(room, at(5, 0), at(6, 0)) == [
        ("2030-03-05T09:00:00.250Z", "2030-03-05T10:15:00Z")
    ]
