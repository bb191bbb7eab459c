"""The registration and completion rules of events, with no Django (docs/events.md, "Rules").

- A seat is confirmed while the confirmed registrations are fewer than the capacity and no one
  waiting would take it first (a newcomer is placed at the end of the waiting list and gets a
  seat only if `promotions` gives it one); beyond it the person joins the waiting list.
- Seats freed (a cancellation, a larger capacity) go to the waiting list in the order people
  asked for a seat: first come, first served, as Moodle's waitlist enrolment does. A ticket type
  with its own seats is full on its own: its waiting people wait for a seat of that type.
- A training is completed by attending at least `percent` % of its sessions: the organiser's
  choice per event, 80 % by default (issue 22's example; no law fixes it for these courses).
  A course made of modules asks it of each module.
- A feedback survey's breakdown (a rating's or a choice's counts) resting on fewer respondents
  than the platform's threshold is withheld: the kernel's small-cell rule (core/smallcells.py,
  CONFIDENTIALITY_MIN_GROUP)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from atclusters.core import smallcells


def promotions(
    *, capacity: int, confirmed: int, waiting: Sequence[int],
    ticket_of: Mapping[int, int | None] | None = None, ticket_free: Mapping[int, int] | None = None,
) -> list[int]:  # fmt: skip
    """The waiting registrations (keys, in waiting-list order) that get the free seats. With
    ticket types (`ticket_of`: each waiting key's ticket; `ticket_free`: the seats left of each
    ticket type that has its own), one whose ticket type is full keeps waiting and the seat goes
    to the next whose ticket has room: first come, first served within each ticket type."""
    free = max(capacity - confirmed, 0)
    left = dict(ticket_free or {})
    chosen: list[int] = []
    for key in waiting:
        if len(chosen) == free:
            break
        ticket = (ticket_of or {}).get(key)
        if ticket is not None and ticket in left:
            if left[ticket] <= 0:
                continue
            left[ticket] -= 1
        chosen.append(key)
    return chosen


def price(*, price: Decimal, member_price: Decimal | None, member: bool) -> Decimal:
    """A ticket's price: its member price for who comes for a member, when it has one."""
    return member_price if member and member_price is not None else price


def completed_modules(
    *, attended: Mapping[str, int], sessions: Mapping[str, int], percent: int
) -> bool:
    """A course made of modules is completed when the rule holds in each module: at least
    `percent` % of each module's sessions (a course without modules is one module)."""
    return bool(sessions) and all(
        completed(attended=attended.get(module, 0), sessions=count, percent=percent)
        for module, count in sessions.items()
    )


def completed(*, attended: int, sessions: int, percent: int) -> bool:
    """Whether attending `attended` of `sessions` sessions meets the rule (exactly, no
    rounding: 80 % of 6 sessions is 4.8, so 5 are needed)."""
    if sessions <= 0:
        return False
    return Fraction(attended, sessions) >= Fraction(percent, 100)


@dataclass(frozen=True)
class Breakdown:
    """How the respondents who answered a rating or choice question spread over its options:
    `counts[i]` chose option i (a rating r is option r − 1); `mean` the mean rating (ratings
    only). `withheld`: they are fewer than the platform's threshold (core/smallcells.py), so the
    counts and mean are not shown — with 3 respondents, a "1" beside two "5"s is somebody's."""

    respondents: int
    counts: list[int] | None
    mean: float | None
    withheld: bool


def breakdown(
    answers: Sequence[int | Sequence[int]], *, options: int, min_group: int, rating: bool = False
) -> Breakdown:
    """The breakdown of `answers` (one per respondent: a rating 1–5, a choice's position, or
    the positions of several choices) over `options` options."""
    respondents = len(answers)
    if smallcells.small(respondents, min_group):
        return Breakdown(respondents, None, None, withheld=True)
    counts = [0] * options
    for answer in answers:
        for position in [answer] if isinstance(answer, int) else answer:
            counts[position - 1 if rating else position] += 1
    total = sum(count * value for value, count in enumerate(counts, start=1))
    mean = round(total / respondents, 1) if rating and respondents else None
    return Breakdown(respondents, counts, mean, withheld=False)
