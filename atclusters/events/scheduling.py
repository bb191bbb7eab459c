"""The B2B meeting scheduler, with no Django (docs/events.md, "B2B schedule").

Input: the slots, the number of tables, each participant's available slots and the accepted
meeting requests (a pair and a priority). Output: a slot and a table for as many requests as
it can, such that every meeting is in a slot both sides have, nobody and no table is in two
meetings of one slot, and each request is held at most once. Meetings already fixed (scheduled
before, announced to the participants) keep their slot and table.

Method: **most-constrained-first greedy with one-level ejection repair.** Requests are placed
by priority, then fewest common free slots first (the ones most likely to be squeezed out),
each in the common slot with the most free tables left. Then each request left out is tried
again in every common slot: the at most two meetings that block it (of either side in that
slot) are moved to another slot where their own two sides and a table are free, and the
request takes the freed place (an augmenting path of length one, as in bipartite matching).
Passes repeat while one holds more. The answer is never worse than the greedy first-fit
baseline (requests in the order given, first slot that fits): the better of the two is kept.
"""

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

METHOD = "most-constrained-first greedy with one-level ejection repair"


class InstanceError(ValueError):
    """A bad instance; `item` names the part at fault (e.g. "requests[3].b")."""

    def __init__(self, item: str, message: str):
        super().__init__(f"{item}: {message}")
        self.item = item


@dataclass(frozen=True)
class Request:
    a: str
    b: str
    priority: int = 1


@dataclass(frozen=True)
class Instance:
    slots: tuple[str, ...]
    tables: int
    available: Mapping[str, frozenset[str]]  # participant → slots
    requests: tuple[Request, ...]


@dataclass(frozen=True)
class Meeting:
    a: str
    b: str
    slot: str
    table: int  # 1 … tables


@dataclass(frozen=True)
class Result:
    meetings: list[Meeting]
    requested: int
    greedy_held: int
    method: str
    seconds: float

    @property
    def held(self) -> int:
        return len(self.meetings)

    def document(self) -> dict[str, Any]:
        return {
            "meetings": [
                {"a": m.a, "b": m.b, "slot": m.slot, "table": m.table} for m in self.meetings
            ],
            "held": self.held,
            "requested": self.requested,
            "greedy_held": self.greedy_held,
            "method": self.method,
            "seconds": round(self.seconds, 3),
        }


def _text(value: Any, item: str) -> str:
    if not isinstance(value, str) or not value:
        raise InstanceError(item, "must be a non-empty string")
    return value


def instance_read(document: Any) -> Instance:
    """The instance of a JSON document (issue 22's format); InstanceError names the bad item."""
    if not isinstance(document, dict):
        raise InstanceError("instance", "must be an object")
    slots_in = document.get("slots")
    if not isinstance(slots_in, list):
        raise InstanceError("slots", "must be a list")
    slots: list[str] = []
    for number, slot in enumerate(slots_in):
        if _text(slot, f"slots[{number}]") in slots:
            raise InstanceError(f"slots[{number}]", f"duplicate slot {slot!r}")
        slots.append(slot)
    tables = document.get("tables")
    if not isinstance(tables, int) or isinstance(tables, bool) or tables < 0:
        raise InstanceError("tables", "must be a whole number, 0 or more")
    people = document.get("participants")
    if not isinstance(people, list):
        raise InstanceError("participants", "must be a list")
    available: dict[str, frozenset[str]] = {}
    for number, person in enumerate(people):
        item = f"participants[{number}]"
        if not isinstance(person, dict):
            raise InstanceError(item, "must be an object")
        key = _text(person.get("id"), f"{item}.id")
        if key in available:
            raise InstanceError(f"{item}.id", f"duplicate participant {key!r}")
        free = person.get("available", slots)
        if not isinstance(free, list):
            raise InstanceError(f"{item}.available", "must be a list")
        unknown = [slot for slot in free if slot not in slots]
        if unknown:
            raise InstanceError(f"{item}.available", f"unknown slot {unknown[0]!r}")
        available[key] = frozenset(free)
    asked = document.get("requests")
    if not isinstance(asked, list):
        raise InstanceError("requests", "must be a list")
    requests: list[Request] = []
    pairs: set[frozenset[str]] = set()
    for number, request in enumerate(asked):
        item = f"requests[{number}]"
        if not isinstance(request, dict):
            raise InstanceError(item, "must be an object")
        a, b = _text(request.get("a"), f"{item}.a"), _text(request.get("b"), f"{item}.b")
        for side, key in (("a", a), ("b", b)):
            if key not in available:
                raise InstanceError(f"{item}.{side}", f"unknown participant {key!r}")
        if a == b:
            raise InstanceError(item, "a participant cannot meet themselves")
        if frozenset((a, b)) in pairs:
            raise InstanceError(item, f"duplicate request {a!r}–{b!r}")
        pairs.add(frozenset((a, b)))
        priority = request.get("priority", 1)
        if not isinstance(priority, int) or isinstance(priority, bool):
            raise InstanceError(f"{item}.priority", "must be a whole number")
        requests.append(Request(a, b, priority))
    return Instance(tuple(slots), tables, available, tuple(requests))


class _Plan:
    """Who meets whom in which slot, with the counts the search needs."""

    def __init__(self, instance: Instance, fixed: Sequence[Meeting]):
        self.instance = instance
        self.busy: dict[str, dict[str, int]] = {p: {} for p in instance.available}
        self.used = dict.fromkeys(instance.slots, 0)
        self.slot_of: dict[int, str] = {}
        self.fixed: dict[int, int] = {}  # request → its fixed table
        index = {frozenset((r.a, r.b)): n for n, r in enumerate(instance.requests)}
        for meeting in fixed:
            number = index.get(frozenset((meeting.a, meeting.b)))
            # A fixed meeting whose request is gone (declined since) frees its place.
            if number is not None and self.free(number, meeting.slot):
                self.place(number, meeting.slot)
                self.fixed[number] = meeting.table

    def common(self, number: int) -> list[str]:
        request = self.instance.requests[number]
        both = self.instance.available[request.a] & self.instance.available[request.b]
        return [slot for slot in self.instance.slots if slot in both]

    def free(self, number: int, slot: str) -> bool:
        """Both sides free in `slot` and a table left there."""
        request = self.instance.requests[number]
        if self.used[slot] >= self.instance.tables:
            return False
        return slot not in self.busy[request.a] and slot not in self.busy[request.b]

    def place(self, number: int, slot: str) -> None:
        request = self.instance.requests[number]
        self.busy[request.a][slot] = self.busy[request.b][slot] = number
        self.used[slot] += 1
        self.slot_of[number] = slot

    def remove(self, number: int) -> str:
        request = self.instance.requests[number]
        slot = self.slot_of.pop(number)
        del self.busy[request.a][slot], self.busy[request.b][slot]
        self.used[slot] -= 1
        return slot

    def meetings(self) -> list[Meeting]:
        """The plan with tables: fixed meetings keep theirs, the others take the lowest free."""
        taken: dict[str, set[int]] = {slot: set() for slot in self.instance.slots}
        for number, table in self.fixed.items():
            taken[self.slot_of[number]].add(table)
        tables: dict[int, int] = dict(self.fixed)
        for number in sorted(self.slot_of):
            if number in tables:
                continue
            slot = self.slot_of[number]
            table = next(t for t in range(1, self.instance.tables + 1) if t not in taken[slot])
            taken[slot].add(table)
            tables[number] = table
        order = {slot: position for position, slot in enumerate(self.instance.slots)}
        meetings = [
            Meeting(r.a, r.b, self.slot_of[n], tables[n])
            for n, r in enumerate(self.instance.requests)
            if n in self.slot_of
        ]
        return sorted(meetings, key=lambda m: (order[m.slot], m.table))


def _greedy(instance: Instance, fixed: Sequence[Meeting]) -> _Plan:
    plan = _Plan(instance, fixed)
    for number in range(len(instance.requests)):
        if number in plan.slot_of:
            continue
        slot = next((s for s in plan.common(number) if plan.free(number, s)), None)
        if slot is not None:
            plan.place(number, slot)
    return plan


def _relocate(plan: _Plan, blocker: int, away_from: str) -> str | None:
    """Another slot for the meeting `blocker`, out of `away_from`, or None."""
    if blocker in plan.fixed:
        return None
    return next((s for s in plan.common(blocker) if s != away_from and plan.free(blocker, s)), None)


def _repair(plan: _Plan, number: int) -> bool:
    """Places request `number` by moving the meetings that block it in one slot elsewhere."""
    request = plan.instance.requests[number]
    for slot in plan.common(number):
        blockers = {
            plan.busy[side][slot] for side in (request.a, request.b) if slot in plan.busy[side]
        }
        if not blockers or any(b in plan.fixed for b in blockers):
            continue
        moved: list[tuple[int, str]] = []
        for blocker in sorted(blockers):
            old = plan.remove(blocker)
            target = _relocate(plan, blocker, slot)
            if target is None:
                plan.place(blocker, old)
                break
            plan.place(blocker, target)
            moved.append((blocker, old))
        else:
            if plan.free(number, slot):
                plan.place(number, slot)
                return True
        for blocker, old in reversed(moved):  # undo: this slot does not work
            plan.remove(blocker)
            plan.place(blocker, old)
    return False


def _best(instance: Instance, fixed: Sequence[Meeting], deadline: float) -> _Plan:
    plan = _Plan(instance, fixed)
    options = {n: len(plan.common(n)) for n in range(len(instance.requests))}
    order = sorted(options, key=lambda n: (-instance.requests[n].priority, options[n], n))
    for number in order:
        if number in plan.slot_of:
            continue
        fitting = [s for s in plan.common(number) if plan.free(number, s)]
        if fitting:
            plan.place(number, min(fitting, key=lambda s: plan.used[s]))
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        for number in order:
            if number not in plan.slot_of and _repair(plan, number):
                improved = True
    return plan


def schedule(instance: Instance, *, fixed: Sequence[Meeting] = (), seconds: float = 20.0) -> Result:
    """The schedule of the instance (see the module's description), keeping `fixed` meetings;
    the repair stops after `seconds`."""
    started = time.perf_counter()
    baseline = _greedy(instance, fixed)
    best = _best(instance, fixed, started + seconds)
    chosen = best if len(best.slot_of) >= len(baseline.slot_of) else baseline
    return Result(
        meetings=chosen.meetings(),
        requested=len(instance.requests),
        greedy_held=len(baseline.slot_of),
        method=METHOD if chosen is best else "greedy first-fit",
        seconds=time.perf_counter() - started,
    )


def conflicts(instance: Instance, meetings: Sequence[Meeting]) -> list[str]:
    """What is wrong with a schedule (empty when nothing is): for tests and benchmarks."""
    problems = []
    seen: set[tuple[str, str]] = set()
    tables: set[tuple[str, int]] = set()
    pairs: set[frozenset[str]] = set()
    asked = {frozenset((r.a, r.b)) for r in instance.requests}
    for meeting in meetings:
        pair = frozenset((meeting.a, meeting.b))
        if pair not in asked:
            problems.append(f"{meeting}: not requested")
        if pair in pairs:
            problems.append(f"{meeting}: held twice")
        pairs.add(pair)
        for side in (meeting.a, meeting.b):
            if meeting.slot not in instance.available[side]:
                problems.append(f"{meeting}: {side} not available")
            if (side, meeting.slot) in seen:
                problems.append(f"{meeting}: {side} double-booked")
            seen.add((side, meeting.slot))
        if not 1 <= meeting.table <= instance.tables or (meeting.slot, meeting.table) in tables:
            problems.append(f"{meeting}: table {meeting.table} not free")
        tables.add((meeting.slot, meeting.table))
    return problems
