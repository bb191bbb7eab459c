"""Reads of the hub: a resource's rules and when it is taken, the week view, the next free
slots, bookings to approve, occupancy by resource, month and cluster."""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import CharField, Func, QuerySet, Sum

from atclusters.core.permissions import AnyUser
from atclusters.facilities import access, availability, permissions
from atclusters.facilities.availability import Span
from atclusters.facilities.models import Booking, Contribution, Resource
from atclusters.registry.models import Organisation


def resource_rules(resource: Resource) -> availability.Rules:
    return availability.Rules(
        opening_hours=availability.opening_hours_read(resource.opening_hours),
        timezone=resource.timezone,
        closures=tuple(Span(c.start, c.end) for c in resource.closures.all()),
        holiday_country=resource.agency.country_id,
        holiday_subdivision=resource.holiday_subdivision,
        min_duration=timedelta(minutes=resource.min_minutes),
        max_duration=timedelta(minutes=resource.max_minutes),
        buffer=timedelta(minutes=resource.buffer_minutes),
    )


def active_bookings(resource: Resource, since: datetime, until: datetime) -> QuerySet[Booking]:
    """Bookings that hold the resource at some time between `since` and `until`."""
    return Booking.objects.filter(
        resource=resource, status__in=Booking.ACTIVE, start__lt=until, held_until__gt=since
    ).order_by("start")


def held_spans(resource: Resource, since: datetime, until: datetime) -> dict[Span, int]:
    """The held spans (start to end plus buffer) between `since` and `until`, with the key of
    the booking holding each."""
    rows = active_bookings(resource, since, until).values_list("pk", "start", "held_until")
    return {Span(start, held): pk for pk, start, held in rows}


class UtcText(Func):
    """An instant as the API writes it — ISO 8601 in UTC with "Z", milliseconds when there are
    any — written by the database itself: a busy month holds thousands of instants, and turning
    each into a Python datetime and back into text was most of the time of the read."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        # The column holds naive UTC text, "YYYY-MM-DD HH:MM:SS[.ffffff]"; %f is SS.SSS. The
        # SQL keeps each % doubled, as Django's SQLite cursor expects around its parameters.
        return self.as_sql(
            compiler, connection, **extra,
            template="CASE WHEN instr(%(expressions)s, '.') "
            "THEN strftime('%%%%Y-%%%%m-%%%%dT%%%%H:%%%%M:%%%%fZ', %(expressions)s) "
            "ELSE strftime('%%%%Y-%%%%m-%%%%dT%%%%H:%%%%M:%%%%SZ', %(expressions)s) END",
        )  # fmt: skip

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, **extra,
            template="to_char(%(expressions)s AT TIME ZONE 'UTC', "
            "CASE WHEN date_trunc('second', %(expressions)s) = %(expressions)s "
            "THEN 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"' "
            "ELSE 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"' END)",
        )  # fmt: skip


def held_span_texts(resource: Resource, since: datetime, until: datetime) -> list[tuple[str, str]]:
    """The held spans between `since` and `until`, in order, as (start, end) texts in UTC."""
    return list(
        active_bookings(resource, since, until).values_list(UtcText("start"), UtcText("held_until"))
    )


def next_free(
    resource: Resource, *, after: datetime, duration: timedelta, count: int = 3
) -> list[Span]:
    rules = resource_rules(resource)
    until = after + timedelta(days=availability.SEARCH_DAYS + 1)
    return availability.free_slots(
        rules,
        after=after,
        duration=duration,
        held=held_spans(resource, after, until),
        count=count,
    )


@dataclass(frozen=True)
class Cell:
    start: datetime  # UTC
    state: str  # closed, free, taken, mine, pending, past
    booking: Booking | None = None


@dataclass(frozen=True)
class Week:
    monday: date
    days: list[date]
    times: list[time]  # local start of each row
    rows: list[list[Cell]]  # rows[time][day]
    holidays: dict[date, str]


def _open_state(cell: Span, windows: list[Span], now: datetime) -> str:
    if not any(window.contains(cell) for window in windows):
        return "closed"
    return "past" if cell.start < now else "free"


def week(resource: Resource, monday: date, *, user: AnyUser, now: datetime) -> Week:
    """The week from `monday` in half-hour cells from the earliest opening to the latest
    closing: closed, free (bookable), taken, yours, or past."""
    rules = resource_rules(resource)
    days = [monday + timedelta(days=offset) for offset in range(7)]
    open_by_day = {day: availability.opening_spans(rules, day) for day in days}
    local_windows = [
        (opens, closes) for windows in rules.opening_hours.values() for opens, closes in windows
    ]
    if not local_windows:
        return Week(monday, days, [], [], {})
    first = min(opens for opens, _closes in local_windows)
    last = max(closes for _opens, closes in local_windows)
    step = rules.step
    times = []
    moment = datetime.combine(monday, first)
    while moment.time() < last and moment.date() == monday:
        times.append(moment.time())
        moment += step
    since = datetime.combine(monday, time(0), rules.zone)
    bookings = list(active_bookings(resource, since, since + timedelta(days=8)))
    # Active bookings never overlap: ordered by start, they are ordered by end too.
    ends = [booking.end for booking in bookings]
    own_id = user.pk if user is not None and user.is_authenticated else None
    rows = []
    for start_time in times:
        row = []
        for day in days:
            start = datetime.combine(day, start_time, rules.zone).astimezone(UTC)
            cell = Span(start, start + step)
            after = bisect_right(ends, cell.start)
            booking = bookings[after] if after < len(bookings) else None
            if booking is None or booking.end <= cell.start or cell.end <= booking.start:
                booking = None
                state = _open_state(cell, open_by_day[day], now)
            elif booking.user_id == own_id:
                state = "mine"
            elif booking.status == Booking.Status.PENDING:
                state = "pending"
            else:
                state = "taken"
            row.append(Cell(start, state, booking))
        rows.append(row)
    names = {day: name for day in days if (name := availability.holiday(rules, day))}
    return Week(monday, days, times, rows, names)


def approval_queue(user: AnyUser) -> QuerySet[Booking]:
    return (
        permissions.visible_bookings(user)
        .filter(status=Booking.Status.PENDING, resource__in=permissions.managed_resources(user))
        .order_by("start")
    )


def user_bookings(user: AnyUser) -> QuerySet[Booking]:
    if user is None or not user.is_authenticated:
        return Booking.objects.none()
    return (
        Booking.objects.filter(user=user)
        .select_related("resource", "organisation", "cluster")
        .order_by("-start")
    )


@dataclass(frozen=True)
class Occupancy:
    resource: Resource
    month: date
    open_hours: Decimal
    booked_hours: Decimal

    @property
    def percent(self) -> Decimal | None:
        if not self.open_hours:
            return None
        return (100 * self.booked_hours / self.open_hours).quantize(Decimal("0.1"))


def _hours(duration: timedelta) -> Decimal:
    return (Decimal(duration.total_seconds()) / 3600).quantize(Decimal("0.01"))


def _month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def _confirmed_in(resource: Resource, first: date, last: date, rules) -> QuerySet[Booking]:
    since = datetime.combine(first, time(0), rules.zone)
    until = datetime.combine(last + timedelta(days=1), time(0), rules.zone)
    return Booking.objects.filter(
        resource=resource, status=Booking.Status.CONFIRMED, start__lt=until, end__gt=since
    )


def occupancy(resource: Resource, month: date) -> Occupancy:
    """Confirmed hours as a share of the open hours of the month (local days)."""
    rules = resource_rules(resource)
    first, last = _month_bounds(month)
    spans = [
        Span(start, end)
        for start, end in _confirmed_in(resource, first, last, rules).values_list("start", "end")
    ]
    return Occupancy(
        resource,
        first,
        _hours(availability.open_time(rules, first, last)),
        _hours(availability.booked_time(rules, first, last, spans)),
    )


def occupancy_by_cluster(resource: Resource, month: date) -> list[tuple[str, Decimal]]:
    """Confirmed open hours of the month by the cluster booked for (a member organisation's
    booking counts for its cluster; "" is the agency's own use and bookings at list price),
    most first."""
    rules = resource_rules(resource)
    first, last = _month_bounds(month)
    totals: dict[str, timedelta] = {}
    for booking in _confirmed_in(resource, first, last, rules).select_related("cluster"):
        who = booking.cluster.name if booking.cluster else ""
        used = availability.booked_time(rules, first, last, [Span(booking.start, booking.end)])
        totals[who] = totals.get(who, timedelta(0)) + used
    return sorted(
        ((who, _hours(total)) for who, total in totals.items()), key=lambda item: -item[1]
    )


def contribution_share(resource: Resource, organisation: Organisation | None) -> Decimal | None:
    """The organisation's share (%) of the investment costs of the resource's hub, if any."""
    if organisation is None:
        return None
    return (
        Contribution.objects.filter(
            agency_id=resource.agency_id, hub=resource.hub, organisation=organisation
        )
        .values_list("share_percent", flat=True)
        .first()
    )


@dataclass(frozen=True)
class Contributor:
    contribution: Contribution
    quota_hours: Decimal | None  # at the contributor price in the month; None: no preference


def preferential_access(resource: Resource, month: date) -> list[Contributor]:
    """The published conditions of preferential access to an Art. 27 facility (GBER
    Art. 27(3)): who financed the hub's investment costs, how much, and how many hours of the
    month each may use at the contributor price."""
    if resource.aid_treatment != access.GBER_27 or resource.contributor_price_eur is None:
        return []
    first, last = _month_bounds(month)
    open_hours = _hours(availability.open_time(resource_rules(resource), first, last))
    return [
        Contributor(
            contribution,
            access.contributor_quota(contribution.share_percent, open_hours)
            if access.preferential(contribution.share_percent)
            else None,
        )
        for contribution in Contribution.objects.filter(
            agency_id=resource.agency_id, hub=resource.hub
        ).select_related("organisation")
    ]


def contributor_quota_left(
    resource: Resource, organisation: Organisation, share_percent: Decimal, month: date
) -> Decimal:
    """The hours of the (local) month the organisation may still use the resource at the
    contributor price: its quota of the month's open hours less the hours its active bookings
    of the month already take at that price."""
    rules = resource_rules(resource)
    first, last = _month_bounds(month)
    quota = access.contributor_quota(
        share_percent, _hours(availability.open_time(rules, first, last))
    )
    since = datetime.combine(first, time(0), rules.zone)
    until = datetime.combine(last + timedelta(days=1), time(0), rules.zone)
    used = Booking.objects.filter(
        resource=resource, organisation=organisation, status__in=Booking.ACTIVE,
        start__gte=since, start__lt=until,
    ).aggregate(hours=Sum("contributor_hours"))["hours"] or Decimal(0)  # fmt: skip
    return max(Decimal(0), quota - used)
