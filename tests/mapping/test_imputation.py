"""Unpublished cells estimated by the European Cluster Observatory's method, by hand."""

import pytest

from atclusters.mapping.imputation import impute
from atclusters.mapping.statfiles import Observation

PARENTS = {"C": "TOTAL", "10": "C", "11": "C", "12": "C", "10.1": "10", "10.2": "10"}


def cells(values: dict[str, float | None], flag: str = "c") -> list[Observation]:
    return [
        Observation("ES11", code, 2020, "employment", value, "" if value is not None else flag)
        for code, value in values.items()
    ]


def imputed(values: dict[str, float | None]) -> dict[str, tuple[float | None, bool]]:
    return {o.industry: (o.value, o.imputed) for o in impute(cells(values), PARENTS)}


def test_the_rest_of_the_parent_is_split_equally_among_the_missing_children():
    result = imputed({"C": 100, "10": 40, "11": None, "12": None})
    assert result == {
        "C": (100, False),
        "10": (40, False),
        "11": (30, True),
        "12": (30, True),
    }


def test_a_missing_parent_is_estimated_first_and_then_used():
    result = imputed({"C": 100, "10": None, "11": 70, "10.1": 5, "10.2": None})
    assert result["10"] == (30, True)  # 100 − 70
    assert result["10.2"] == (25, True)  # 30 − 5


def test_levels_the_file_skips_are_bridged_and_flags_are_kept():
    observations = impute(cells({"C": 90, "10.1": None, "11": 30}), PARENTS)
    by_code = {o.industry: o for o in observations}
    # 10.1's nearest parent in the file is C: it and 11 are C's children here.
    assert by_code["10.1"].value == pytest.approx(60) and by_code["10.1"].flag == "c"


def test_nothing_is_left_to_split_when_children_exceed_the_parent():
    assert imputed({"C": 50, "10": 60, "11": None})["11"] == (0, True)


def test_regions_years_and_measures_are_separate():
    observations = [
        Observation("ES11", "C", 2020, "employment", 10),
        Observation("ES11", "10", 2020, "employment", None, "c"),
        Observation("ES12", "10", 2020, "employment", None, "c"),
        Observation("ES11", "10", 2020, "wages", None, "c"),
    ]
    result = {(o.region, o.industry, o.measure): o.value for o in impute(observations, PARENTS)}
    assert result[("ES11", "10", "employment")] == 10
    assert result[("ES12", "10", "employment")] is None
    assert result[("ES11", "10", "wages")] is None
