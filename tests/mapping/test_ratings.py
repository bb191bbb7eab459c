"""Cluster stars and strong-cluster flags, computed by hand on a ten-region case."""

import numpy as np
import pandas as pd
import pytest

from atclusters.mapping.ratings import Thresholds, base_shares_from, ratings, star_count

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


# The U.S. Cluster Mapping Project's strong clusters, worked by hand from its processing code
# (clustermapping/cmp, data/processing/cluster_calcs_reducer.js): only traded categories
# (line 24); quantiles (d3.quantile, R type 7) over the regions with employment > 0 (lines
# 35-41); LQ >= upper quartile, LQ >= 1, employment and establishments above the lower
# quartile (lines 53-56). Base share 0.1; LQ = employment / total / 0.1.
CMP_REGIONS = [f"C{i}" for i in range(8)]
CMP_JOBS = [0, 0, 60, 80, 100, 150, 300, 900]
CMP_EMPLOYMENT = pd.DataFrame({"traded": CMP_JOBS, "local": CMP_JOBS}, index=CMP_REGIONS)
CMP_TOTALS = pd.Series([1000, 1000, 1200, 200, 1000, 1000, 1500, 3000], index=CMP_REGIONS)
CMP_BASE = pd.Series({"traded": 0.1, "local": 0.1})
CMP_LQ = [0, 0, 0.5, 4.0, 1.0, 1.5, 2.0, 3.0]


def cmp_strong(category="traded", firms=None):
    table = ratings(
        CMP_EMPLOYMENT,
        CMP_TOTALS,
        CMP_BASE,
        establishments=None if firms is None else pd.DataFrame({category: firms}, CMP_REGIONS),
        local=["local"],
    )
    rows = table[table.category == category].set_index("region")
    assert rows["lq"].tolist() == pytest.approx(CMP_LQ)
    return list(rows.index[rows.strong])


def test_strong_clusters_follow_the_us_cluster_mapping_code():
    # Employment > 0: 60, 80, 100, 150, 300, 900; lower quartile at (6 - 1) x 0.25 = 1.25:
    # 80 + 0.25 x (100 - 80) = 85 (over all eight regions, zeros included, it would be 45).
    # LQ of those regions sorted 0.5, 1, 1.5, 2, 3, 4; upper quartile at 3.75: 2 + 0.75 x 1 =
    # 2.75. C3 (LQ 4) has 80 employees, not above 85: the small specialised region is not
    # strong; C7 (LQ 3, 900 employees) is.
    assert cmp_strong() == ["C7"]


def test_local_categories_are_never_strong_clusters():
    assert cmp_strong("local") == []


def test_establishments_count_where_known_over_the_regions_with_employment():
    # Establishments of C2…C7 (employment > 0): 5, 9, 2, 8, 7 and C7's; with C7 at 6 the
    # lower quartile of 2, 5, 6, 7, 8, 9 is 5 + 0.25 x 1 = 5.25 and C7 stays strong; at 5 the
    # quartile of 2, 5, 5, 7, 8, 9 is 5 and C7 is not above it.
    firms = [0, 0, 5, 9, 2, 8, 7]
    assert cmp_strong(firms=[*firms, 6]) == ["C7"]
    assert cmp_strong(firms=[*firms, 5]) == []
    # Unknown establishments leave the region to the other conditions.
    assert cmp_strong(firms=[*firms, np.nan]) == ["C7"]


def test_the_two_star_methods_count_three_stars_each():
    # Wages per employee 50 in R0, 10 elsewhere: the 90th percentile of nine 10s and a
    # 50 is 10 + 0.1 x 40 = 14, so R0 alone has the productivity star.
    wages = EMPLOYMENT[["X"]].mul([50] + [10] * 9, axis=0)
    table = ratings(EMPLOYMENT, TOTALS, BASE, wages=wages)
    x = table[table.category == "X"].set_index("region")
    assert list(x.index[x.productivity_star]) == ["R0"]
    # European Cluster Observatory (size, specialisation, focus): R0 has none of its stars.
    assert x["stars"].to_dict() == {**{f"R{i}": 0 for i in range(7)}, "R7": 1, "R8": 2, "R9": 1}
    assert (x["stars"] == star_count(x, "eco")).all()
    # European Cluster Panorama (size, specialisation, productivity): R8 loses its focus star.
    assert star_count(x, "eocic").to_dict() == {
        "R0": 1, **{f"R{i}": 0 for i in range(1, 7)}, "R7": 1, "R8": 1, "R9": 1,
    }  # fmt: skip
