"""The threshold rule for small cells (atclusters/core/smallcells.py), by hand: a figure resting
on 1 to min_group - 1 records is withheld, 0 and min_group or more are shown."""

from atclusters.core import smallcells

RESTS_ON = {"n": ("n",), "funded": ("n", "funded"), "rate": ("funded", "rejected")}


def test_counts_from_one_to_below_the_threshold_are_small():
    assert [smallcells.small(count, 5) for count in (0, 1, 4, 5, 12)] == [
        False, True, True, False, False,
    ]  # fmt: skip


def test_a_statistic_needs_at_least_the_threshold():
    # A median or a rank of no record does not exist: none is not enough, unlike a count.
    assert [smallcells.enough(count, 5) for count in (0, 1, 4, 5, 12)] == [
        False, False, False, True, True,
    ]  # fmt: skip


def test_a_figure_is_withheld_when_any_count_it_rests_on_is_small():
    figures = {"n": 9, "funded": 5, "rate": 5 / 7, "label": "Horizon"}
    counts = {"n": 9, "funded": 5, "rejected": 2}
    assert smallcells.suppressed(figures, counts, RESTS_ON, 5) == {
        "n": 9, "funded": 5, "rate": None, "label": "Horizon", "withheld": ["rate"],
    }  # fmt: skip
    nothing_rejected = {"n": 9, "funded": 5, "rejected": 0}
    assert smallcells.withheld(nothing_rejected, RESTS_ON, 5) == []
    assert smallcells.withheld({"n": 3, "funded": 0, "rejected": 0}, RESTS_ON, 5) == ["n", "funded"]
    assert smallcells.withheld({"n": 3, "funded": 0, "rejected": 0}, RESTS_ON, 3) == []


def test_the_size_of_a_small_group_is_withheld_as_fewer_than_the_threshold():
    assert [smallcells.shown_count(count, 5) for count in (0, 1, 4, 5, 12)] == [
        0, None, None, 5, 12,
    ]  # fmt: skip


def test_a_withheld_size_reads_fewer_than_the_threshold_in_each_language():
    from django.utils import translation

    from atclusters.core.templatetags.numbers import count_text

    assert count_text(None, 5) == "fewer than 5" and count_text(1250, 5) == "1,250"
    with translation.override("es"):
        assert count_text(None, 7) == "menos de 7"
