"""The differencing guard of peer comparison (pure Python and numpy, no Django): which of a
peer group's indicators may be shown beside every group already shown for the same framework
and year.

Showing one group's statistics for an indicator and then another's lets whoever reads both
learn about the clusters in which the two groups' reporting sets differ; with one such cluster
(or a few) whose answers the readers do not know, comparing two medians or quartiles can give
those answers. This is the differencing of overlapping tables in statistical disclosure control
(Hundepool et al., *Statistical Disclosure Control*, Wiley 2012, on linked tables) and the
query-set overlap problem of statistical databases (Dobkin, Jones & Lipton, "Secure databases:
protection against user influence", ACM TODS 4(1), 1979). Three checks, per indicator
(docs/benchmarking.md, "Differencing"):

- known: the group's answers that its readers do not already know are none or at least
  `min_group` (a group is a difference from what the readers know);
- difference: any two groups shown, in any cluster's comparison, are equal or differ by none
  or at least `min_group` clusters whose answers the two readers do not already know;
- combination: the percentile rank is a count (peers below the reader's value, plus half the
  equal ones), and counts add up: no sum or difference of the groups shown in one comparison
  may give one cluster's count alone (a "tracker": Denning, Denning & Schwartz, "The tracker:
  a threat to statistical database security", ACM TODS 4(1), 1979).

Sets hold submission ids. A group's reporting set may hold the reading cluster's own
submission: the cluster is left out of its own statistics, and its readers know its answers
anyway, so it never counts as a difference.
"""

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import product

import numpy as np

from atclusters.core import smallcells

Members = frozenset[int]
Knowledge = Callable[[int], Collection[Members]]


@dataclass(frozen=True)
class Shown:
    """A peer group as shown in one cluster's comparison: which group, and per indicator shown
    the submissions that reported it."""

    cluster: int
    group: str
    reporting: Mapping[str, Members]


@dataclass(frozen=True)
class Conflict:
    """Why an indicator of a group may not be shown: `known`, `difference` (from `other`) or
    `combination`."""

    reason: str
    other: Shown | None = None


class _Coalitions:
    """What two readers know together, one reader of each comparison (or the same person);
    each union is made once."""

    def __init__(self) -> None:
        self._unions: dict[tuple[Members, Members], Members] = {}

    def __call__(
        self, first: Collection[Members], second: Collection[Members]
    ) -> Iterator[Members]:
        for one, two in product(first, second):
            union = self._unions.get((one, two))
            if union is None:
                union = self._unions[one, two] = one | two
            yield union


def _tracker(rows: Sequence[Members], known: Members) -> bool:
    """Whether a sum or difference of the rows' counts gives the count of one cluster whose
    answer is not known: a unit vector lies in the span of the rows' indicator vectors, i.e.
    the column's leverage in the row space is 1."""
    columns = sorted(frozenset().union(*rows) - known)
    if not columns:
        return False
    matrix = np.array([[column in row for column in columns] for row in rows], dtype=float)
    _left, singular, right = np.linalg.svd(matrix, full_matrices=False)
    rank = int((singular > 1e-9 * max(matrix.shape) * singular[0]).sum())
    leverage = (right[:rank] ** 2).sum(axis=0)
    return bool((leverage > 1 - 1e-6).any())


class ShownGroups:
    """Every group shown for a pool, in the order shown, indexed for the checks: per indicator
    the views by reporting set, and per cluster its comparison's reporting sets.
    `knowledge(c)` lists what each kind of reader of cluster c's comparison knows: the answers
    of c itself (every reader), and of every cluster a reader may edit (an agency's staff know
    all its clusters' answers, a manager those of the clusters they manage)."""

    def __init__(self, knowledge: Knowledge):
        self.knowledge = knowledge
        self.by_set: dict[str, dict[Members, list[Shown]]] = {}
        self.most_known: dict[tuple[str, Members], int] = {}  # by any reader of those views
        self.of_cluster: dict[tuple[int, str], dict[Members, None]] = {}

    def add(self, shown: Shown) -> None:
        known = max(len(known) for known in self.knowledge(shown.cluster))
        for code, members in shown.reporting.items():
            self.by_set.setdefault(code, {}).setdefault(members, []).append(shown)
            self.most_known[code, members] = max(self.most_known.get((code, members), 0), known)
            self.of_cluster.setdefault((shown.cluster, code), {})[members] = None


def conflicts(
    *, cluster: int, reporting: Mapping[str, Members], shown: ShownGroups, min_group: int
) -> dict[str, Conflict]:
    """Per indicator of `reporting` (a group about to be shown in `cluster`'s comparison), why
    it may not be shown beside the groups already `shown`."""
    found: dict[str, Conflict] = {}
    coalitions = _Coalitions()
    knowledge = shown.knowledge
    mine = knowledge(cluster)
    readers = set(coalitions(mine, mine))
    most_mine = max(len(known) for known in mine)
    # Many indicators and many groups share their sets: each verdict is reached once.
    too_known: dict[Members, bool] = {}
    too_close: dict[tuple[Members, Members, int], bool] = {}
    trackers: dict[tuple[Members, ...], bool] = {}

    def close(theirs: Members, members: Members, other: int) -> bool:
        verdict = too_close.get((theirs, members, other))
        if verdict is None:
            difference = theirs ^ members
            verdict = too_close[theirs, members, other] = any(
                smallcells.small(len(difference - known), min_group)
                for known in coalitions(mine, knowledge(other))
                if not smallcells.enough(len(difference) - len(known), min_group)
            )
        return verdict

    for code, members in reporting.items():
        if members not in too_known:
            too_known[members] = any(
                smallcells.small(len(members - known), min_group) for known in readers
            )
        if too_known[members]:
            found[code] = Conflict("known")
            continue
        conflicting: list[tuple[bool, int, Shown]] = []
        for theirs, views in shown.by_set.get(code, {}).items():
            if theirs is members or theirs == members:
                continue
            apart = len(theirs ^ members)
            # larger than the minimum and all that any two of their readers know: safe
            if smallcells.enough(apart - most_mine - shown.most_known[code, theirs], min_group):
                continue
            conflicting += [
                (view.cluster != cluster, apart, view)
                for view in views
                if close(theirs, members, view.cluster)
            ]
        if conflicting:  # the reason names the closest of the cluster's own groups, if any
            found[code] = Conflict("difference", min(conflicting, key=lambda c: c[:2])[2])
            continue
        rows = (*shown.of_cluster.get((cluster, code), {}), members)
        rows = tuple(dict.fromkeys(rows))  # the same set twice adds nothing
        if len(rows) >= 3:  # with two, a unit vector is a difference (checked above)
            if rows not in trackers:
                trackers[rows] = any(_tracker(rows, known) for known in readers)
            if trackers[rows]:
                found[code] = Conflict("combination")
    return found
