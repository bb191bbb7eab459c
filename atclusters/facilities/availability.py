"""When a shared facility may be booked, with no Django: opening hours in the resource's own time
zone, closures, the Member State's public holidays (the `holidays` package), minimum and maximum
duration, the buffer kept free after each booking, recurring bookings (RFC 5545 RRULE, read by
python-dateutil), conflicts and the next free slots (docs/facilities.md).

Every instant is an aware datetime; results are in UTC. A booking holds its resource from its
start to its end plus the buffer ("held" span): two bookings conflict when their held spans
overlap, which keeps at least the buffer between them, whichever comes first. The database
enforces the same rule (the exclusion constraint over the held span on PostgreSQL)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import accumulate, pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from dateutil import rrule

# A recurring series is booked all at once; a year of weekly meetings is the longest one.
MAX_OCCURRENCES = 52
# How far ahead the next free slots are looked for.
SEARCH_DAYS = 60


@dataclass(frozen=True, order=True)
class Span:
    """[start, end): a half-open interval of time."""

    start: datetime
    end: datetime

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class Problem:
    """Why a booking is refused: the input at fault and a code the caller words (with `detail`,
    a date, a duration or a holiday's name)."""

    field: str
    code: str
    detail: str = ""


@dataclass(frozen=True)
class Rules:
    """A resource's booking rules. `opening_hours` maps the weekday (Monday 0) to the day's
    opening windows, local times, each within one day."""

    opening_hours: Mapping[int, tuple[tuple[time, time], ...]]
    timezone: str = "Europe/Madrid"
    closures: tuple[Span, ...] = ()
    holiday_country: str = ""  # ISO 3166 code; empty: no public holidays
    holiday_subdivision: str = ""  # e.g. GA, Galicia's own holidays on top of Spain's
    min_duration: timedelta = timedelta(minutes=30)
    max_duration: timedelta = timedelta(hours=8)
    buffer: timedelta = timedelta(0)
    step: timedelta = timedelta(minutes=30)  # the grid on which free slots are proposed
    zone: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "zone", ZoneInfo(self.timezone))
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {self.timezone!r}") from error

    def held(self, span: Span) -> Span:
        return Span(span.start, span.end + self.buffer)


@lru_cache(maxsize=128)
def _holidays(country: str, subdivision: str, year: int) -> dict[date, str]:
    # The EU writes Greece EL; ISO 3166 and the holidays package write GR.
    code = {"EL": "GR"}.get(country, country)
    return dict(holidays.country_holidays(code, subdiv=subdivision or None, years=year))


def holiday(rules: Rules, day: date) -> str | None:
    """The public holiday's name on that day, if the resource's country keeps one."""
    if not rules.holiday_country:
        return None
    return _holidays(rules.holiday_country, rules.holiday_subdivision, day.year).get(day)


def _minus(spans: list[Span], cut: Span) -> list[Span]:
    kept = []
    for span in spans:
        if not span.overlaps(cut):
            kept.append(span)
            continue
        if span.start < cut.start:
            kept.append(Span(span.start, cut.start))
        if cut.end < span.end:
            kept.append(Span(cut.end, span.end))
    return kept


def opening_spans(rules: Rules, day: date) -> list[Span]:
    """The day's open time in UTC: its opening windows, none on a public holiday, less the
    closures."""
    if holiday(rules, day):
        return []
    spans = [
        Span(
            datetime.combine(day, opens, rules.zone).astimezone(UTC),
            datetime.combine(day, closes, rules.zone).astimezone(UTC),
        )
        for opens, closes in rules.opening_hours.get(day.weekday(), ())
        if opens < closes
    ]
    for closure in rules.closures:
        spans = _minus(spans, closure)
    return spans


def local_day(rules: Rules, moment: datetime) -> date:
    return moment.astimezone(rules.zone).date()


def conflicts(rules: Rules, span: Span, held: Iterable[Span]) -> list[Span]:
    """The held spans of other bookings that the booking `span` (held until its end plus the
    buffer) overlaps, in order."""
    mine = rules.held(span)
    return sorted(other for other in held if other.overlaps(mine))


def problems(rules: Rules, span: Span, held: Iterable[Span], *, now: datetime) -> list[Problem]:
    """Every reason the resource cannot be booked for `span`; none means it can."""
    if span.end <= span.start:
        return [Problem("end", "end-before-start")]
    found = []
    if span.start < now:
        found.append(Problem("start", "past"))
    if span.duration < rules.min_duration:
        found.append(Problem("end", "too-short", _minutes(rules.min_duration)))
    if span.duration > rules.max_duration:
        found.append(Problem("end", "too-long", _minutes(rules.max_duration)))
    day = local_day(rules, span.start)
    if name := holiday(rules, day):
        found.append(Problem("start", "holiday", f"{day.isoformat()} {name}"))
    elif not any(open_span.contains(span) for open_span in opening_spans(rules, day)):
        closed = next((c for c in rules.closures if c.overlaps(span)), None)
        if closed is not None:
            found.append(Problem("start", "closed", local_day(rules, closed.start).isoformat()))
        else:
            found.append(Problem("start", "outside-hours"))
    if clash := conflicts(rules, span, held):
        found.append(Problem("start", "conflict", clash[0].start.astimezone(UTC).isoformat()))
    return found


def _minutes(duration: timedelta) -> str:
    return str(int(duration.total_seconds() // 60))


def _on_grid(rules: Rules, moment: datetime, origin: datetime) -> datetime:
    """The first instant at or after `moment` on the step grid that starts at `origin`."""
    steps = -((origin - moment) // rules.step)  # ceiling division of timedeltas
    return origin + max(steps, 0) * rules.step


def free_slots(
    rules: Rules,
    *,
    after: datetime,
    duration: timedelta,
    held: Iterable[Span],
    count: int = 3,
    days: int = SEARCH_DAYS,
) -> list[Span]:
    """The first `count` spans of `duration` from `after` on that can be booked: within one
    opening window, on the step grid from the window's opening, clear of every held span
    (with the buffer)."""
    busy = sorted(held)
    starts = [span.start for span in busy]
    # The latest end among the spans that start before each position: a candidate clashes with
    # some span iff the latest end among those starting before it ends is after it starts.
    latest = list(accumulate((span.end for span in busy), max))
    found: list[Span] = []
    first = local_day(rules, after)
    for offset in range(days + 1):
        for window in opening_spans(rules, first + timedelta(days=offset)):
            start = _on_grid(rules, max(after, window.start), window.start)
            while start + duration <= window.end:
                candidate = Span(start, start + duration)
                mine = rules.held(candidate)
                before = bisect_left(starts, mine.end)
                if before and latest[before - 1] > mine.start:
                    start = _on_grid(rules, latest[before - 1], window.start)
                    continue
                found.append(candidate)
                if len(found) == count:
                    return found
                # Proposals that do not overlap each other: a real choice.
                start = _on_grid(rules, mine.end, window.start)
    return found


class RecurrenceError(ValueError):
    """An RRULE that cannot be booked: unreadable, unbounded or too long."""


def occurrences(rules: Rules, first: Span, rule: str) -> list[Span]:
    """The spans of a recurring booking: `first` repeated by the RFC 5545 rule (e.g.
    FREQ=WEEKLY;BYDAY=TU;COUNT=10), at the same local time in the resource's time zone (9:00
    stays 9:00 across the change to summer time). The rule needs COUNT or UNTIL (in UTC, with a
    final Z, as RFC 5545 requires with a local start)."""
    text = rule.strip().removeprefix("RRULE:")
    if not text:
        raise RecurrenceError("is empty")
    if "COUNT=" not in text.upper() and "UNTIL=" not in text.upper():
        raise RecurrenceError("needs COUNT or UNTIL")
    local_start = first.start.astimezone(rules.zone)
    length = first.duration
    try:
        parsed = rrule.rrulestr(text, dtstart=local_start)
        starts = []
        for start in parsed:  # type: ignore[union-attr]
            starts.append(start)
            if len(starts) > MAX_OCCURRENCES:
                raise RecurrenceError(f"gives more than {MAX_OCCURRENCES} occurrences")
    except (ValueError, TypeError) as error:
        if isinstance(error, RecurrenceError):
            raise
        raise RecurrenceError(f"is not a valid RRULE: {error}") from error
    # Aware arithmetic within one zone is on the wall clock: a 9:00-11:00 booking stays so.
    return [Span(start.astimezone(UTC), (start + length).astimezone(UTC)) for start in starts]


def open_time(rules: Rules, first: date, last: date) -> timedelta:
    """How long the resource is open from `first` to `last`, both included."""
    total = timedelta(0)
    day = first
    while day <= last:
        total += sum((span.duration for span in opening_spans(rules, day)), timedelta(0))
        day += timedelta(days=1)
    return total


def booked_time(rules: Rules, first: date, last: date, booked: Iterable[Span]) -> timedelta:
    """How much of the open time from `first` to `last` the `booked` spans take (the buffers
    not counted)."""
    windows = [
        span
        for offset in range((last - first).days + 1)
        for span in opening_spans(rules, first + timedelta(days=offset))
    ]
    total = timedelta(0)
    for span in booked:
        for window in windows:
            if span.overlaps(window):
                total += min(span.end, window.end) - max(span.start, window.start)
    return total


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def opening_hours_read(document: Mapping[str, object]) -> dict[int, tuple[tuple[time, time], ...]]:
    """Opening hours as stored ({"mon": [["09:00", "14:00"], …], …}) by weekday number; a
    ValueError names the day at fault."""
    hours: dict[int, tuple[tuple[time, time], ...]] = {}
    for key, windows in document.items():
        if key not in WEEKDAYS:
            raise ValueError(f"{key!r} is not a day; use {', '.join(WEEKDAYS)}")
        read = []
        try:
            for opens, closes in windows:  # type: ignore[attr-defined]
                window = (time.fromisoformat(opens), time.fromisoformat(closes))
                if window[0] >= window[1]:
                    raise ValueError(f"{opens}-{closes} closes before it opens")
                read.append(window)
        except (TypeError, ValueError) as error:
            raise ValueError(f'{key}: {error}; write [["09:00", "14:00"], …]') from error
        read.sort()
        if any(a[1] > b[0] for a, b in pairwise(read)):
            raise ValueError(f"{key}: the windows overlap")
        hours[WEEKDAYS.index(key)] = tuple(read)
    return hours
