"""Every write of the hub: resources, closures, bookings (single or a recurring series, all or
nothing), their approval, decline and cancellation. Each write is audited. `actor=None` is the
trusted command line, which books on behalf of the user it names (docs/facilities.md)."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from atclusters.core.audit import acting_user, audited, audited_create, snapshot
from atclusters.core.errors import DomainError
from atclusters.core.models import Agency
from atclusters.core.permissions import (
    AnyUser,
    PermissionDenied,
)
from atclusters.facilities import access, availability, permissions, selectors, tasks
from atclusters.facilities.availability import Span
from atclusters.facilities.models import Booking, Closure, Contribution, Resource
from atclusters.registry.models import ClusterOrganisation, Membership, Organisation
from atclusters.stateaid import services as aid_services
from atclusters.stateaid.models import Grant

# The exclusion constraint of migration 0002 (PostgreSQL).
NO_OVERLAP = "booking_no_overlap"


class BookingInvalid(DomainError):
    """Bad input; `field` names the field at fault. Nothing was written."""


class BookingConflict(Exception):
    """The slot is taken: `conflict_with` is the booking holding it, `next_free` the first
    free spans of the same length after the requested start. Nothing was written."""

    def __init__(self, *, span: Span, conflict_with: int | None, next_free: list[Span]):
        self.span = span
        self.conflict_with = conflict_with
        self.next_free = next_free
        super().__init__(
            _("%(start)s is already taken (booking %(booking)s).")
            % {"start": timezone.localtime(span.start).strftime("%Y-%m-%d %H:%M"),
               "booking": conflict_with or "?"}
        )  # fmt: skip


def problem_message(problem: availability.Problem) -> str:
    """The words of a refusal by the booking rules."""
    messages = {
        "end-before-start": _("must be after the start"),
        "past": _("is in the past"),
        "too-short": _("the booking is shorter than the minimum of %(detail)s minutes"),
        "too-long": _("the booking is longer than the maximum of %(detail)s minutes"),
        "holiday": _("is a public holiday (%(detail)s)"),
        "closed": _("the facility is closed then (closure from %(detail)s)"),
        "outside-hours": _("is outside the opening hours (a booking lies within one window)"),
        "conflict": _("overlaps another booking (from %(detail)s, buffer included)"),
    }
    return messages[problem.code] % {"detail": problem.detail}


def fee_problem_message(problem: access.Problem) -> str:
    """The words of a refusal by the fee and access conditions (GBER Art. 27(3) and (4))."""
    messages = {
        "member-above-list": _("is above the list price"),
        "contributor-outside-27": _(
            "a contributor price is a GBER Art. 27 condition: choose that aid treatment"
        ),
        "contributor-above-member": _("is above the member price: it is not preferential"),
        "not-open": _(
            "a GBER Art. 27 facility is open to several users (Art. 27(3)): not to agency "
            "staff only"
        ),
        "cost-missing": _(
            "a GBER Art. 27 fee below the list price must reflect costs (Art. 27(4)): state the "
            "cost per hour"
        ),
        "below-cost": _(
            "a GBER Art. 27 fee below the list price must reflect costs (Art. 27(4)): the "
            "member and contributor prices are below the cost per hour"
        ),
    }
    return messages[problem.code]


def _require_agency_staff(actor: AnyUser, agency: Agency) -> None:
    """The agency decides its hub's facilities, their fees and their aid: its staff and the
    platform admin (a hub manager who is not staff manages bookings and closures only)."""
    if not permissions.can_administer(actor, agency):
        raise PermissionDenied


def _check(resource: Resource) -> None:
    """The resource's own rules, each refusal naming its field."""
    try:
        availability.opening_hours_read(resource.opening_hours)
    except (ValueError, AttributeError) as error:
        raise BookingInvalid("opening_hours", str(error)) from error
    try:
        availability.Rules(opening_hours={}, timezone=resource.timezone)
    except ValueError as error:
        raise BookingInvalid("timezone", str(error)) from error
    if not resource.name_en.strip():
        raise BookingInvalid("name_en", _("is required"))
    if resource.max_minutes < resource.min_minutes:
        raise BookingInvalid("max_minutes", _("is below the minimum duration"))
    staff_only = resource.bookable_by == Resource.BookableBy.STAFF
    if found := access.fee_problems(resource.fees, staff_only=staff_only):
        raise BookingInvalid(found[0].field, fee_problem_message(found[0]))


def resource_create(
    *, actor: AnyUser, agency: Agency, data: dict[str, Any], source: str = "web"
) -> Resource:
    """A new resource of the agency's hub; agency staff and the platform admin create them."""
    _require_agency_staff(actor, agency)
    data = dict(data)
    managers = data.pop("managers", [])
    resource = Resource(agency=agency, **data)
    _check(resource)
    with audited(resource, actor=actor, source=source):
        resource.save()
        resource.managers.set(managers)
    return resource


def resource_update(
    *, actor: AnyUser, resource: Resource, data: dict[str, Any], source: str = "web"
) -> Resource:
    """Changes the resource's settings (any field of `resource_create`'s data). The bookings
    already made keep their price and aid: a new fee applies to the bookings made after it."""
    _require_agency_staff(actor, resource.agency)
    data = dict(data)
    managers = data.pop("managers", None)
    changeable = {field.name for field in Resource._meta.concrete_fields} - {
        "id", "agency", "created_at",
    }  # fmt: skip
    if unknown := sorted(set(data) - changeable):
        raise BookingInvalid(unknown[0], _("cannot be changed"))
    before = snapshot(resource)
    for name, value in data.items():
        setattr(resource, name, value)
    try:
        _check(resource)
    except BookingInvalid:
        resource.refresh_from_db()
        raise
    with audited(resource, actor=actor, source=source, before=before):
        resource.save()
        if managers is not None:
            resource.managers.set(managers)
    return resource


def closure_add(
    *, actor: AnyUser, resource: Resource, start: datetime, end: datetime, reason: str = "",
    source: str = "web",
) -> Closure:  # fmt: skip
    if not permissions.can_manage(actor, resource):
        raise PermissionDenied
    if end <= start:
        raise BookingInvalid("end", _("must be after the start"))
    return audited_create(
        Closure(resource=resource, start=start, end=end, reason=reason), actor=actor, source=source
    )


def contribution_save(
    *, actor: AnyUser, agency: Agency, hub: str, organisation: Organisation,
    share_percent: Decimal, source: str = "web",
) -> Contribution:  # fmt: skip
    """Records (or changes) an undertaking's share of the investment costs of the agency's hub,
    which opens preferential access at 10 % or more (GBER Art. 27(3)). The shares of one hub
    add up to at most 100 %."""
    _require_agency_staff(actor, agency)
    hub = hub.strip()
    if not Resource.objects.filter(agency=agency, hub=hub).exists():
        raise BookingInvalid("hub", _("the agency has no facility in this hub"))
    if not share_percent.is_finite() or not Decimal(0) < share_percent <= 100:
        raise BookingInvalid("share_percent", _("must be above 0 and at most 100"))
    share_percent = access.euros(share_percent)
    with transaction.atomic():
        current = (
            Contribution.objects.select_for_update()
            .filter(agency=agency, hub=hub, organisation=organisation)
            .first()
        )
        others = sum(
            Contribution.objects.filter(agency=agency, hub=hub)
            .exclude(organisation=organisation)
            .values_list("share_percent", flat=True),
            Decimal(0),
        )
        if others + share_percent > 100:
            raise BookingInvalid(
                "share_percent",
                _("the shares of the hub would add up to %(total)s %%")
                % {"total": others + share_percent},
            )
        if current is None:
            return audited_create(
                Contribution(
                    agency=agency, hub=hub, organisation=organisation,
                    share_percent=share_percent,
                ),
                actor=actor, source=source,
            )  # fmt: skip
        with audited(current, actor=actor, source=source):
            current.share_percent = share_percent
            current.save(update_fields=["share_percent"])
        return current


def _party(
    user: User, resource: Resource, organisation: Organisation | None,
    cluster: ClusterOrganisation | None,
) -> tuple[Organisation | None, ClusterOrganisation | None]:  # fmt: skip
    """Whom the booking is for, checked against the booker's rights; a member organisation's
    booking counts for its cluster of the resource's agency."""
    if organisation is not None:
        if not permissions.organisations_for(user, resource).filter(pk=organisation.pk).exists():
            raise BookingInvalid(
                "organisation", _("you do not book for this organisation at this facility")
            )
        membership = (
            Membership.objects.filter(
                organisation=organisation, until__isnull=True,
                cluster__agency_id=resource.agency_id,
            ).select_related("cluster").order_by("cluster__name").first()
        )  # fmt: skip
        return organisation, membership.cluster if membership else None
    if (
        cluster is not None
        and not permissions.clusters_for(user, resource).filter(pk=cluster.pk).exists()
    ):
        raise BookingInvalid("cluster", _("you do not book for this cluster at this facility"))
    return None, cluster


def _price(
    resource: Resource, span: Span, *, member: bool, organisation: Organisation | None,
    beneficiary: bool,
) -> access.Price:  # fmt: skip
    hours = Decimal(span.duration.total_seconds()) / 3600
    share = selectors.contribution_share(resource, organisation)
    quota_left = Decimal(0)
    if organisation is not None and member and access.preferential(share):
        assert share is not None
        rules = selectors.resource_rules(resource)
        quota_left = selectors.contributor_quota_left(
            resource, organisation, share, availability.local_day(rules, span.start)
        )
    return access.use_price(
        resource.fees, hours=hours, member=member, share_percent=share,
        quota_left=quota_left, beneficiary=beneficiary,
    )  # fmt: skip


def _record_aid(booking: Booking, *, actor: AnyUser, source: str) -> None:
    """Records a confirmed booking's aid in the de minimis register, dated the day the booking
    is confirmed (the right to the advantage is conferred then: Regulation (EU) 2023/2831,
    Art. 3(3))."""
    if booking.aid_eur <= 0 or booking.grant_id is not None:
        return
    beneficiary = booking.organisation or booking.cluster
    assert beneficiary is not None
    grant, _left = aid_services.advantage_grant(
        agency=booking.resource.agency,
        beneficiary=beneficiary,
        reference=f"ATC-FAC-{booking.pk}",
        day=timezone.localdate(),
        aid=booking.aid_eur,
        instrument=Grant.Instrument.SERVICE,
        programme=booking.resource.name_en,
        cluster=booking.cluster,
        # The aid is the list price less the price paid: together, the price without aid.
        unsubsidised=booking.price_eur + booking.aid_eur,
        source=source,
    )
    with audited(booking, actor=actor, source=source):
        booking.grant = grant
        booking.save(update_fields=["grant"])


def _record_aids(bookings: list[Booking], *, actor: AnyUser, source: str) -> None:
    """Records the aid of every booking, or none: a refusal states the whole series' aid, the
    headroom before it and the series' price at the list price."""
    granted = Decimal(0)
    for booking in bookings:
        try:
            _record_aid(booking, actor=actor, source=source)
        except aid_services.AidRefused as refused:
            raise aid_services.AidRefused(
                aid_eur=sum((item.aid_eur for item in bookings), Decimal(0)),
                headroom_eur=refused.headroom_eur + granted,
                unsubsidised_eur=sum(
                    (item.price_eur + item.aid_eur for item in bookings), Decimal(0)
                ),
            ) from refused
        granted += booking.aid_eur


def _conflict(resource: Resource, span: Span, now: datetime) -> BookingConflict:
    rules = selectors.resource_rules(resource)
    held = selectors.held_spans(resource, span.start - timedelta(days=1), span.end + rules.buffer)
    clash = availability.conflicts(rules, span, held)
    return BookingConflict(
        span=span,
        conflict_with=held[clash[0]] if clash else None,
        next_free=selectors.next_free(resource, after=max(span.start, now), duration=span.duration),
    )


def _is_overlap(error: IntegrityError) -> bool:
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) == NO_OVERLAP


@dataclass(frozen=True)
class Booked:
    bookings: list[Booking]

    @property
    def first(self) -> Booking:
        return self.bookings[0]


def booking_create(
    *,
    actor: AnyUser,
    user: User,
    resource: Resource,
    start: datetime,
    end: datetime,
    organisation: Organisation | None = None,
    cluster: ClusterOrganisation | None = None,
    purpose: str = "",
    recurrence: str = "",
    subsidised: bool = True,
    now: datetime | None = None,
    source: str = "web",
) -> Booked:
    """Books the resource for `user`, once or as the recurring series of the RFC 5545
    `recurrence` rule: every occurrence or none. Confirmed at once when the resource needs no
    approval or the booker manages it; otherwise pending, awaiting the hub manager. A member
    pays the member price (an Art. 27 contributor the contributor price within its quota);
    under de minimis the difference to the list price is aid, recorded in the register when
    the booking is confirmed, in the same transaction; `subsidised=False` books at the list
    price. Raises BookingInvalid (a rule broken, naming the field), BookingConflict (the slot
    is taken) or AidRefused (the member's single undertaking has not the headroom)."""
    if actor is not None and (actor.pk != user.pk or not permissions.can_book(user, resource)):
        raise PermissionDenied
    if not user.is_active:
        raise BookingInvalid("user", _("is not an active user"))
    if not resource.active:
        raise BookingInvalid("resource", _("is not bookable"))
    if len(purpose) > 300:
        raise BookingInvalid("purpose", _("is longer than 300 characters"))
    now = now or timezone.now()
    organisation, cluster = _party(user, resource, organisation, cluster)
    rules = selectors.resource_rules(resource)
    first = Span(start, end)
    try:
        spans = availability.occurrences(rules, first, recurrence) if recurrence else [first]
    except availability.RecurrenceError as error:
        raise BookingInvalid("recurrence", str(error)) from error
    for span in spans:
        if found := availability.problems(rules, span, [], now=now):
            problem = found[0]
            prefix = f"{timezone.localtime(span.start):%Y-%m-%d}: " if len(spans) > 1 else ""
            raise BookingInvalid(problem.field, prefix + problem_message(problem))
    beneficiary = bool(organisation or cluster)
    member = subsidised and (beneficiary or resource.agency.staff.filter(pk=user.pk).exists())
    status = (
        Booking.Status.CONFIRMED
        if resource.approval == Resource.Approval.AUTOMATIC
        or permissions.can_manage(user, resource)
        else Booking.Status.PENDING
    )
    series = str(uuid.uuid4()) if len(spans) > 1 else ""
    try:
        with transaction.atomic():
            # On SQLite this transaction began IMMEDIATE: no other booking is written between
            # the check and the insert. On PostgreSQL the exclusion constraint refuses the
            # loser of a race, which is then answered like a conflict found here.
            held = selectors.held_spans(
                resource, spans[0].start - timedelta(days=1), spans[-1].end + rules.buffer
            )
            for span in spans:
                if availability.conflicts(rules, span, held):
                    raise _conflict(resource, span, now)
            bookings = []
            for span in spans:
                price = _price(
                    resource, span, member=member, organisation=organisation,
                    beneficiary=beneficiary,
                )  # fmt: skip
                booking = Booking(
                    resource=resource, user=user, organisation=organisation, cluster=cluster,
                    start=span.start, end=span.end, held_until=span.end + rules.buffer,
                    status=status, purpose=purpose.strip(), series=series,
                    recurrence=recurrence.strip(), member_rate=member,
                    price_eur=price.total, contributor_hours=price.contributor_hours,
                    aid_eur=price.aid,
                )  # fmt: skip
                bookings.append(audited_create(booking, actor=actor, source=source))
            if status == Booking.Status.CONFIRMED:
                _record_aids(bookings, actor=actor, source=source)
                _email_later(bookings[0])
    except IntegrityError as error:
        if not _is_overlap(error):
            raise
        raced = next(
            (span for span in spans if _conflict(resource, span, now).conflict_with), spans[0]
        )
        raise _conflict(resource, raced, now) from error
    return Booked(bookings)


def _email_later(booking: Booking) -> None:
    if booking.user.email:
        transaction.on_commit(lambda: tasks.booking_email_send.enqueue(booking_id=booking.pk))


def _series_of(booking: Booking, statuses: tuple[str, ...]) -> list[Booking]:
    """The booking and, for a series, its later bookings in `statuses`."""
    if not booking.series:
        return [booking]
    return list(
        Booking.objects.select_for_update()
        .filter(series=booking.series, start__gte=booking.start, status__in=statuses)
        .order_by("start")
    )


def booking_decide(
    *, actor: AnyUser, booking: Booking, approve: bool, note: str = "", source: str = "web"
) -> list[Booking]:
    """The hub manager confirms or declines (with a reason) a pending booking; for a series,
    every pending booking of it from this one on. Confirming records the bookings' aid (raises
    AidRefused, nothing written, when the member has not the headroom)."""
    if not permissions.can_manage(actor, booking.resource):
        raise PermissionDenied
    if booking.status != Booking.Status.PENDING:
        raise BookingInvalid("status", _("is not awaiting approval"))
    if not approve and not note.strip():
        raise BookingInvalid("note", _("give the reason for declining"))
    decided = []
    with transaction.atomic():
        for item in _series_of(booking, (Booking.Status.PENDING,)):
            with audited(item, actor=actor, source=source):
                item.status = Booking.Status.CONFIRMED if approve else Booking.Status.DECLINED
                item.note = note.strip()[:500]
                item.decided_by = acting_user(actor)
                item.decided_at = timezone.now()
                item.save()
            decided.append(item)
        if approve:
            _record_aids(decided, actor=actor, source=source)
        _email_later(decided[0])
    return decided


def booking_cancel(
    *, actor: AnyUser, booking: Booking, reason: str = "", now: datetime | None = None,
    source: str = "web",
) -> list[Booking]:  # fmt: skip
    """Cancels the booking and, for a series, its later active bookings. The one who booked
    cancels until the resource's notice before the start; hub managers at any time. The aid
    recorded for a cancelled booking is revoked in the register (the advantage was not
    received)."""
    if not permissions.can_cancel(actor, booking):
        raise PermissionDenied
    if not booking.active:
        raise BookingInvalid("status", _("is already cancelled or declined"))
    now = now or timezone.now()
    notice = timedelta(hours=booking.resource.notice_hours)
    if not permissions.can_manage(actor, booking.resource) and booking.start - notice < now:
        raise BookingInvalid(
            "start",
            _("can no longer be cancelled: the facility asks for %(hours)s hours' notice")
            % {"hours": booking.resource.notice_hours},
        )
    cancelled = []
    with transaction.atomic():
        for item in _series_of(booking, Booking.ACTIVE):
            with audited(item, actor=actor, source=source):
                item.status = Booking.Status.CANCELLED
                item.note = reason.strip()[:500]
                item.decided_by = acting_user(actor)
                item.decided_at = now
                item.save()
            if item.grant is not None and not hasattr(item.grant, "replaced_by"):
                aid_services.grant_revoke(
                    actor=None, grant=item.grant, source=source,
                    reason=_("booking %(id)s cancelled: the facility was not used")
                    % {"id": item.pk},
                )  # fmt: skip
            cancelled.append(item)
    return cancelled


def booking_email(booking: Booking) -> None:
    """Tells the one who booked that the booking is confirmed or declined."""
    confirmed = booking.status == Booking.Status.CONFIRMED
    with translation.override(settings.LANGUAGE_CODE):
        when = timezone.localtime(booking.start, ZoneInfo(booking.resource.timezone))
        values = {
            "resource": booking.resource.name_en,
            "when": f"{when:%Y-%m-%d %H:%M}",
            "note": booking.note,
            "link": settings.SITE_URL.rstrip("/") + reverse("facilities_my_bookings"),
        }
        if confirmed:
            subject = _("Booking confirmed: %(resource)s, %(when)s") % values
            body = _("Your booking of %(resource)s on %(when)s is confirmed.\n\n%(link)s\n")
        else:
            subject = _("Booking declined: %(resource)s, %(when)s") % values
            body = _(
                "Your booking of %(resource)s on %(when)s was declined: %(note)s\n\n%(link)s\n"
            )
        send_mail(
            subject=subject,
            message=body % values,
            from_email=None,
            recipient_list=[booking.user.email],
        )
