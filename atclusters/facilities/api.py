"""REST endpoints of the hub: the facilities, when they are open and taken, and bookings (create,
cancel, approve, decline) under the same rules as the pages (docs/facilities.md)."""

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Annotated

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from atclusters.api.auth import WRITE_AUTH, reader
from atclusters.core import languages
from atclusters.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    ApiValidationError,
    Documents,
    IsoDay,
    Pagination,
)
from atclusters.core.http import ApiRequest
from atclusters.core.permissions import PermissionDenied
from atclusters.core.schemas import InputSchema
from atclusters.facilities import availability, permissions, selectors, services
from atclusters.facilities.models import Booking, Resource
from atclusters.registry.models import ClusterOrganisation, Organisation
from atclusters.stateaid import services as aid_services

router = Router(tags=["facilities"])


class ResourceOut(Schema):
    id: int
    name: str
    names: dict[str, str]
    kind: str
    capacity: int
    hub: str
    agency: str
    features: list[str]
    opening_hours: dict[str, list[list[str]]]
    timezone: str
    list_price_eur: Decimal
    member_price_eur: Decimal
    bookable_by: str
    approval: str
    min_minutes: int
    max_minutes: int
    buffer_minutes: int
    notice_hours: int
    aid_treatment: str = Field(..., description="none | de-minimis | gber-27")
    cost_eur: Decimal | None = Field(..., description="cost per hour (GBER Art. 27 fees)")
    contributor_price_eur: Decimal | None = Field(
        ..., description="GBER Art. 27: preferential fee of contributors of ≥ 10 % of the costs"
    )


def resource_document(resource: Resource) -> dict:
    return {
        "id": resource.pk,
        "name": resource.name_en,
        "names": {code: resource.name(code) for code in languages.CODES},
        "kind": resource.kind,
        "capacity": resource.capacity,
        "hub": resource.hub,
        "agency": resource.agency.slug,
        "features": resource.features,
        "opening_hours": resource.opening_hours,
        "timezone": resource.timezone,
        "list_price_eur": resource.list_price_eur,
        "member_price_eur": resource.member_price_eur,
        "bookable_by": resource.bookable_by,
        "approval": resource.approval,
        "min_minutes": resource.min_minutes,
        "max_minutes": resource.max_minutes,
        "buffer_minutes": resource.buffer_minutes,
        "notice_hours": resource.notice_hours,
        "aid_treatment": resource.aid_treatment,
        "cost_eur": resource.cost_eur,
        "contributor_price_eur": resource.contributor_price_eur,
    }


@router.get("/facilities/resources", response={200: list[ResourceOut], **READ_ERRORS})
def resources(request):
    """The bookable rooms and equipment, with their rules and prices per hour."""
    return [resource_document(r) for r in permissions.visible_resources(reader(request))]


class SpanOut(Schema):
    start: datetime
    end: datetime


class AvailabilityOut(Schema):
    resource: int
    since: date
    until: date
    open: list[SpanOut]
    taken: list[SpanOut] = Field(..., description="held spans: each booking plus the buffer")
    holidays: dict[str, str] = Field(..., description="local day (YYYY-MM-DD) → holiday")
    next_free: list[SpanOut] = Field(..., description="with `minutes`: the first free spans")


def _spans(spans) -> list[dict]:
    return [{"start": span.start, "end": span.end} for span in spans]


@router.get(
    "/facilities/resources/{resource_id}/availability",
    response={200: AvailabilityOut, **READ_ERRORS},
)
def resource_availability(
    request,
    resource_id: int,
    since: IsoDay | None = None,
    days: Annotated[int, Query(ge=1, le=62)] = 7,
    minutes: Annotated[int | None, Query(ge=1, le=1440)] = None,
):
    """When the resource is open and taken from `since` (default today) for `days` local days,
    and, with `minutes`, the next three free spans of that length from now."""
    resource = permissions.visible_resources(reader(request)).filter(pk=resource_id).first()
    if resource is None:
        raise HttpError(404, "no such resource")
    rules = selectors.resource_rules(resource)
    now = timezone.now()
    first = since or now.astimezone(rules.zone).date()
    last = first + timedelta(days=days - 1)
    opened = [
        span
        for offset in range(days)
        for span in availability.opening_spans(rules, first + timedelta(days=offset))
    ]
    start = datetime.combine(first, datetime.min.time(), rules.zone)
    taken = selectors.held_span_texts(resource, start, start + timedelta(days=days))
    free = (
        selectors.next_free(resource, after=now, duration=timedelta(minutes=minutes))
        if minutes
        else []
    )
    document = {
        "resource": resource.pk,
        "since": first,
        "until": last,
        "open": _spans(opened),
        "taken": [{"start": held_start, "end": held_end} for held_start, held_end in taken],
        "holidays": {
            day.isoformat(): name
            for offset in range(days)
            if (name := availability.holiday(rules, day := first + timedelta(days=offset)))
        },
        "next_free": _spans(free),
    }
    # A busy month holds thousands of spans: written as they are, not validated one by one
    # against the schema they were built for.
    return HttpResponse(
        json.dumps(document, cls=DjangoJSONEncoder), content_type="application/json"
    )


class BookingOut(Schema):
    id: int
    resource: int
    user: str
    organisation: str | None
    cluster: str | None
    start: datetime
    end: datetime
    status: str
    purpose: str
    series: str
    recurrence: str
    member_rate: bool
    price_eur: Decimal
    contributor_hours: Decimal
    aid_eur: Decimal = Field(..., description="de minimis aid: list price − price paid")
    grant_id: int | None = Field(..., description="its entry in the register, once confirmed")
    note: str


def booking_document(booking: Booking) -> dict:
    return {
        "id": booking.pk,
        "resource": booking.resource_id,
        "user": booking.user.get_username(),
        "organisation": booking.organisation.slug if booking.organisation else None,
        "cluster": booking.cluster.slug if booking.cluster else None,
        "start": booking.start,
        "end": booking.end,
        "status": booking.status,
        "purpose": booking.purpose,
        "series": booking.series,
        "recurrence": booking.recurrence,
        "member_rate": booking.member_rate,
        "price_eur": booking.price_eur,
        "contributor_hours": booking.contributor_hours,
        "aid_eur": booking.aid_eur,
        "grant_id": booking.grant_id,
        "note": booking.note,
    }


@router.get("/facilities/bookings", response={200: list[BookingOut], **READ_ERRORS})
@paginate(Pagination)
def bookings(request, status: Booking.Status | None = None):
    """Your bookings and those of the facilities you manage (none without a token)."""
    chosen = (
        permissions.visible_bookings(reader(request))
        .select_related("user", "organisation", "cluster")
        .order_by("start", "pk")
    )
    if status:
        chosen = chosen.filter(status=status)
    return Documents(chosen, booking_document)


class BookingIn(InputSchema):
    resource: int
    start: datetime = Field(..., description="ISO 8601 with its offset")
    end: datetime
    organisation: str | None = Field(None, description="slug of the member organisation")
    cluster: str | None = Field(None, description="slug of the cluster")
    purpose: str = Field("", max_length=300)
    recurrence: str = Field(
        "", max_length=300, description="RFC 5545 RRULE, e.g. FREQ=WEEKLY;COUNT=4"
    )
    subsidised: bool = Field(
        True, description="false: the list price, no aid (when the member has no headroom)"
    )


class BookedOut(Schema):
    booked: bool
    status: str
    booking_id: int
    bookings: list[BookingOut]


class ConflictOut(Schema):
    detail: str
    conflict_with: int | None = None
    next_free: list[SpanOut] = []
    aid_eur: Decimal | None = Field(None, description="when refused for want of headroom")
    headroom_eur: Decimal | None = None
    unsubsidised_eur: Decimal | None = Field(None, description="the price with no aid")


def _aid_refused(refused: aid_services.AidRefused) -> Status:
    return Status(
        409,
        {
            "detail": str(refused),
            "aid_eur": refused.aid_eur,
            "headroom_eur": refused.headroom_eur,
            "unsubsidised_eur": refused.unsubsidised_eur,
        },
    )


def _aware(value: datetime, field: str) -> datetime:
    if timezone.is_naive(value):
        raise ApiValidationError({field: ["give the time with its UTC offset"]})
    return value


@router.post(
    "/facilities/bookings",
    response={201: BookedOut, 409: ConflictOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def booking_create(request: ApiRequest, payload: BookingIn):
    """Books for yourself, once or as a recurring series (all or nothing). 201 confirmed or
    awaiting approval; 409 when taken, with the booking that holds the time and the next free
    spans of the same length, or when the member's de minimis headroom is smaller than the
    aid (with the headroom and the price without aid: `subsidised: false`); 422 naming the
    field when a rule is broken."""
    resource = permissions.visible_resources(request.auth).filter(pk=payload.resource).first()
    if resource is None:
        raise HttpError(404, "no such resource")
    organisation = cluster = None
    if payload.organisation:
        organisation = Organisation.objects.filter(slug=payload.organisation).first()
        if organisation is None:
            raise ApiValidationError({"organisation": ["no such organisation"]})
    if payload.cluster:
        cluster = ClusterOrganisation.objects.filter(slug=payload.cluster).first()
        if cluster is None:
            raise ApiValidationError({"cluster": ["no such cluster"]})
    try:
        booked = services.booking_create(
            actor=request.auth,
            user=request.auth,
            resource=resource,
            start=_aware(payload.start, "start"),
            end=_aware(payload.end, "end"),
            organisation=organisation,
            cluster=cluster,
            purpose=payload.purpose,
            recurrence=payload.recurrence,
            subsidised=payload.subsidised,
            source="api",
        )
    except PermissionDenied as error:
        raise HttpError(403, "You may not book this facility.") from error
    except aid_services.AidRefused as refused:
        return _aid_refused(refused)
    except services.BookingInvalid as error:
        raise ApiValidationError({error.field: [str(error)]}) from error
    except services.BookingConflict as error:
        return Status(
            409,
            {
                "detail": str(error),
                "conflict_with": error.conflict_with,
                "next_free": _spans(error.next_free),
            },
        )
    return Status(
        201,
        {
            "booked": True,
            "status": booked.first.status,
            "booking_id": booked.first.pk,
            "bookings": [booking_document(b) for b in booked.bookings],
        },
    )


class NoteIn(InputSchema):
    note: str = Field("", max_length=500)


def _booking(request: ApiRequest, booking_id: int) -> Booking:
    booking = permissions.visible_bookings(request.auth).filter(pk=booking_id).first()
    if booking is None:
        raise HttpError(404, "no such booking")
    return booking


def _decided(call) -> list[dict]:
    try:
        return [booking_document(b) for b in call()]
    except PermissionDenied as error:
        raise HttpError(403, "You may not change this booking.") from error
    except services.BookingInvalid as error:
        raise ApiValidationError({error.field: [str(error)]}) from error


@router.post(
    "/facilities/bookings/{booking_id}/cancel",
    response={200: list[BookingOut], **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def booking_cancel(request: ApiRequest, booking_id: int, payload: NoteIn):
    """Cancels the booking (and the later ones of its series); yours until the facility's
    notice before the start, any of the facilities you manage at any time."""
    booking = _booking(request, booking_id)
    return _decided(
        lambda: services.booking_cancel(
            actor=request.auth, booking=booking, reason=payload.note, source="api"
        )
    )


@router.post(
    "/facilities/bookings/{booking_id}/approve",
    response={200: list[BookingOut], 409: ConflictOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def booking_approve(request: ApiRequest, booking_id: int, payload: NoteIn):
    """The hub manager confirms a booking awaiting approval (with its series), recording its
    aid; 409 when the member's de minimis headroom is smaller than the aid."""
    booking = _booking(request, booking_id)
    try:
        return _decided(
            lambda: services.booking_decide(
                actor=request.auth, booking=booking, approve=True, note=payload.note,
                source="api",
            )
        )  # fmt: skip
    except aid_services.AidRefused as refused:
        return _aid_refused(refused)


@router.post(
    "/facilities/bookings/{booking_id}/decline",
    response={200: list[BookingOut], **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def booking_decline(request: ApiRequest, booking_id: int, payload: NoteIn):
    """The hub manager declines a booking awaiting approval, with the reason (`note`)."""
    booking = _booking(request, booking_id)
    return _decided(
        lambda: services.booking_decide(
            actor=request.auth, booking=booking, approve=False, note=payload.note, source="api"
        )
    )
