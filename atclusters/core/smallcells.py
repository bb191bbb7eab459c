"""Small cells: an aggregate shown to people who may not see the records behind it is withheld
when it rests on fewer than `min_group` of them, so that it cannot be read back to one record
(the threshold rule of statistical disclosure control: Hundepool et al., *Statistical
Disclosure Control*, Wiley 2012, 5.2 on frequency tables). Zero is shown: it discloses no
record. The size of a group too small is itself withheld: it is shown as "fewer than
`min_group`", never as 1 to 4 (`shown_count`), for one member of a group of two who knows the
group's size knows whose the other answer is. The platform's threshold is
`CONFIDENTIALITY_MIN_GROUP` (5); benchmarking's peer comparison applies the same rule to its peer
groups (`BENCHMARKING_MIN_GROUP`, by default the same: benchmarking/peers.py, disclosure.py,
services.py). Pure Python."""

from collections.abc import Iterable, Mapping


def enough(count: int, min_group: int) -> bool:
    """Whether a statistic computed from `count` records (a median, a rank) may be shown: at
    least `min_group`. Of no record there is no such statistic to show."""
    return count >= min_group


def small(count: int, min_group: int) -> bool:
    """Whether a count of records is too small to be shown (0 is not: it discloses nobody)."""
    return count > 0 and not enough(count, min_group)


def shown_count(count: int, min_group: int) -> int | None:
    """A count of records as it may be shown: None when it is small, to be read "fewer than
    `min_group`" (`core.templatetags.numbers.count_shown` words it)."""
    return None if small(count, min_group) else count


def withheld(
    counts: Mapping[str, int], rests_on: Mapping[str, Iterable[str]], min_group: int
) -> list[str]:
    """The figures, by name, that rest on a small count (`rests_on`: figure → the counts, by
    name, it is computed from; a count rests on itself)."""
    return [
        figure
        for figure, sources in rests_on.items()
        if any(small(counts[source], min_group) for source in sources)
    ]


def suppressed(
    figures: Mapping[str, object], counts: Mapping[str, int],
    rests_on: Mapping[str, Iterable[str]], min_group: int,
) -> dict[str, object]:  # fmt: skip
    """The figures with each one resting on a small count set to None, and `withheld` listing
    their names (so that a withheld figure is not read as "none")."""
    hidden = withheld(counts, rests_on, min_group)
    return {
        **{name: None if name in hidden else value for name, value in figures.items()},
        "withheld": hidden,
    }
