"""Cluster stars and strong-cluster flags, computed by hand on a ten-region case."""

import numpy as np
import pandas as pd
import pytest

from atclusters.mapping.ratings import Thresholds, base_shares_from, ratings

REGIONS = [f"R{i}" for i in range(10)]
EMPLOYMENT = pd.DataFrame(
    {"X": [10, 20, 30, 40, 50, 60, 70, 80, 90, 500], "Y": [np.nan] + [100] * 9},
    index=REGIONS,
)
TOTALS = pd.Series([1000] * 9 + [10000], index=REGIONS)
BASE = pd.Series({"X": 0.04, "Y": 0.1})
FIRMS = pd.DataFrame({"X": [1, 2, 3, 4, 5, 6, 7, 1, 9, 10], "Y": [1] * 10}, index=REGIONS)


def rated(**options):
    table = ratings(EMPLOYMENT, TOTALS, BASE, **options)
    return table[table.category == "X"].set_index("region")


def test_stars_by_hand():
    x = rated()
    # Size: 90th percentile of employment = 90 + 0.1 × (500 − 90) = 131 → R9 only.
    assert list(x.index[x.size_star]) == ["R9"]
    # Focus: shares 0.01…0.09 and R9's 0.05; 90th percentile = 0.08 + 0.1 × 0.01 = 0.081 → R8.
    assert list(x.index[x.focus_star]) == ["R8"]
    # Specialisation: LQ = share / 0.04; R7's is exactly 2 (counts), R8's 2.25.
    assert x.loc["R7", "lq"] == pytest.approx(2.0) and x.loc["R8", "lq"] == pytest.approx(2.25)
    assert list(x.index[x.specialisation_star]) == ["R7", "R8"]
    assert x["stars"].to_dict() == {**{f"R{i}": 0 for i in range(7)}, "R7": 1, "R8": 2, "R9": 1}


def test_strong_clusters_by_hand():
    # LQ 75th percentile = 1.5 + 0.75 × (1.75 − 1.5) = 1.6875; employment 25th = 32.5.
    assert list(rated().query("strong").index) == ["R6", "R7", "R8"]
    # Establishments 25th percentile = 2 + 0.25 × (3 − 2) = 2.25: R7 has 1.
    assert list(rated(establishments=FIRMS).query("strong").index) == ["R6", "R8"]


def test_thresholds_are_settings_and_unknown_cells_are_left_out():
    lenient = rated(thresholds=Thresholds(specialisation_lq=1.5, size_top=0.2))
    assert list(lenient.index[lenient.specialisation_star]) == ["R5", "R6", "R7", "R8"]
    # Size, top 20%: 80th percentile = 80 + 0.2 × 10 = 82 → R8 and R9.
    assert list(lenient.index[lenient.size_star]) == ["R8", "R9"]
    table = ratings(EMPLOYMENT, TOTALS, BASE)
    assert not ((table.region == "R0") & (table.category == "Y")).any()


def test_base_shares_from_the_regions():
    shares = base_shares_from(EMPLOYMENT.fillna(0), TOTALS)
    assert shares["X"] == pytest.approx(950 / 19000)
