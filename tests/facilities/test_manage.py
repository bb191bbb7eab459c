"""Agency staff create and change facilities on pages; hub managers close them; staff record the
contributions to the hub's investment costs; "My work" shows coming bookings and approvals."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from atclusters.core.models import AuditEntry
from atclusters.facilities import services
from atclusters.facilities.models import Closure, Contribution, Resource
from tests.facilities.factories import at, resource_created

pytestmark = pytest.mark.django_db

FORM = {
    "hub": "Hub Santiago", "name_en": "Small room", "name_gl": "Sala pequena", "kind": "room",
    "capacity": "8", "timezone": "Europe/Madrid", "holiday_subdivision": "GA",
    "list_price_eur": "30", "member_price_eur": "10", "aid_treatment": "de-minimis",
    "bookable_by": "members", "approval": "automatic", "min_minutes": "30",
    "max_minutes": "120", "buffer_minutes": "10", "notice_hours": "24", "active": "on",
    "features": "screen, whiteboard", "hours_mon": "09:00-14:00, 15:00-18:00",
    "hours_fri": "09:00-13:00",
}  # fmt: skip


def test_agency_staff_create_a_facility_with_its_week(client, world):
    client.force_login(world.staff)
    answer = client.post(reverse("facilities_resource_new"), FORM)
    resource = Resource.objects.get(name_en="Small room")
    assert answer.status_code == 302 and answer.url == reverse(
        "facilities_resource", args=[resource.pk]
    )
    assert resource.agency == world.agency
    assert resource.opening_hours == {
        "mon": [["09:00", "14:00"], ["15:00", "18:00"]],
        "fri": [["09:00", "13:00"]],
    }
    assert resource.features == ["screen", "whiteboard"]
    assert AuditEntry.objects.filter(model="facilities.resource", actor=world.staff).exists()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"hours_tue": "9-14"}, "hours_tue", "write the hours as 09:00-14:00"),
        ({"hours_wed": "14:00-09:00"}, "hours_wed", "14:00-09:00 closes before it opens"),
        ({"hours_thu": "09:00-14:00, 13:00-15:00"}, "hours_thu", "the windows overlap"),
        ({"aid_treatment": "gber-27"}, "cost_eur", "state the cost per hour"),
        ({"member_price_eur": "40"}, "member_price_eur", "above the list price"),
    ],
)
def test_a_bad_facility_is_refused_naming_the_field(client, world, changes, field, words):
    client.force_login(world.staff)
    answer = client.post(reverse("facilities_resource_new"), FORM | changes)
    assert answer.status_code == 200
    errors = answer.context["form"].errors
    assert field in errors and words in " ".join(errors[field])
    assert not Resource.objects.exists()


def test_staff_change_a_facility_and_the_audit_says_what_changed(client, world):
    room = resource_created(world.agency)
    client.force_login(world.staff)
    page = client.get(reverse("facilities_resource_edit", args=[room.pk]))
    assert page.context["form"]["hours_tue"].value() == "09:00-14:00, 15:00-19:00"
    answer = client.post(
        reverse("facilities_resource_edit", args=[room.pk]),
        FORM | {"name_en": "Meeting room", "list_price_eur": "45"},
    )
    assert answer.status_code == 302
    room.refresh_from_db()
    assert room.list_price_eur == Decimal(45)
    entry = AuditEntry.objects.filter(model="facilities.resource", action="update").get()
    assert entry.changes["list_price_eur"] == ["40.00", "45"]


def test_a_hub_manager_closes_the_facility_but_records_no_contribution(client, world):
    room = resource_created(world.agency)
    room.managers.add(world.manager)
    client.force_login(world.manager)
    url = reverse("facilities_manage", args=[room.pk])
    closed = client.post(
        url, {"closure": "1", "start": "2030-03-20T09:00", "end": "2030-03-20T14:00",
              "reason": "Painting"},
    )  # fmt: skip
    assert closed.status_code == 302
    closure = Closure.objects.get()
    assert (closure.start, closure.reason) == (at(20, 9), "Painting")
    refused = client.post(
        url, {"contribution": "1", "organisation": world.member.pk, "share_percent": "20"}
    )
    assert refused.status_code == 403
    assert not Contribution.objects.exists()
    client.force_login(world.staff)
    recorded = client.post(
        url, {"contribution": "1", "organisation": world.member.pk, "share_percent": "20"}
    )
    assert recorded.status_code == 302
    assert Contribution.objects.get().share_percent == Decimal(20)
    too_much = client.post(
        url, {"contribution": "1", "organisation": world.outsider.pk, "share_percent": "85"}
    )
    assert "add up to 105.00 %" in too_much.content.decode()


def test_my_work_shows_coming_bookings_and_approvals(client, world, time_machine):
    time_machine.move_to(datetime(2030, 3, 1, 8, tzinfo=UTC))
    lab = resource_created(world.agency, name_en="Lab", name_es="Laboratorio", approval="manager")
    lab.managers.add(world.manager)
    services.booking_create(
        actor=world.rep, user=world.rep, resource=lab, start=at(5, 10), end=at(5, 11),
        organisation=world.member,
    )  # fmt: skip
    client.force_login(world.rep)
    page = client.get("/es/dashboard/").content.decode()
    assert "Laboratorio" in page and "05/03/2030 10:00" in page
    client.force_login(world.manager)
    page = client.get("/en/dashboard/").content.decode()
    assert "1 booking awaiting your approval" in page
    client.force_login(world.nobody)
    assert "Shared facilities" not in client.get("/en/dashboard/").content.decode()
