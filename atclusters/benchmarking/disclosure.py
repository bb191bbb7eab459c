"""The differencing guard of peer comparison (pure Python, no Django): which of a peer group's
indicators may be shown beside every group already shown for the same framework and year.

Showing one group's statistics for an indicator and then another's lets whoever reads both
learn about the clusters in which the two groups' reporting sets differ; with one such cluster
(or a few) whose answers the readers do not know, comparing two medians or quartiles can give
those answers. This is the differencing of overlapping tables in statistical disclosure control
(Hundepool et al., *Statistical Disclosure Control*, Wiley 2012, on linked tables) and the
query-set overlap problem of statistical databases (Dobkin, Jones & Lipton, "Secure databases:
protection against user influence", ACM TODS 4(1), 1979). The rule (docs/benchmarking.md,
"Differencing"): for every indicator, two groups shown are equal or differ by at least
`min_group` clusters whose answers the two readers do not already know.

Sets hold submission ids. A group's reporting set may hold the reading cluster's own
submission: the cluster is left out of its own statistics, and its readers know its answers
anyway, so it never counts as a difference.
"""

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

Members = frozenset[int]


@dataclass(frozen=True)
class Shown:
    """A peer group as shown in one cluster's comparison: which group, and per indicator shown
    the submissions that reported it."""

    cluster: int
    group: str
    reporting: Mapping[str, Members]


def conflicts(
    *,
    cluster: int,
    reporting: Mapping[str, Members],
    shown: Sequence[Shown],
    knowledge: Callable[[int], Collection[Members]],
    min_group: int,
) -> dict[str, Shown]:
    """Per indicator of `reporting` (a group about to be shown in `cluster`'s comparison), a
    group already shown that it may not be shown beside.

    `knowledge(c)` lists what each kind of reader of cluster c's comparison knows: the answers
    of c itself (every reader), and of every cluster a reader may edit (an agency's staff know
    all its clusters' answers, a manager those of the clusters they manage). Two groups are
    compared for every pair of readers, one of each comparison (or the same person): the
    clusters by which they differ, less those the pair knows, must be none or at least
    `min_group`."""
    found: dict[str, Shown] = {}
    mine = knowledge(cluster)
    differences: dict[tuple[Members, Members], Members] = {}  # many groups share their sets
    for code, members in reporting.items():
        for other in shown:
            theirs = other.reporting.get(code)
            if theirs is None or theirs == members:
                continue
            difference = differences.get((theirs, members))
            if difference is None:
                difference = differences[theirs, members] = theirs ^ members
            if any(
                0 < len(difference - first - second) < min_group
                for first in mine
                for second in knowledge(other.cluster)
                # a difference larger than both readers' knowledge and the minimum is safe
                if len(difference) - len(first) - len(second) < min_group
            ):
                found[code] = other
                break
    return found
