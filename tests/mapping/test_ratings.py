"""Cluster stars and strong-cluster flags, computed by hand on a ten-region case."""

import numpy as np
import pandas as pd
import pytest

from atclusters.mapping.ratings import (
    Thresholds,
    base_kind_shares_from,
    base_shares_from,
    kind_totals,
    ratings,
    star_count,
    strong_clusters,
    strong_lq_base,
)

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
# (clustermapping/cmp, data/processing/cluster_calcs_reducer.js) on given location quotients
# (the project's, against traded employment: see the traded-base case below): only traded
# categories (line 24); quantiles (d3.quantile, R type 7) over the regions with employment > 0
# (lines 35-41); LQ >= upper quartile, LQ >= 1, employment and establishments above the lower
# quartile (lines 53-56).
CMP_REGIONS = [f"C{i}" for i in range(8)]
CMP_JOBS = [0, 0, 60, 80, 100, 150, 300, 900]
CMP_EMPLOYMENT = pd.DataFrame({"traded": CMP_JOBS, "local": CMP_JOBS}, index=CMP_REGIONS)
CMP_LQ = [0, 0, 0.5, 4.0, 1.0, 1.5, 2.0, 3.0]


def cmp_strong(category="traded", firms=None):
    strong = strong_clusters(
        CMP_EMPLOYMENT,
        pd.DataFrame({"traded": CMP_LQ, "local": CMP_LQ}, index=CMP_REGIONS),
        None if firms is None else pd.DataFrame({category: firms}, CMP_REGIONS),
        Thresholds(),
        local=["local"],
    )
    return list(strong.index[strong[category]])


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


# The U.S. Cluster Mapping Project's location quotient of a traded cluster divides by traded
# employment, in the region and in the nation (clustermapping/cmp, data/processing/
# cluster_calcs_mapper.js lines 60-70; traded employment is the sum of the region's traded
# clusters, aggregate_mapper.js line 26 and aggregate_reducer.js line 56). Worked by hand: two
# traded categories, farm (NACE A) and industry (B-E), one local, shops (G-I); ES is the
# comparison base; ES13 and ES have 100 employees outside the three categories.
#   region  TOTAL  farm  industry  shops  traded (farm + industry)  local (shops)
TRADED_BASE_TABLE = [
    ("ES", 1000, 100, 300, 500),  # 400  500
    ("ES11", 200, 10, 90, 100),  # 100  100
    ("ES12", 400, 40, 40, 320),  # 80  320
    ("ES13", 300, 30, 70, 100),  # 100  100
    ("ES21", 200, 50, 50, 100),  # 100  100
    ("ES22", 300, 60, 180, 60),  # 240  60
]
TRADED_BASE_CATEGORIES = {"farm": ["A"], "industry": ["B-E"], "shops": ["G-I"]}
TRADED_BASE_LOCAL = ["shops"]
# All-employment LQ (the stars'): (e / TOTAL) / (E / 1000), base shares 0.1, 0.3, 0.5.
TRADED_BASE_LQ = {
    "farm": {"ES11": 0.5, "ES12": 1.0, "ES13": 1.0, "ES21": 2.5, "ES22": 2.0},
    "industry": {"ES11": 1.5, "ES12": 1 / 3, "ES13": 7 / 9, "ES21": 5 / 6, "ES22": 2.0},
    "shops": {"ES11": 1.0, "ES12": 1.6, "ES13": 2 / 3, "ES21": 1.0, "ES22": 0.4},
}
# The project's LQ (kind_lq): farm (e / traded) / (100 / 400 = 0.25), e.g. ES12 (40 / 80) /
# 0.25 = 2; industry (e / traded) / (300 / 400 = 0.75), e.g. ES13 (70 / 100) / 0.75 = 14/15;
# shops (e / local) / (500 / 500): 1 everywhere, the only local category.
TRADED_BASE_KIND_LQ = {
    "farm": {"ES11": 0.4, "ES12": 2.0, "ES13": 1.2, "ES21": 2.0, "ES22": 1.0},
    "industry": {"ES11": 1.2, "ES12": 2 / 3, "ES13": 14 / 15, "ES21": 2 / 3, "ES22": 1.0},
    "shops": dict.fromkeys(["ES11", "ES12", "ES13", "ES21", "ES22"], 1.0),
}
# Farm: employment 10, 30, 40, 50, 60, lower quartile at 4 x 0.25 = 1: 30; kind_lq sorted
# 0.4, 1, 1.2, 2, 2, upper quartile at 4 x 0.75 = 3: 2 → ES12 and ES21 (LQ 2, over 30 jobs).
# Against all employment (the rule before) the LQs 0.5, 1, 1, 2, 2.5 cut at 2 → ES21 and ES22:
# ES22's farming is a small part of its large traded economy (60 of 240), ES12's a large part
# of a small one (40 of 80).
# Industry: employment 40, 50, 70, 90, 180, floor 50; kind_lq sorted 2/3, 2/3, 14/15, 1, 1.2,
# cut 1 → ES11 (1.2, 90 jobs) and ES22 (1, 180 jobs). Shops are local: never strong.
TRADED_BASE_STRONG = {
    ("ES12", "farm"),
    ("ES21", "farm"),
    ("ES11", "industry"),
    ("ES22", "industry"),
}


def traded_base_cells() -> list[tuple[str, str, int, float]]:
    """The table as figures of 2020: (region, NACE code or TOTAL, year, employment)."""
    return [
        (region, code, 2020, value)
        for region, *values in TRADED_BASE_TABLE
        for code, value in zip(("TOTAL", "A", "B-E", "G-I"), values, strict=True)
    ]


def traded_base_frames() -> tuple[pd.DataFrame, pd.Series]:
    table = pd.DataFrame(
        TRADED_BASE_TABLE, columns=["region", "TOTAL", "farm", "industry", "shops"]
    ).set_index("region")
    return table[["farm", "industry", "shops"]].astype(float), table["TOTAL"].astype(float)


def by_category(table: pd.DataFrame, column: str) -> dict:
    return {
        category: rows.set_index("region")[column].to_dict()
        for category, rows in table.groupby("category")
    }


def test_the_strong_cluster_lq_divides_by_traded_employment():
    employment, totals = traded_base_frames()
    regions = employment.drop(index="ES")
    table = ratings(
        regions,
        totals,
        pd.Series({"farm": 0.1, "industry": 0.3, "shops": 0.5}),
        local=TRADED_BASE_LOCAL,
        base_kind_shares=pd.Series({"farm": 0.25, "industry": 0.75, "shops": 1.0}),
    )
    for category, expected in TRADED_BASE_KIND_LQ.items():
        assert by_category(table, "kind_lq")[category] == pytest.approx(expected)
        assert by_category(table, "lq")[category] == pytest.approx(TRADED_BASE_LQ[category])
    assert set(zip(table.region[table.strong], table.category[table.strong], strict=True)) == (
        TRADED_BASE_STRONG
    )
    # The stars keep the all-employment LQ (European Cluster Observatory): ES22's farming has
    # the specialisation star (LQ 2) without being strong; ES12's (LQ 1, kind_lq 2) has none.
    farm = table[table.category == "farm"].set_index("region")
    assert list(farm.index[farm.specialisation_star]) == ["ES21", "ES22"]
    # Without base_kind_shares a scheme with local categories cannot be rated.
    with pytest.raises(ValueError, match="base_kind_shares"):
        ratings(regions, totals, pd.Series({"farm": 0.1}), local=TRADED_BASE_LOCAL)


def test_traded_and_local_employment_sum_the_categories_of_each_kind():
    employment, totals = traded_base_frames()
    bases = kind_totals(employment, totals, TRADED_BASE_LOCAL)
    # ES13: traded 30 + 70 = 100 (not its 300 less its 100 in shops); local 100.
    assert bases.loc["ES13"].to_dict() == {"farm": 100, "industry": 100, "shops": 100}
    nation = employment.loc[["ES"]]
    assert base_kind_shares_from(nation, totals, TRADED_BASE_LOCAL).to_dict() == pytest.approx(
        {"farm": 0.25, "industry": 0.75, "shops": 1.0}
    )
    assert base_shares_from(nation, totals).to_dict() == pytest.approx(
        {"farm": 0.1, "industry": 0.3, "shops": 0.5}
    )
    # A scheme without local categories sets nothing apart: every category against the total.
    assert kind_totals(employment, totals).loc["ES13"].tolist() == [300, 300, 300]
    table = ratings(employment, totals, base_shares_from(nation, totals))
    assert table["kind_lq"].tolist() == table["lq"].tolist()
    assert strong_lq_base(TRADED_BASE_LOCAL) == "traded" and strong_lq_base([]) == "total"


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
