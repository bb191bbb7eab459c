"""The hub's shared facilities in the role × endpoint table: a meeting room of the Galician agency
open to members of its clusters (confirmed at once), a lab whose bookings the hub manager
approves, the representative's confirmed booking of the room and pending booking of the lab."""

from datetime import UTC, datetime

from atclusters.facilities import services
from atclusters.facilities.models import Booking, Closure, Resource
from atclusters.facilities.views import _feed_token
from tests.facilities.factories import at, resource_created
from tests.security.calls import Arguments, Write

ROWS = """
# Shared facilities (atclusters/facilities)                 anon        rep   mgr   o-mgr staff o-staff admin
GET    facilities_resources                                 200         200   200   200   200   200   200
GET    facilities_resource                                  200         200   200   200   200   200   200
GET    facilities_book                                      login       200   200   403   200   403   200
POST   facilities_book                                      login       302   302   403   302   403   302
GET    facilities_my_bookings                               login       200   200   200   200   200   200
GET    facilities_approvals                                 login       200   200   200   200   200   200
GET    facilities_occupancy                                 login       403   403   403   200   403   200
GET    facilities_resource_new                              login       403   403   403   200   200   200
POST   facilities_resource_new                              login       403   403   403   302   302   302
GET    facilities_resource_edit                             login       403   403   403   200   403   200
POST   facilities_resource_edit                             login       403   403   403   302   403   302
GET    facilities_manage                                    login       403   403   403   200   403   200
POST   facilities_manage                                    login       403   403   403   302   403   302
POST   facilities_booking_action [cancel]                   login       302   404   404   302   404   302
POST   facilities_booking_action [approve]                  login       403   404   404   302   404   302
POST   facilities_booking_action [decline]                  login       403   404   404   302   404   302
GET    facilities_booking_ics                               login       200   404   404   200   404   200
GET    facilities_feed                                      200         200   200   200   200   200   200
GET    /api/v1/facilities/resources                         200         200   200   200   200   200   200
GET    /api/v1/facilities/resources/{resource_id}/availability 200      200   200   200   200   200   200
GET    /api/v1/facilities/bookings                          200         200   200   200   200   200   200
POST   /api/v1/facilities/bookings                          401         201   201   403   201   403   201
POST   /api/v1/facilities/bookings/{booking_id}/cancel      401         200   404   404   200   404   200
POST   /api/v1/facilities/bookings/{booking_id}/approve     401         403   404   404   200   404   200
POST   /api/v1/facilities/bookings/{booking_id}/decline     401         403   404   404   200   404   200
"""

NOW = datetime(2030, 3, 1, tzinfo=UTC)


def build(w) -> dict:
    room = resource_created(w.agency)
    lab = resource_created(w.agency, name_en="Lab", kind="equipment", approval="manager")
    booking = services.booking_create(
        actor=w.rep, user=w.rep, resource=room, start=at(5, 10), end=at(5, 11), now=NOW
    ).first
    pending = services.booking_create(
        actor=w.rep, user=w.rep, resource=lab, start=at(5, 10), end=at(5, 11), now=NOW
    ).first
    return {"facility": room, "facility_booking": booking, "facility_pending": pending}


def by_parameter(w) -> dict:
    return {"resource_id": w.facility.pk, "booking_id": w.facility_booking.pk}


def by_endpoint(w) -> dict:
    pending = {"booking_id": w.facility_pending.pk}
    return {
        "facilities_feed": Arguments({"token": _feed_token(w.rep)}),
        "facilities_booking_action [cancel]": Arguments({"action": "cancel"}),
        "facilities_booking_action [approve]": Arguments(pending | {"action": "approve"}),
        "facilities_booking_action [decline]": Arguments(pending | {"action": "decline"}),
        "/api/v1/facilities/bookings/{booking_id}/approve": Arguments(pending),
        "/api/v1/facilities/bookings/{booking_id}/decline": Arguments(pending),
    }


def _status(pk: int):
    return lambda: Booking.objects.get(pk=pk).status


def _count():
    return Booking.objects.count()


def _facility_form(name: str) -> dict:
    return {
        "hub": "Hub Santiago", "name_en": name, "kind": "room", "capacity": "8",
        "timezone": "Europe/Madrid", "list_price_eur": "30", "member_price_eur": "30",
        "aid_treatment": "none", "bookable_by": "members", "approval": "automatic",
        "min_minutes": "30", "max_minutes": "120", "buffer_minutes": "0", "notice_hours": "24",
        "active": "on", "hours_mon": "09:00-14:00",
    }  # fmt: skip


def writes(w) -> dict:
    free = {"start": at(12, 10).isoformat(), "end": at(12, 11).isoformat()}
    form = {"start": "2030-03-12T10:00", "end": "2030-03-12T11:00"}
    booking, pending = w.facility_booking.pk, w.facility_pending.pk
    return {
        "POST facilities_book": Write(form, _count),
        "POST facilities_resource_new": Write(
            _facility_form("Small room"), lambda: Resource.objects.count()
        ),
        "POST facilities_resource_edit": Write(
            _facility_form("Renamed room"),
            lambda: Resource.objects.get(pk=w.facility.pk).name_en,
        ),
        "POST facilities_manage": Write(
            {"closure": "1", "start": "2030-03-20T09:00", "end": "2030-03-20T14:00"},
            lambda: Closure.objects.count(),
        ),
        "POST facilities_booking_action [cancel]": Write(probe=_status(booking)),
        "POST facilities_booking_action [approve]": Write(probe=_status(pending)),
        "POST facilities_booking_action [decline]": Write({"note": "Closed"}, _status(pending)),
        "POST /api/v1/facilities/bookings": Write({"resource": w.facility.pk, **free}, _count),
        "POST /api/v1/facilities/bookings/{booking_id}/cancel": Write(probe=_status(booking)),
        "POST /api/v1/facilities/bookings/{booking_id}/approve": Write(probe=_status(pending)),
        "POST /api/v1/facilities/bookings/{booking_id}/decline": Write(
            {"note": "Closed"}, _status(pending)
        ),
    }
