"""The hub's fees as state aid (docs/facilities.md, "Fees and state aid"): a member's use below
the list price is de minimis aid recorded when the booking is confirmed, refused without the
headroom, revoked when cancelled; a GBER Art. 27 facility charges fees that reflect costs, is
open to several users, and gives preferential access only to undertakings that financed at
least 10 % of the investment costs, in proportion to their share (Art. 27(3) and (4))."""

import json
from datetime import UTC, datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from atclusters.core.permissions import PermissionDenied
from atclusters.facilities import access, services
from atclusters.facilities.models import Booking, Contribution
from atclusters.stateaid import services as aid_services
from atclusters.stateaid.models import Grant
from tests.facilities.factories import at, resource_created

NOW = datetime(2030, 3, 1, 8, tzinfo=UTC)

# March 2030 in Galicia: 21 weekdays (no public holiday; Holy Week is in April) of 9 open hours.
MARCH_OPEN_HOURS = Decimal(21 * 9)


def book(world, room, start, end, **options):
    return services.booking_create(
        actor=world.rep, user=world.rep, resource=room, start=start, end=end, now=NOW,
        organisation=world.member, **options,
    )  # fmt: skip


@pytest.fixture
def room(world):
    return resource_created(world.agency)


@pytest.fixture
def lab(world):
    """An Art. 27 facility: EUR 40 an hour at the market, costs EUR 12, members EUR 15,
    contributors EUR 12."""
    return resource_created(
        world.agency, name_en="Prototyping lab", aid_treatment="gber-27",
        cost_eur=Decimal(12), member_price_eur=Decimal(15), contributor_price_eur=Decimal(12),
    )  # fmt: skip


def test_without_the_headroom_the_booking_is_refused_and_offered_at_the_list_price(world, room):
    undertaking = aid_services.undertaking_of(world.member, source="test")
    aid_services.grant_record(
        actor=None, undertaking=undertaking, reference="EARLIER", grant_date=timezone.localdate(),
        money=aid_services.Money(Decimal("299990")), member_state="ES",
        granting_authority="Xunta", source="test",
    )  # fmt: skip
    with pytest.raises(aid_services.AidRefused) as refused:
        book(world, room, at(5, 10), at(5, 11, 30))
    # The ceiling of Regulation 2023/2831 Art. 3(2), EUR 300,000, less EUR 299,990 granted.
    assert (refused.value.aid_eur, refused.value.headroom_eur) == (Decimal("45.00"), Decimal(10))
    assert refused.value.unsubsidised_eur == Decimal("60.00")
    assert not Booking.objects.exists()
    booking = book(world, room, at(5, 10), at(5, 11, 30), subsidised=False).first
    assert (booking.price_eur, booking.aid_eur, booking.grant) == (Decimal("60.00"), 0, None)


def test_a_series_is_refused_whole_stating_its_aid_and_the_headroom_before_it(world, room):
    undertaking = aid_services.undertaking_of(world.member, source="test")
    aid_services.grant_record(
        actor=None, undertaking=undertaking, reference="EARLIER", grant_date=timezone.localdate(),
        money=aid_services.Money(Decimal("299900")), member_state="ES",
        granting_authority="Xunta", source="test",
    )  # fmt: skip
    # Three one-hour Tuesdays: EUR 30 of aid each, EUR 90 against EUR 100 of headroom fits...
    book(world, room, at(5, 10), at(5, 11), recurrence="FREQ=WEEKLY;COUNT=3")
    # ...and three more (EUR 90 against the EUR 10 left) are refused together, none recorded.
    with pytest.raises(aid_services.AidRefused) as refused:
        book(world, room, at(6, 10), at(6, 11), recurrence="FREQ=WEEKLY;COUNT=3")
    assert (refused.value.aid_eur, refused.value.headroom_eur) == (Decimal(90), Decimal(10))
    assert refused.value.unsubsidised_eur == Decimal(120)
    assert Booking.objects.count() == 3
    assert Grant.objects.filter(reference__startswith="ATC-FAC-").count() == 3


def test_a_booking_awaiting_approval_receives_its_aid_when_confirmed(world):
    room = resource_created(world.agency, approval="manager")
    room.managers.add(world.manager)
    booking = book(world, room, at(5, 10), at(5, 12)).first
    assert (booking.status, booking.aid_eur, booking.grant) == ("pending", Decimal(60), None)
    services.booking_decide(actor=world.manager, booking=booking, approve=True)
    booking.refresh_from_db()
    assert booking.grant.gge_eur == Decimal(60)
    assert booking.grant.grant_date == timezone.localdate()


def test_cancelling_revokes_the_aid(world, room):
    booking = book(world, room, at(5, 10), at(5, 12)).first
    services.booking_cancel(actor=world.rep, booking=booking, now=NOW)
    revocation = Grant.objects.get(corrects=booking.grant)
    assert (revocation.entry, revocation.gge_eur) == (Grant.Entry.REVOCATION, 0)


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"member_price_eur": Decimal(15)}, "cost_eur", "state the cost per hour"),
        ({"cost_eur": Decimal(20), "member_price_eur": Decimal(15)}, "cost_eur", "below the cost"),
        ({"cost_eur": Decimal(12), "bookable_by": "staff"}, "bookable_by", "several users"),
        (
            {"cost_eur": Decimal(12), "member_price_eur": Decimal(15),
             "contributor_price_eur": Decimal(20)},
            "contributor_price_eur", "not preferential",
        ),
    ],
)  # fmt: skip
def test_art_27_fees_reflect_costs_and_access_is_open(world, overrides, field, words):
    with pytest.raises(services.BookingInvalid) as refused:
        resource_created(world.agency, aid_treatment="gber-27", **overrides)
    assert refused.value.field == field
    assert words in str(refused.value)


def test_a_contributor_price_is_an_art_27_condition_only(world):
    with pytest.raises(services.BookingInvalid) as refused:
        resource_created(world.agency, contributor_price_eur=Decimal(5))
    assert refused.value.field == "contributor_price_eur"


def test_art_27_use_is_not_the_members_aid(world, lab):
    booking = book(world, lab, at(5, 10), at(5, 12)).first
    assert (booking.price_eur, booking.aid_eur, booking.grant) == (Decimal(30), 0, None)


def test_a_contributor_uses_its_share_of_the_months_open_hours_at_the_preferential_fee(world, lab):
    services.contribution_save(
        actor=world.staff, agency=world.agency, hub=lab.hub, organisation=world.member,
        share_percent=Decimal(10),
    )  # fmt: skip
    # Quota: 10 % of 189 open hours = 18.90 h. Four mornings of 4 h take 16 h of it...
    for day in (5, 6, 7, 8):
        booking = book(world, lab, at(day, 9), at(day, 13)).first
        assert (booking.contributor_hours, booking.price_eur) == (4, Decimal(48))
    # ...the fifth has 2.90 h at EUR 12 and 1.10 h at the member price of EUR 15.
    fifth = book(world, lab, at(11, 9), at(11, 13)).first
    assert fifth.contributor_hours == Decimal("2.90")
    assert fifth.price_eur == Decimal("51.30")  # 2.9 × 12 + 1.1 × 15
    # April opens a new quota.
    april = book(world, lab, datetime(2030, 4, 2, 9, tzinfo=at(1, 9).tzinfo),
                 datetime(2030, 4, 2, 10, tzinfo=at(1, 9).tzinfo)).first  # fmt: skip
    assert april.contributor_hours == 1


def test_below_ten_percent_of_the_investment_costs_there_is_no_preferential_access(world, lab):
    services.contribution_save(
        actor=world.staff, agency=world.agency, hub=lab.hub, organisation=world.member,
        share_percent=Decimal("9.99"),
    )  # fmt: skip
    booking = book(world, lab, at(5, 9), at(5, 13)).first
    assert (booking.contributor_hours, booking.price_eur) == (0, Decimal(60))


def test_the_shares_of_a_hub_add_up_to_at_most_one_hundred_percent(world, lab):
    services.contribution_save(
        actor=world.staff, agency=world.agency, hub=lab.hub, organisation=world.member,
        share_percent=Decimal(60),
    )  # fmt: skip
    with pytest.raises(services.BookingInvalid) as refused:
        services.contribution_save(
            actor=world.staff, agency=world.agency, hub=lab.hub, organisation=world.outsider,
            share_percent=Decimal(41),
        )  # fmt: skip
    assert refused.value.field == "share_percent"
    # Changing one's own share replaces it.
    services.contribution_save(
        actor=world.staff, agency=world.agency, hub=lab.hub, organisation=world.member,
        share_percent=Decimal(59),
    )  # fmt: skip
    assert Contribution.objects.get().share_percent == Decimal(59)


def test_only_the_agencys_staff_record_contributions(world, lab):
    with pytest.raises(PermissionDenied):
        services.contribution_save(
            actor=world.rep, agency=world.agency, hub=lab.hub, organisation=world.member,
            share_percent=Decimal(20),
        )  # fmt: skip


def test_fees_worked_cases():
    fees = access.Fees(
        treatment=access.DE_MINIMIS, list_price=Decimal(40), member_price=Decimal(10)
    )
    # 2.5 h: EUR 25 paid, EUR 100 at the market, EUR 75 of aid to the member...
    price = access.use_price(fees, hours=Decimal("2.5"), member=True)
    assert (price.total, price.at_list_price, price.aid) == (Decimal(25), Decimal(100), 75)
    # ...none to the agency's own staff, who are no undertaking.
    assert access.use_price(fees, hours=Decimal(1), member=True, beneficiary=False).aid == 0
    assert access.contributor_quota(Decimal(10), MARCH_OPEN_HOURS) == Decimal("18.90")
    assert not access.preferential(Decimal("9.99"))
    assert access.preferential(Decimal(10))


def _exhaust_headroom(world, left=Decimal(10)):
    undertaking = aid_services.undertaking_of(world.member, source="test")
    aid_services.grant_record(
        actor=None, undertaking=undertaking, reference="EARLIER", grant_date=timezone.localdate(),
        money=aid_services.Money(Decimal(300000) - left), member_state="ES",
        granting_authority="Xunta", source="test",
    )  # fmt: skip


def test_the_api_answers_409_with_the_headroom_then_books_unsubsidised(client, bearer, world, room):
    _exhaust_headroom(world)
    body = {
        "resource": room.pk, "organisation": world.member.slug,
        "start": "2030-03-05T10:00:00+01:00", "end": "2030-03-05T11:00:00+01:00",
    }  # fmt: skip
    headers = bearer("rep")
    refused = client.post(
        "/api/v1/facilities/bookings", body, content_type="application/json", headers=headers
    )
    assert refused.status_code == 409
    assert {key: refused.json()[key] for key in ("aid_eur", "headroom_eur", "unsubsidised_eur")} == {
        "aid_eur": "30.00", "headroom_eur": "10.00", "unsubsidised_eur": "40.00",
    }  # fmt: skip
    booked = client.post(
        "/api/v1/facilities/bookings", body | {"subsidised": False},
        content_type="application/json", headers=headers,
    )  # fmt: skip
    assert booked.status_code == 201
    first = booked.json()["bookings"][0]
    assert (first["price_eur"], first["aid_eur"], first["grant_id"]) == ("40.00", "0.00", None)


def test_the_command_line_exits_1_without_headroom_and_records_contributions(world, room):
    _exhaust_headroom(world)
    args = [
        "book", "--resource", str(room.pk), "--start", "2030-03-05T10:00+01:00",
        "--end", "2030-03-05T11:00+01:00", "--user", "rep", "--organisation", world.member.slug,
    ]  # fmt: skip
    out = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("facilities", *args, "--json", stdout=out)
    assert exited.value.code == 1
    assert json.loads(out.getvalue())["headroom_eur"] == "10.00"
    out = StringIO()
    call_command("facilities", *args, "--unsubsidised", "--json", stdout=out)
    assert json.loads(out.getvalue())["price_eur"] == "40.00"
    out = StringIO()
    call_command(
        "facilities", "contribution", "--agency", world.agency.slug, "--hub", room.hub,
        "--organisation", world.member.slug, "--share", "12.5", "--json", stdout=out,
    )  # fmt: skip
    assert json.loads(out.getvalue())["share_percent"] == "12.50"
    with pytest.raises(CommandError) as refused:
        call_command(
            "facilities", "contribution", "--agency", world.agency.slug, "--hub", room.hub,
            "--organisation", world.outsider.slug, "--share", "90", stdout=StringIO(),
        )  # fmt: skip
    assert "--share" in str(refused.value)
