"""The dates of a call for proposals, with no Django: the Funding & Tenders portal gives them in
Brussels time, and a deadline given as a day alone closes at 17:00:00 Brussels time, the hour
every Horizon Europe, Digital Europe, LIFE, SMP and Erasmus+ call states ("Deadline date: … 17:00:00
Brussels time"; Horizon Europe Online Manual, "Submission of proposals"; docs/funding.md).

A call is single-stage (one deadline), two-stage (a first-stage deadline for short proposals,
then a second for the full ones) or has multiple cut-off dates (several deadlines in a row)."""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")
DEADLINE_HOUR = time(17, 0)

SINGLE, TWO_STAGE, CUT_OFFS = "single-stage", "two-stage", "multiple-cut-off"
MODELS = (SINGLE, TWO_STAGE, CUT_OFFS)
# The portal's own words for the models (metadata.deadlineModel), lower case.
MODEL_WORDS = {
    "single-stage": SINGLE,
    "single stage": SINGLE,
    "two-stage": TWO_STAGE,
    "two stage": TWO_STAGE,
    "multiple cut-off": CUT_OFFS,
    "multiple-cut-off": CUT_OFFS,
    "multiple cut-off dates": CUT_OFFS,
}

FORTHCOMING, OPEN, CLOSED = "forthcoming", "open", "closed"


class DateError(ValueError):
    """A date the rules refuse: `field` names it, `code` says why (the caller words it)."""

    def __init__(self, field: str, code: str, value: str = ""):
        super().__init__(f"{field}: {code} {value}".strip())
        self.field = field
        self.code = code
        self.value = value


def moment(text: str, *, field: str, closing: bool) -> datetime:
    """A moment from the portal or a file: an ISO 8601 day ("2026-09-17") is that day in
    Brussels, at 17:00 for a deadline (`closing`) and at 00:00 for an opening; a date and time
    with an offset is that instant, except that the portal's midnight ("2026-09-17T00:00:00.000
    +0200") stands for the day alone; a date and time without an offset is Brussels time."""
    value = text.strip()
    if not value:
        raise DateError(field, "empty")
    try:
        if len(value) == 10:
            parsed = datetime.combine(date.fromisoformat(value), time(0))
        else:
            parsed = datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError as error:
        raise DateError(field, "unreadable", value) from error
    if parsed.time() == time(0) and (parsed.tzinfo is None or len(value) > 10):
        day = parsed.date()
        return datetime.combine(day, DEADLINE_HOUR if closing else time(0), BRUSSELS)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=BRUSSELS)
    return parsed.astimezone(BRUSSELS)


def model_of(text: str, deadlines: int) -> str:
    """The deadline model named by the portal's words, else the one the number of deadlines
    suggests (one: single-stage; two: two-stage)."""
    named = MODEL_WORDS.get(text.strip().lower())
    if named:
        return named
    if text.strip():
        raise DateError("deadline_model", "unknown", text)
    return SINGLE if deadlines <= 1 else TWO_STAGE


def check(opens: datetime | None, deadlines: Sequence[datetime], model: str) -> None:
    """The deadlines agree with the model and follow the opening and each other."""
    if model not in MODELS:
        raise DateError("deadline_model", "unknown", model)
    if not deadlines:
        raise DateError("deadlines", "missing")
    if model == SINGLE and len(deadlines) != 1:
        raise DateError("deadlines", "single-needs-one")
    if model == TWO_STAGE and len(deadlines) != 2:
        raise DateError("deadlines", "two-stage-needs-two")
    if any(later <= earlier for earlier, later in itertools.pairwise(deadlines)):
        raise DateError("deadlines", "not-ascending")
    if opens is not None and deadlines[0] <= opens:
        raise DateError("opening_date", "after-deadline")


def status(opens: datetime | None, deadlines: Sequence[datetime], now: datetime) -> str:
    """Forthcoming before the opening, open until the last deadline, then closed."""
    if opens is not None and now < opens:
        return FORTHCOMING
    if deadlines and now <= deadlines[-1]:
        return OPEN
    return CLOSED


def next_deadline(deadlines: Sequence[datetime], now: datetime) -> datetime | None:
    """The first deadline still to come (for a two-stage call, the stage in progress)."""
    return next((deadline for deadline in deadlines if deadline >= now), None)


@dataclass(frozen=True)
class Stage:
    number: int  # 1-based
    deadline: datetime


def stages(deadlines: Sequence[datetime]) -> list[Stage]:
    return [Stage(number, deadline) for number, deadline in enumerate(deadlines, start=1)]


def days_left(deadline: datetime, now: datetime) -> int:
    """Whole days until the deadline, 0 on its last day (counted in Brussels)."""
    return max((deadline.astimezone(BRUSSELS).date() - now.astimezone(BRUSSELS).date()).days, 0)


def within(deadline: datetime, now: datetime, days: int) -> bool:
    return now <= deadline <= now + timedelta(days=days)
