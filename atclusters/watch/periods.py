"""The periods of the regular bulletins (docs/watch.md, "Bulletins"): the last complete ISO
week (ISO 8601: weeks begin on Monday, week 1 holds the year's first Thursday) or calendar
month before a day, with the key that names it ("2026-W49", "2026-11"). No Django here."""

from dataclasses import dataclass
from datetime import date, timedelta

WEEK = "week"
MONTH = "month"
KINDS = (WEEK, MONTH)


@dataclass(frozen=True)
class Period:
    key: str
    start: date  # first day
    end: date  # the day after the last


def last_complete(kind: str, today: date) -> Period:
    """The last week or month that ended before `today`."""
    if kind == WEEK:
        start = today - timedelta(days=today.weekday() + 7)
        year, week, _day = start.isocalendar()
        return Period(f"{year}-W{week:02d}", start, start + timedelta(days=7))
    if kind == MONTH:
        end = today.replace(day=1)
        start = (end - timedelta(days=1)).replace(day=1)
        return Period(f"{start.year}-{start.month:02d}", start, end)
    raise ValueError(f"unknown period {kind!r}")
