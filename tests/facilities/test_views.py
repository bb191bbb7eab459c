"""The hub's pages: the week (what is free, not who booked), booking with the conflict and the
next free slots, my bookings with their .ics and the calendar feed, the approval queue."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from atclusters.facilities import services
from atclusters.facilities.models import Booking
from atclusters.facilities.views import _feed_token
from tests.facilities.factories import at, resource_created

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 3, 1, tzinfo=UTC)


@pytest.fixture
def room(world):
    return resource_created(world.agency)


def booked(world, room, user, start, end):
    return services.booking_create(
        actor=user, user=user, resource=room, start=start, end=end, now=NOW
    ).first


def test_the_week_shows_free_and_taken_times_and_the_access_rules(client, world, room):
    booked(world, room, world.rep, at(5, 10), at(5, 11))
    url = reverse("facilities_resource", args=[room.pk])
    page = client.get(url, {"week": "2030-03-06"}).content.decode()
    assert "Week of 04/03/2030" in page
    assert page.count(">taken<") == 2  # 10:00 and 10:30 on Tuesday
    assert "rep" not in page.split('id="week"')[1]  # who booked stays private
    assert "Regulation (EU) 2023/2831" in page and "de minimis register" in page
    assert "Sign in to book." in page
    # Signed in, free half hours link to the form at their time.
    client.force_login(world.rep)
    page = client.get(url, {"week": "2030-03-04"}).content.decode()
    assert (
        f"{reverse('facilities_book', args=[room.pk])}?start=2030-03-05T11%3A30%3A00%2B01%3A00"
        in page
    )
    assert page.count(">yours<") == 2
    # htmx asks for the week alone.
    partial = client.get(url, {"week": "2030-03-11"}, headers={"HX-Request": "true"})
    assert partial.content.decode().startswith('<section id="week"')


def test_an_art_27_facility_publishes_its_access_conditions_and_contributors(client, world):
    lab = resource_created(
        world.agency, aid_treatment="gber-27", cost_eur=12, member_price_eur=15,
        contributor_price_eur=12,
    )  # fmt: skip
    for organisation, share in ((world.member, 25), (world.outsider, 5)):
        services.contribution_save(
            actor=world.staff, agency=world.agency, hub=lab.hub, organisation=organisation,
            share_percent=Decimal(share),
        )  # fmt: skip
    page = client.get(
        reverse("facilities_resource", args=[lab.pk]), {"week": "2030-03-04"}
    ).content.decode()
    assert "Regulation (EU) No 651/2014" in page and "at least 10 %" in page
    assert "EUR 12.00 an hour" in page  # the cost every fee below the list price covers
    # March 2030: 189 open hours; 25 % of them at the contributor price, none below 10 %.
    assert f"<td>{world.member}</td><td>25.00 %</td><td>47.25</td>" in page
    assert f"<td>{world.outsider}</td><td>5.00 %</td><td>none (below 10 %)</td>" in page


def test_the_week_names_a_public_holiday(client, world, room):
    page = client.get(reverse("facilities_resource", args=[room.pk]), {"week": "2030-04-15"})
    text = page.content.decode()
    assert "Jueves Santo" in text and "Viernes Santo" in text
    # Monday to Wednesday: 18 half hours open each; Thursday and Friday closed.
    assert text.count(">free<") == 3 * 18


def test_booking_form_conflict_offers_the_next_free_slots(client, world, room):
    booked(world, room, world.staff, at(5, 10), at(5, 11))
    client.force_login(world.rep)
    url = reverse("facilities_book", args=[room.pk])
    assert (
        'value="2030-03-05T12:00"'
        in client.get(url, {"start": "2030-03-05T12:00:00+01:00"}).content.decode()
    )
    response = client.post(url, {"start": "2030-03-05T10:30", "end": "2030-03-05T11:30"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "This time is already taken." in page
    assert f"{url}?start=2030-03-05T11%3A30%3A00%2B01%3A00" in page  # held until 11:15
    response = client.post(
        url,
        {"start": "2030-03-05T11:30", "end": "2030-03-05T12:30",
         "party": f"organisation:{world.member.pk}", "purpose": "Board"},
    )  # fmt: skip
    assert response.status_code == 302
    mine = Booking.objects.get(user=world.rep)
    assert (mine.start, mine.organisation, mine.status) == (
        at(5, 11, 30),
        world.member,
        "confirmed",
    )
    # A broken rule is shown at its field.
    response = client.post(url, {"start": "2030-03-09T10:00", "end": "2030-03-09T11:00"})
    assert "is outside the opening hours" in response.content.decode()


def test_my_bookings_their_ics_and_the_calendar_feed(client, world, room):
    mine = booked(world, room, world.rep, at(5, 10), at(5, 11))
    client.force_login(world.rep)
    page = client.get(reverse("facilities_my_bookings")).content.decode()
    token = _feed_token(world.rep)
    assert reverse("facilities_feed", args=[token]) in page
    ics = client.get(reverse("facilities_booking_ics", args=[mine.pk]))
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    text = ics.content.decode()
    assert "DTSTART:20300305T090000Z\r\nDTEND:20300305T100000Z\r\n" in text
    assert f"UID:booking-{mine.pk}@testserver" in text
    client.logout()
    feed = client.get(reverse("facilities_feed", args=[token]))
    assert (
        feed.status_code == 200 and "SUMMARY:Meeting room\\, Hub Santiago" in feed.content.decode()
    )
    assert client.get(reverse("facilities_feed", args=[token[:-1] + "x"])).status_code == 404
    # A new password, a new address.
    world.rep.set_password("another-password-1")
    world.rep.save()
    assert client.get(reverse("facilities_feed", args=[token])).status_code == 404


def test_the_hub_manager_approves_from_the_queue(client, world):
    lab = resource_created(world.agency, name_en="Lab", approval="manager")
    pending = booked(world, lab, world.rep, at(5, 10), at(5, 11))
    client.force_login(world.staff)
    assert "Lab" in client.get(reverse("facilities_approvals")).content.decode()
    client.post(reverse("facilities_booking_action", args=[pending.pk, "decline"]), {"note": ""})
    pending.refresh_from_db()
    assert pending.status == "pending"  # a decline needs its reason
    client.post(reverse("facilities_booking_action", args=[pending.pk, "approve"]))
    pending.refresh_from_db()
    assert pending.status == "confirmed"
    occupancy = client.get(reverse("facilities_occupancy"), {"month": "2030-03"}).content.decode()
    assert "Occupancy, March 2030" in occupancy and "189.00" in occupancy


def test_timezone_of_the_form_is_the_facility_s(world):
    """A visitor's active time zone does not move the booking: the form's times are Madrid's."""
    lisbon = resource_created(world.agency, name_en="Lisbon desk", timezone="Europe/Lisbon")
    with timezone.override("Asia/Tokyo"):
        from atclusters.facilities.views import BookingForm

        form = BookingForm(
            {"start": "2030-03-05T10:00", "end": "2030-03-05T11:00"}, user=world.rep,
            resource=lisbon,
        )  # fmt: skip
        assert form.is_valid()
        assert form.in_zone(form.cleaned_data["start"]) == datetime(2030, 3, 5, 10, tzinfo=UTC)
