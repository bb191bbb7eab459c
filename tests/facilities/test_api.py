"""The hub on the REST API: availability, booking (201, 409 with the next free slots, 422 naming
the field), approval and cancellation, and the operations in the OpenAPI schema."""

import pytest

from atclusters.facilities.models import Booking
from tests.facilities.factories import resource_created

pytestmark = pytest.mark.django_db

BOOKINGS = "/api/v1/facilities/bookings"


@pytest.fixture
def room(world):
    return resource_created(world.agency)


def post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", headers=headers)


def test_book_conflict_and_bad_input(client, bearer, room, world):
    rep = bearer("rep")
    body = {
        "resource": room.pk,
        "start": "2030-03-05T10:00:00+01:00",
        "end": "2030-03-05T11:00:00+01:00",
    }
    created = post(client, BOOKINGS, body | {"organisation": world.member.slug}, rep)
    assert created.status_code == 201
    answer = created.json()
    assert (answer["booked"], answer["status"]) == (True, "confirmed")
    assert answer["bookings"][0]["price_eur"] == "10.00"
    assert answer["bookings"][0]["cluster"] == world.cluster.slug
    taken = post(client, BOOKINGS, body | {"start": "2030-03-05T10:30:00+01:00",
                                            "end": "2030-03-05T11:30:00+01:00"}, bearer("staff"))  # fmt: skip
    assert taken.status_code == 409
    assert taken.json()["conflict_with"] == answer["booking_id"]
    assert taken.json()["next_free"][0] == {
        "start": "2030-03-05T10:30:00Z",  # 11:30 in Madrid, after the buffer to 11:15
        "end": "2030-03-05T11:30:00Z",
    }
    naive = post(client, BOOKINGS, body | {"start": "2030-03-06T10:00:00"}, rep)
    assert naive.status_code == 422 and "start" in naive.json()["detail"]
    short = post(client, BOOKINGS, body | {"start": "2030-03-06T10:00:00+01:00",
                                           "end": "2030-03-06T10:10:00+01:00"}, rep)  # fmt: skip
    assert short.status_code == 422
    assert short.json()["detail"]["end"] == [
        "the booking is shorter than the minimum of 30 minutes"
    ]
    outsider = post(client, BOOKINGS, body, bearer("other_staff"))
    assert outsider.status_code == 403
    assert Booking.objects.count() == 1


def test_availability_shows_open_and_held_times_and_holidays(client, room, world, bearer):
    post(client, BOOKINGS, {"resource": room.pk, "start": "2030-04-15T10:00:00+02:00",
                            "end": "2030-04-15T11:00:00+02:00"}, bearer("rep"))  # fmt: skip
    answer = client.get(
        f"/api/v1/facilities/resources/{room.pk}/availability", {"since": "2030-04-15", "days": 5}
    ).json()
    assert answer["holidays"] == {"2030-04-18": "Jueves Santo", "2030-04-19": "Viernes Santo"}
    assert len(answer["open"]) == 3 * 2  # Monday to Wednesday, morning and afternoon
    assert answer["open"][0] == {"start": "2030-04-15T07:00:00Z", "end": "2030-04-15T12:00:00Z"}
    assert answer["taken"] == [{"start": "2030-04-15T08:00:00Z", "end": "2030-04-15T09:15:00Z"}]
    listed = client.get("/api/v1/facilities/resources").json()
    assert [(r["id"], r["names"]["gl"]) for r in listed] == [(room.pk, "Sala de reunións")]


def test_approve_decline_and_cancel(client, bearer, world):
    lab = resource_created(world.agency, name_en="Lab", approval="manager")
    body = {
        "resource": lab.pk,
        "start": "2030-03-05T10:00:00+01:00",
        "end": "2030-03-05T11:00:00+01:00",
    }
    first = post(client, BOOKINGS, body, bearer("rep")).json()
    assert first["status"] == "pending"
    url = f"{BOOKINGS}/{first['booking_id']}"
    assert post(client, f"{url}/approve", {}, bearer("rep")).status_code == 403
    assert post(client, f"{url}/approve", {}, bearer("manager")).status_code == 404
    approved = post(client, f"{url}/approve", {}, bearer("staff"))
    assert approved.status_code == 200 and approved.json()[0]["status"] == "confirmed"
    again = post(client, f"{url}/decline", {"note": "x"}, bearer("staff"))
    assert again.status_code == 422 and "status" in again.json()["detail"]
    cancelled = post(client, f"{url}/cancel", {"note": "Not needed"}, bearer("rep"))
    assert cancelled.json()[0]["status"] == "cancelled"
    mine = client.get(BOOKINGS, headers=bearer("rep")).json()["items"]
    assert [(b["id"], b["status"], b["note"]) for b in mine] == [
        (first["booking_id"], "cancelled", "Not needed")
    ]
    assert client.get(BOOKINGS).json() == {"items": [], "count": 0}


def test_the_operations_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/facilities/resources",
        "/api/v1/facilities/resources/{resource_id}/availability",
        "/api/v1/facilities/bookings",
        "/api/v1/facilities/bookings/{booking_id}/cancel",
        "/api/v1/facilities/bookings/{booking_id}/approve",
        "/api/v1/facilities/bookings/{booking_id}/decline",
    } <= set(paths)
    assert "409" in paths["/api/v1/facilities/bookings"]["post"]["responses"]
