"""Every year and level rated at once (ratings.rate_panel), computed by hand."""

import math

import pandas as pd
import pytest

from atclusters.mapping.ratings import MACRO_REGION, Thresholds, rate_panel
from tests.mapping.test_ratings import (
    TRADED_BASE_CATEGORIES,
    TRADED_BASE_KIND_LQ,
    TRADED_BASE_LOCAL,
    TRADED_BASE_STRONG,
    by_category,
    traded_base_cells,
)

CATEGORIES = {"farm": ["A"], "industry": ["B-E"]}


def frame(rows, measure="employment", imputed=()):
    return pd.DataFrame(
        [
            {
                "region": region,
                "industry": industry,
                "year": year,
                "measure": measure,
                "value": value,
                "imputed": (region, industry, year) in imputed,
            }
            for region, industry, year, value in rows
        ]
    )


COUNTRIES = [
    # ES publishes both sectors; PT only its total in 2020, so PT is left out of the farm base.
    ("ES", "TOTAL", 2020, 1000), ("ES", "A", 2020, 100), ("ES", "B-E", 2020, 200),
    ("PT", "TOTAL", 2020, 1000), ("PT", "B-E", 2020, 400),
    ("ES", "TOTAL", 2015, 900), ("ES", "A", 2015, 100), ("ES", "B-E", 2015, 150),
]  # fmt: skip
REGIONS = [
    ("ES11", "TOTAL", 2020, 100), ("ES11", "A", 2020, 40), ("ES11", "B-E", 2020, 10),
    ("ES12", "TOTAL", 2020, 100), ("ES12", "A", 2020, 5), ("ES12", "B-E", 2020, 30),
    ("ES11", "TOTAL", 2015, 100), ("ES11", "A", 2015, 20), ("ES11", "B-E", 2015, 10),
    ("ES12", "TOTAL", 2015, 100), ("ES12", "A", 2015, 5),
]  # fmt: skip


def panel(**options):
    table = rate_panel(frame(COUNTRIES + REGIONS), CATEGORIES, **options).ratings
    return table.set_index(["year", "level", "region", "category"])


def test_shares_lq_and_growth_by_hand():
    table = panel()
    es11 = table.loc[(2020, 2, "ES11", "farm")]
    # Base share of farming: 100 / 1000 (PT publishes no farming, so its total stays out).
    assert es11["share"] == pytest.approx(0.4) and es11["lq"] == pytest.approx(4.0)
    # Industry: (200 + 400) / 2000 = 0.3; ES12's 30 / 100 → LQ 1.
    assert table.loc[(2020, 2, "ES12", "industry"), "lq"] == pytest.approx(1.0)
    # Growth over five years: (40 / 20) ** (1/5) − 1.
    assert es11["growth"] == pytest.approx(2**0.2 - 1)
    assert math.isnan(table.loc[(2020, 2, "ES12", "industry"), "growth"])
    # Countries are rated among themselves at level 0.
    assert table.loc[(2020, 0, "PT", "industry"), "lq"] == pytest.approx(0.4 / 0.3)
    assert set(table.index.get_level_values("level")) == {0, 2}


def test_region_groups_are_rated_as_macro_regions():
    table = panel(groups={"north": ["ES11", "ES12", "ES13"]})
    group = table.loc[(2020, MACRO_REGION, "north", "farm")]
    # ES13 publishes nothing in 2020: the group sums ES11 and ES12, 45 of 200.
    assert group["employment"] == 45 and group["share"] == pytest.approx(0.225)
    assert group["lq"] == pytest.approx(2.25) and group["specialisation_star"]
    assert group["stars"] == 1 and not group["size_star"] and not group["strong"]
    # In 2015 ES12 has no industry figure, so the group has no industry row.
    assert (2015, MACRO_REGION, "north", "farm") in table.index
    assert (2015, MACRO_REGION, "north", "industry") not in table.index


def test_a_region_group_as_the_comparison_base():
    table = panel(base_regions=["ES11", "ES12"])
    # Farming is 45 of 200 in the base: ES11's 0.4 is an LQ of 0.4 / 0.225.
    assert table.loc[(2020, 2, "ES11", "farm"), "lq"] == pytest.approx(0.4 / 0.225)


def test_productivity_star_and_establishments_from_their_measures():
    regions = [(f"FR{i}{j}", "TOTAL", 2020, 100) for i in range(1, 4) for j in range(1, 5)]
    employment = [(code, "A", 2020, 10) for code, *_ in regions]
    wages = [(code, "A", 2020, 1000 * (n + 1)) for n, (code, *_) in enumerate(regions)]
    firms = [(code, "A", 2020, 3) for code, *_ in regions]
    observations = pd.concat(
        [
            frame([("FR", "TOTAL", 2020, 2000), ("FR", "A", 2020, 200), *regions, *employment]),
            frame(wages, "wages"),
            frame(firms, "establishments"),
        ]
    )
    table = rate_panel(
        observations, {"farm": ["A"]}, thresholds=Thresholds(productivity_top=0.1)
    ).ratings
    rows = table[table.level == 2].set_index("region")
    # Wages per employee 100, 200 … 1200; the 90th percentile is at position 9.9 of the
    # sorted values: 1000 + 0.9 × 100 = 1090, so the regions at 1100 and 1200.
    assert rows["wage_per_employee"].max() == 1200
    assert list(rows.index[rows.productivity_star]) == ["FR33", "FR34"]
    assert rows.loc["FR34", "wages"] == 12000 and rows.loc["FR34", "establishments"] == 3


def test_imputed_cells_mark_their_rows():
    observations = frame(COUNTRIES + REGIONS, imputed={("ES11", "A", 2020)})
    table = rate_panel(observations, CATEGORIES).ratings.set_index(["year", "region", "category"])
    assert table.loc[(2020, "ES11", "farm"), "imputed"]
    assert not table.loc[(2020, "ES11", "industry"), "imputed"]


def test_us_counties_are_rated_at_level_3():
    rows = [("US", "TOTAL", 2021, 1000), ("US", "11", 2021, 100)] + [
        (f"US06{c:03d}", code, 2021, value)
        for c in (1, 3)
        for code, value in (("TOTAL", 100), ("11", 20 * c))
    ]
    table = rate_panel(frame(rows), {"farm": ["11"]}).ratings
    county = table[(table.region == "US06003")].iloc[0]
    assert county["level"] == 3 and county["lq"] == pytest.approx(6.0)


# Four countries with 1000 employees each; every one publishes farming in 2016 and 2017, only
# ES in 2018 (the others publish their totals only).
PARTIAL = [
    *((country, "TOTAL", year, 1000) for country in ("ES", "PT", "FR", "IE") for year in (2016, 2017, 2018)),
    *((country, "A", year, 100) for country in ("ES", "PT", "FR", "IE") for year in (2016, 2017)),
    ("ES", "A", 2018, 100),
    *((region, code, year, value) for region in ("ES11", "PT11") for year in (2016, 2017, 2018) for code, value in (("TOTAL", 100), ("A", 20))),
]  # fmt: skip


def test_each_years_comparison_base_and_whether_it_is_complete():
    coverage = rate_panel(frame(PARTIAL), {"farm": ["A"]}).coverage.set_index("year")
    assert coverage.loc[2018, ["regions", "base_regions"]].tolist() == [1, 4]
    assert coverage.loc[2018, ["employment", "base_employment"]].tolist() == [1000, 4000]
    # 2018 against the median of 2016 and 2017 (4 countries, 4000 employees): a quarter.
    assert coverage.loc[2018, "reference_regions"] == 4
    assert coverage.loc[2018, "coverage"] == pytest.approx(0.25)
    assert not coverage.loc[2018, "complete"]
    # 2016 against the median of 2017 and 2018: 2.5 countries and 2500 employees; above 1.
    assert coverage.loc[2016, "region_share"] == pytest.approx(4 / 2.5)
    assert coverage.loc[2016, "coverage"] == 1.0 and coverage.loc[2016, "complete"]


def test_completeness_thresholds_and_window_are_settings():
    lenient = Thresholds(complete_min_regions=0.25, complete_min_employment=0.25)
    assert rate_panel(frame(PARTIAL), {"farm": ["A"]}, thresholds=lenient).coverage.complete.all()
    alone = rate_panel(
        frame(PARTIAL), {"farm": ["A"]}, thresholds=Thresholds(complete_window_years=0)
    ).coverage
    # No other year within 0 years: nothing to compare with, so complete and no share.
    assert alone.complete.all() and alone.coverage.isna().all()


def test_the_panel_rates_strong_clusters_on_the_traded_base():
    table = rate_panel(
        frame(traded_base_cells()),
        TRADED_BASE_CATEGORIES,
        local=TRADED_BASE_LOCAL,
        groups={"north": ["ES11", "ES12", "ES13"]},
    ).ratings
    regions = table[table.level == 2]
    for category, expected in TRADED_BASE_KIND_LQ.items():
        assert by_category(regions, "kind_lq")[category] == pytest.approx(expected)
    strong = regions[regions.strong]
    assert set(zip(strong.region, strong.category, strict=True)) == TRADED_BASE_STRONG
    # The group sums ES11-ES13: farm 80, industry 200 (traded 280), shops 520, total 900.
    group = table[table.level == MACRO_REGION].set_index("category")
    assert group.loc["farm", "kind_lq"] == pytest.approx((80 / 280) / 0.25)
    assert group.loc["farm", "lq"] == pytest.approx((80 / 900) / 0.1)
    assert group.loc["shops", "kind_lq"] == pytest.approx(1.0)
    # ES, the comparison base, against itself.
    assert table[table.level == 0]["kind_lq"].tolist() == pytest.approx([1.0, 1.0, 1.0])
