"""The differencing guard worked by hand (atclusters/benchmarking/disclosure.py): sets are
submission ids; cluster c's readers know what `knowledge(c)` lists."""

from atclusters.benchmarking.disclosure import Shown, ShownGroups, conflicts

S = frozenset(range(1, 6))  # five peers
U = frozenset(range(11, 16))
W = frozenset(range(21, 26))
T = 99  # the cluster an attacker would single out


def only_own(cluster):
    return [frozenset({cluster})]


def remembered(shown, knowledge=only_own):
    groups = ShownGroups(knowledge)
    for group in shown:
        groups.add(group)
    return groups


def check(candidate, shown, cluster=1, knowledge=only_own):
    return conflicts(
        cluster=cluster,
        reporting={"S01": frozenset(candidate)},
        shown=remembered(shown, knowledge),
        min_group=5,
    ).get("S01")


def shown_in(cluster, *groups):
    return [
        Shown(cluster=cluster, group=f"g{number}", reporting={"S01": frozenset(group)})
        for number, group in enumerate(groups)
    ]


def test_two_groups_one_unknown_cluster_apart_conflict_whoever_showed_the_first():
    nine = S | {6, 7, 8, 9}
    own_group = check(nine | {T}, shown_in(1, nine))
    assert own_group.reason == "difference" and own_group.other.group == "g0"
    # Shown in cluster 2's comparison, with cluster 2 in it (its own answers, never its peer):
    # the readers of both comparisons know 1 and 2, not T.
    assert check(nine | {1, T}, shown_in(2, nine | {2})).reason == "difference"
    # The same set in both comparisons, apart from the two reading clusters: nothing to learn.
    assert check(nine | {1}, shown_in(2, nine | {2})) is None
    # Five unknown clusters apart, or an indicator that group did not show: no conflict.
    assert check(nine | U, shown_in(1, nine)) is None
    other_indicator = {"G01": frozenset(nine | {T})}
    assert (
        conflicts(
            cluster=1, reporting=other_indicator, shown=remembered(shown_in(1, nine)), min_group=5
        )
        == {}
    )


def test_what_the_readers_know_does_not_count_as_a_difference_but_can_leave_too_few():
    # One agency's clusters: its staff know their answers.
    agency = frozenset({1, 2, 11, 12, 13, 14, 16})

    def staff_too(cluster):
        return [frozenset({cluster}), agency] if cluster in agency else [frozenset({cluster})]

    # Five apart for a manager who knows cluster 1 only; two apart for the agency's staff.
    grown = S | {11, 12, 13, 98, T}
    assert check(grown, shown_in(2, S), knowledge=only_own) is None
    assert check(grown, shown_in(2, S), knowledge=staff_too).reason == "difference"
    # A group of which the staff know all but two answers is refused on its own.
    assert check({11, 12, 13, 2, 98, T}, [], knowledge=staff_too).reason == "known"
    assert check({11, 12, 13, 2, 98, T}, [], knowledge=only_own) is None
    # All of them known: nothing to learn.
    assert check(agency, [], cluster=1, knowledge=staff_too) is None


def test_sums_and_differences_of_the_groups_of_one_comparison_cannot_isolate_a_cluster():
    """A = S + T, B = S + U, C = U + W, D = W: any two are at least five apart, but the
    percentile ranks' counts give A − B + C − D = T's count (is T below the reader's value?)."""
    earlier = shown_in(1, S | {T}, S | U, U | W)
    assert check(W, earlier).reason == "combination"
    assert check(W, earlier[1:]) is None  # without A, nothing isolates T
    assert check(W, shown_in(2, S | {T}, S | U, U | W)) is None  # another comparison's counts
