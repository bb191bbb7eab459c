"""Cluster strength ratings of regions (pure pandas/NumPy, no Django).

European Cluster Observatory stars (Ketels & Sölvell; one star each):
- size: the region's employment in the category is in the top `size_top` share of the
  regions' employment in that category;
- specialisation: location quotient ≥ `specialisation_lq` (2);
- focus: the category's share of the region's employment is in the top `focus_top` share.
U.S. Cluster Mapping Project strong cluster: location quotient at or above the
`strong_lq_quantile` (75th percentile) of the regions and ≥ 1, and employment (and
establishments, when known) above the `strong_floor_quantile` (25th percentile).
Productivity star (European Cluster Observatory / EOCIC, when wages are known): wages per
employee in the category in the top `productivity_top` share of the regions.
Quantiles are R type 7 (NumPy's default, linear interpolation), over the regions given — the
caller passes regions of one NUTS level. Every threshold is a field of `Thresholds`.
"""

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Thresholds:
    size_top: float = 0.10
    specialisation_lq: float = 2.0
    focus_top: float = 0.10
    strong_lq_quantile: float = 0.75
    strong_min_lq: float = 1.0
    strong_floor_quantile: float = 0.25
    productivity_top: float = 0.10

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


STAR_COLUMNS = ("size_star", "specialisation_star", "focus_star", "productivity_star")


def _top(values: pd.DataFrame, share: float) -> pd.DataFrame:
    """True where a value is at or above the (1 − share) quantile of its column."""
    cut = values.quantile(1 - share, interpolation="linear")
    return values.ge(cut, axis=1) & values.notna()


def ratings(
    employment: pd.DataFrame,
    regional_totals: pd.Series,
    base_shares: pd.Series,
    establishments: pd.DataFrame | None = None,
    wages: pd.DataFrame | None = None,
    thresholds: Thresholds = Thresholds(),
) -> pd.DataFrame:
    """Per region × category: employment, share of the region's employment, location quotient
    against `base_shares` (each category's share of the comparison base's employment), the
    three stars, their count and the strong-cluster flag. `employment` is regions × categories
    (NaN where unknown); `regional_totals` is each region's employment in all industries."""
    employment = employment.astype(float)
    totals = regional_totals.reindex(employment.index).astype(float)
    share = employment.div(totals, axis=0)
    lq = share.div(base_shares.reindex(employment.columns).astype(float), axis=1)
    size_star = _top(employment, thresholds.size_top)
    specialisation_star = lq.ge(thresholds.specialisation_lq)
    focus_star = _top(share, thresholds.focus_top)
    lq_cut = lq.quantile(thresholds.strong_lq_quantile, interpolation="linear")
    strong = lq.ge(lq_cut, axis=1) & lq.ge(thresholds.strong_min_lq)
    floor = employment.quantile(thresholds.strong_floor_quantile, interpolation="linear")
    strong &= employment.gt(floor, axis=1)
    if establishments is not None:
        firms = establishments.reindex_like(employment).astype(float)
        firms_floor = firms.quantile(thresholds.strong_floor_quantile, interpolation="linear")
        strong &= firms.gt(firms_floor, axis=1)
    wage_per_employee = (
        wages.reindex_like(employment).astype(float) / employment.where(employment > 0)
        if wages is not None
        else pd.DataFrame(np.nan, index=employment.index, columns=employment.columns)
    )
    productivity_star = _top(wage_per_employee, thresholds.productivity_top)
    frames = {
        "employment": employment,
        "share": share,
        "lq": lq,
        "size_star": size_star,
        "specialisation_star": specialisation_star,
        "focus_star": focus_star,
        "strong": strong,
        "wage_per_employee": wage_per_employee,
        "productivity_star": productivity_star,
    }
    long = pd.concat(
        {name: frame.stack(future_stack=True) for name, frame in frames.items()}, axis=1
    )
    long.index.names = ["region", "category"]
    long = long[long["employment"].notna()]
    for flag in (*STAR_COLUMNS, "strong"):
        long[flag] = long[flag].astype(bool)
    long["stars"] = long[list(STAR_COLUMNS)].sum(axis=1)
    return long.reset_index()


def base_shares_from(employment: pd.DataFrame, totals: pd.Series) -> pd.Series:
    """Each category's share of the comparison base's employment: the regions summed, each
    category over the regions where it is known (a region that publishes only its total
    would otherwise lower every share)."""
    known = employment.notna()
    region_totals = totals.reindex(employment.index).astype(float)
    denominators = known.mul(region_totals, axis=0).where(known).sum(axis=0, min_count=1)
    return employment.sum(axis=0, min_count=1) / denominators


MACRO_REGION = 9  # the `level` of region groups' rows
# NUTS codes by length; U.S. codes: US (0), US + state FIPS (2), US + state + county FIPS (3).
NUTS_LEVEL_OF_LENGTH = {2: 0, 3: 1, 4: 2, 5: 3, 7: 3}
RESULT_COLUMNS = (
    "year", "level", "region", "category", "employment", "establishments", "wages", "share",
    "lq", "growth", "wage_per_employee", "size_star", "specialisation_star", "focus_star",
    "productivity_star", "stars", "strong", "imputed",
)  # fmt: skip


def _by_category(wide: pd.DataFrame, categories: dict[str, list[str]]) -> pd.DataFrame:
    """Each category the sum of its industries; NaN when none of them is known."""
    return pd.DataFrame(
        {
            code: wide.reindex(columns=industries).sum(axis=1, min_count=1)
            for code, industries in categories.items()
        },
        index=wide.index,
    )


def _wide(observations: pd.DataFrame, measure: str, column: str = "value") -> pd.DataFrame:
    rows = observations[observations.measure == measure]
    return rows.pivot(index=["year", "region"], columns="industry", values=column)


def rate_panel(
    observations: pd.DataFrame,
    categories: dict[str, list[str]],
    *,
    base_regions: list[str] | None = None,
    groups: dict[str, list[str]] | None = None,
    thresholds: Thresholds = Thresholds(),
    growth_years: int = 5,
) -> pd.DataFrame:
    """Every year and NUTS level of a dataset rated at once.

    `observations` has the columns region, industry, year, measure (employment,
    establishments, wages), value and imputed; industry TOTAL is each region's total.
    Location quotients compare with `base_regions` taken together; by default the dataset's
    countries (level 0), or, in a year without countries, the regions of the level rated.
    Growth is the compound yearly growth of employment over the previous `growth_years` years.
    `groups` (name → regions) add one row per group and category at level MACRO_REGION: the
    sums over the group's regions that publish a total that year (a category only when all of
    them publish it), their share, LQ and growth, and the specialisation star, the only one
    that needs no peers of the same level. A row is `imputed` when an imputed cell went into it."""
    observations = observations.assign(value=observations["value"].astype(float))
    employment_wide = _wide(observations, "employment")
    employment = _by_category(employment_wide, categories)
    imputed = (
        _by_category(_wide(observations, "employment", "imputed").astype(float), categories)
        .fillna(0)
        .gt(0)
        if observations["imputed"].any()
        else None
    )
    totals = (
        employment_wide["TOTAL"]
        if "TOTAL" in employment_wide
        else pd.Series(np.nan, index=employment_wide.index)
    )
    optional = {}
    for measure in ("establishments", "wages"):
        if (observations.measure == measure).any():
            optional[measure] = _by_category(_wide(observations, measure), categories).reindex(
                employment.index
            )
    regions = employment.index.get_level_values("region")
    levels = pd.Series(regions.str.len().map(NUTS_LEVEL_OF_LENGTH), index=employment.index)
    years = sorted(employment.index.get_level_values("year").unique())
    results = []
    for year in years:
        this_year = employment.xs(year, level="year")
        year_totals = totals.xs(year, level="year")
        earlier = (
            employment.xs(year - growth_years, level="year")
            if year - growth_years in years
            else None
        )
        if base_regions is not None:
            base_rows = this_year.index.intersection(base_regions)
        else:
            base_rows = this_year.index[levels.xs(year, level="year") == 0]
        for level in sorted(levels.xs(year, level="year").dropna().unique()):
            members = this_year.index[levels.xs(year, level="year") == level]
            rows = base_rows if len(base_rows) else members
            shares = base_shares_from(this_year.loc[rows], year_totals.reindex(rows))
            table = ratings(
                this_year.loc[members],
                year_totals,
                shares,
                establishments=_year_slice(optional.get("establishments"), year, members),
                wages=_year_slice(optional.get("wages"), year, members),
                thresholds=thresholds,
            )
            table["level"], table["year"] = int(level), year
            results.append(_with_growth(table, earlier, growth_years))
        for name, group_regions in (groups or {}).items():
            present = (
                year_totals.reindex(this_year.index.intersection(group_regions)).dropna().index
            )
            if not len(present) or not len(base_rows):
                continue
            group_employment = (
                this_year.loc[present].sum(axis=0, min_count=len(present)).to_frame(name).T
            )
            group_total = pd.Series(
                {name: year_totals.reindex(present).sum(min_count=len(present))}
            )
            shares = base_shares_from(this_year.loc[base_rows], year_totals.reindex(base_rows))
            table = ratings(group_employment, group_total, shares, thresholds=thresholds)
            table[["size_star", "focus_star", "productivity_star", "strong"]] = False
            table["stars"] = table["specialisation_star"].astype(int)
            table["level"], table["year"] = MACRO_REGION, year
            before = (
                earlier.reindex(present).sum(axis=0, min_count=len(present)).to_frame(name).T
                if earlier is not None
                else None
            )
            results.append(_with_growth(table, before, growth_years))
    if not results:
        return pd.DataFrame(columns=list(RESULT_COLUMNS))
    long = pd.concat(results, ignore_index=True)
    cells = pd.MultiIndex.from_frame(long[["year", "region", "category"]])
    for measure in ("establishments", "wages"):
        frame = optional.get(measure)
        long[measure] = (
            frame.stack(future_stack=True).reindex(cells).to_numpy()
            if frame is not None
            else np.nan
        )
    long["imputed"] = (
        imputed.stack(future_stack=True).reindex(cells).fillna(False).to_numpy(bool)
        if imputed is not None
        else False
    )
    return long[list(RESULT_COLUMNS)]


def _year_slice(frame: pd.DataFrame | None, year: int, members: pd.Index) -> pd.DataFrame | None:
    return None if frame is None else frame.xs(year, level="year").reindex(members)


def _with_growth(table: pd.DataFrame, earlier: pd.DataFrame | None, years: int) -> pd.DataFrame:
    if earlier is None:
        table["growth"] = np.nan
        return table
    before = earlier.stack(future_stack=True).reindex(
        pd.MultiIndex.from_frame(table[["region", "category"]])
    )
    before = before.where(before > 0).to_numpy(dtype=float)
    table["growth"] = (table["employment"].to_numpy(dtype=float) / before) ** (1 / years) - 1
    return table
