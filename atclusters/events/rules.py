"""The registration and completion rules of events, with no Django (docs/events.md, "Rules").

- A seat is confirmed while the confirmed registrations are fewer than the capacity; beyond it
  the person joins the waiting list.
- Seats freed (a cancellation, a larger capacity) go to the waiting list in the order people
  asked for a seat: first come, first served, as Moodle's waitlist enrolment does.
- A training is completed by attending at least `percent` % of its sessions: the organiser's
  choice per event, 80 % by default (issue 22's example; no law fixes it for these courses)."""

from collections.abc import Sequence
from fractions import Fraction


def seat_available(*, capacity: int, confirmed: int) -> bool:
    return confirmed < capacity


def promotions(*, capacity: int, confirmed: int, waiting: Sequence[int]) -> list[int]:
    """The waiting registrations (keys, in waiting-list order) that get the free seats."""
    free = max(capacity - confirmed, 0)
    return list(waiting[:free])


def completed(*, attended: int, sessions: int, percent: int) -> bool:
    """Whether attending `attended` of `sessions` sessions meets the rule (exactly, no
    rounding: 80 % of 6 sessions is 4.8, so 5 are needed)."""
    if sessions <= 0:
        return False
    return Fraction(attended, sessions) >= Fraction(percent, 100)
