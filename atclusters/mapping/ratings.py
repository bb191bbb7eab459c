"""Cluster strength ratings of regions (pure pandas/NumPy, no Django).

Two generations of European cluster stars, kept apart as two methods (`STAR_METHODS`):
- `eco`, the European Cluster Observatory's "specialised critical mass" (Ketels & Sölvell
  2006; clusterobservatory.eu, "Evaluation of regional cluster strength"): size, specialisation
  and focus, 0–3 stars;
- `eocic`, the later cluster star methodology of the European Cluster Panorama and the European
  Observatory for Clusters and Industrial Change (Ketels & Protsiv 2014, 2016; EOCIC 2019–2021):
  size, specialisation and productivity, 0–3 stars.
The star rules (one star each):
- size: the region's employment in the category is in the top `size_top` share of the
  regions' employment in that category;
- specialisation: location quotient ≥ `specialisation_lq` (2);
- focus: the category's share of the region's employment is in the top `focus_top` share;
- productivity (when wages are known): wages per employee in the category in the top
  `productivity_top` share of the regions.
U.S. Cluster Mapping Project strong cluster, as its processing code computes it
(clustermapping/cmp, data/processing/cluster_calcs_reducer.js, lines 24–28 and 35–56): only
traded categories are rated (local ones are never strong); over the regions with employment
> 0, the location quotient is at or above the `strong_lq_quantile` (75th percentile) and ≥ 1,
and employment and establishments (where known) are above the `strong_floor_quantile` (25th
percentile). Quantiles are R type 7 (linear interpolation; d3.quantile of d3 3.x, which that
code uses, is the same), over the regions given — the caller passes regions of one NUTS level.
The location quotient of that rule is the project's (`kind_lq`, see `kind_totals`): a traded
category's share of the region's traded employment over the same share in the comparison
base. The stars keep the all-employment `lq`, as the European Cluster Observatory.
Every threshold is a field of `Thresholds`. The sources, what was checked in them and what
could not be, and worked cases: docs/methodology.md, "Cluster ratings".
"""

from collections.abc import Collection
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
    # A year is complete when its comparison base keeps these shares of the base regions with
    # figures and of their employment, against the median of the other years within
    # `complete_window_years` years of it (see `completeness`).
    complete_min_regions: float = 0.9
    complete_min_employment: float = 0.9
    complete_window_years: float = 10

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


STAR_COLUMNS = ("size_star", "specialisation_star", "focus_star", "productivity_star")
# The stars each method counts; `eco` is the default and the stored `stars` column.
STAR_METHODS = {
    "eco": ("size_star", "specialisation_star", "focus_star"),
    "eocic": ("size_star", "specialisation_star", "productivity_star"),
}
DEFAULT_STAR_METHOD = "eco"


def star_count(table: pd.DataFrame, method: str = DEFAULT_STAR_METHOD) -> pd.Series:
    """The number of stars (0–3) of each row under one method of `STAR_METHODS`."""
    return table[list(STAR_METHODS[method])].astype(bool).sum(axis=1).astype(int)


def _top(values: pd.DataFrame, share: float) -> pd.DataFrame:
    """True where a value is at or above the (1 − share) quantile of its column."""
    cut = values.quantile(1 - share, interpolation="linear")
    return values.ge(cut, axis=1) & values.notna()


def strong_lq_base(local: Collection[str]) -> str:
    """What the strong-cluster rule's location quotient (`kind_lq`) of a traded category
    divides by (`kind_totals`): the region's traded employment, the U.S. Cluster Mapping
    Project's base, when the scheme has local categories; else all its employment."""
    return "traded" if local else "total"


def kind_totals(
    employment: pd.DataFrame, regional_totals: pd.Series, local: Collection[str] = ()
) -> pd.DataFrame:
    """The employment each cell's `kind_lq` divides by (regions × categories).

    The U.S. Cluster Mapping Project divides a traded cluster's employment by the region's
    traded employment and a local one's by its local employment, in the region and in the
    nation alike (clustermapping/cmp, data/processing/cluster_calcs_mapper.js, lines 58–70);
    those are the sums of the region's traded and of its local clusters
    (aggregate_mapper.js, lines 25–26, summed over the region's clusters by
    aggregate_reducer.js, lines 55–56). Here: the region's employment in the scheme's traded
    categories, or in its local ones; a category the region does not publish adds nothing, as a
    cluster without establishments in a County Business Patterns area. A scheme without local
    categories has no traded economy of its own: every cell divides by the region's employment
    in all industries (`regional_totals`), so that `kind_lq` is `lq`."""
    totals = regional_totals.reindex(employment.index).astype(float)
    if not local:
        return pd.DataFrame(dict.fromkeys(employment.columns, totals), index=employment.index)
    is_local = pd.Series(employment.columns.isin(list(local)), index=employment.columns)
    traded_total = employment.loc[:, ~is_local].sum(axis=1, min_count=1)
    local_total = employment.loc[:, is_local].sum(axis=1, min_count=1)
    return pd.DataFrame(
        {code: local_total if is_local[code] else traded_total for code in employment.columns},
        index=employment.index,
    )


def strong_clusters(
    employment: pd.DataFrame,
    lq: pd.DataFrame,
    establishments: pd.DataFrame | None,
    thresholds: Thresholds,
    local: Collection[str] = (),
) -> pd.DataFrame:
    """The U.S. Cluster Mapping Project's strong clusters (clustermapping/cmp,
    data/processing/cluster_calcs_reducer.js): quantiles over the regions with employment > 0
    (lines 35–43), LQ ≥ the upper quartile and ≥ 1, employment and establishments above the
    lower quartile (lines 53–56), traded categories only (lines 24–28). `lq` is the project's
    location quotient, against traded employment (`kind_lq`). Establishments count where they
    are known: a region without the figure is judged on the rest."""
    active = employment.gt(0)
    lq_cut = lq.where(active).quantile(thresholds.strong_lq_quantile, interpolation="linear")
    floor = employment.where(active).quantile(
        thresholds.strong_floor_quantile, interpolation="linear"
    )
    strong = lq.ge(lq_cut, axis=1) & lq.ge(thresholds.strong_min_lq) & employment.gt(floor, axis=1)
    if establishments is not None:
        firms = establishments.reindex_like(employment).astype(float)
        firms_floor = firms.where(active).quantile(
            thresholds.strong_floor_quantile, interpolation="linear"
        )
        strong &= firms.gt(firms_floor, axis=1) | firms.isna()
    strong.loc[:, strong.columns.isin(list(local))] = False
    return strong


def ratings(
    employment: pd.DataFrame,
    regional_totals: pd.Series,
    base_shares: pd.Series,
    establishments: pd.DataFrame | None = None,
    wages: pd.DataFrame | None = None,
    thresholds: Thresholds = Thresholds(),
    local: Collection[str] = (),
    base_kind_shares: pd.Series | None = None,
) -> pd.DataFrame:
    """Per region × category: employment, share of the region's employment, location quotient
    against `base_shares` (each category's share of the comparison base's employment), the
    location quotient of the category's kind (`kind_lq`, against `base_kind_shares`: each
    category's share of the base's employment of its kind, `base_kind_shares_from`), the four
    stars, the European Cluster Observatory's count (`stars`, 0–3) and the strong-cluster flag,
    judged on `kind_lq`. `employment` is regions × categories (NaN where unknown);
    `regional_totals` is each region's employment in all industries; `local` names the local
    categories. Without local categories `base_kind_shares` may be left out: they are the
    `base_shares`."""
    employment = employment.astype(float)
    totals = regional_totals.reindex(employment.index).astype(float)
    if base_kind_shares is None:
        if local:
            raise ValueError("base_kind_shares are needed when some categories are local")
        base_kind_shares = base_shares
    share = employment.div(totals, axis=0)
    lq = share.div(base_shares.reindex(employment.columns).astype(float), axis=1)
    kind_lq = employment.div(kind_totals(employment, totals, local)).div(
        base_kind_shares.reindex(employment.columns).astype(float), axis=1
    )
    size_star = _top(employment, thresholds.size_top)
    specialisation_star = lq.ge(thresholds.specialisation_lq)
    focus_star = _top(share, thresholds.focus_top)
    strong = strong_clusters(employment, kind_lq, establishments, thresholds, local)
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
        "kind_lq": kind_lq,
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
    long["stars"] = star_count(long)
    return long.reset_index()


def _shares_over(employment: pd.DataFrame, denominators: pd.DataFrame) -> pd.Series:
    """Σ_r e_rc / Σ_r d_rc, each category over the regions where it is known (a region that
    publishes only its total would otherwise lower every share)."""
    known = employment.notna()
    return employment.sum(axis=0, min_count=1) / denominators.where(known).sum(axis=0, min_count=1)


def base_shares_from(employment: pd.DataFrame, totals: pd.Series) -> pd.Series:
    """Each category's share of the comparison base's employment: the regions summed, each
    category over the regions where it is known."""
    return _shares_over(employment, kind_totals(employment, totals))


def base_kind_shares_from(
    employment: pd.DataFrame, totals: pd.Series, local: Collection[str] = ()
) -> pd.Series:
    """Each category's share of the comparison base's employment of its kind (`kind_totals`):
    a traded category's share of the base's traded employment — for the U.S. Cluster Mapping
    Project, of the nation's (cluster_calcs_mapper.js, lines 62 and 68)."""
    return _shares_over(employment, kind_totals(employment, totals, local))


MACRO_REGION = 9  # the `level` of region groups' rows
# NUTS codes by length; U.S. codes: US (0), US + state FIPS (2), US + state + county FIPS (3).
NUTS_LEVEL_OF_LENGTH = {2: 0, 3: 1, 4: 2, 5: 3, 7: 3}
RESULT_COLUMNS = (
    "year", "level", "region", "category", "employment", "establishments", "wages", "share",
    "lq", "growth", "wage_per_employee", "size_star", "specialisation_star", "focus_star",
    "productivity_star", "stars", "strong", "imputed", "kind_lq",
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


COVERAGE_COLUMNS = (
    "year", "regions", "base_regions", "employment", "base_employment", "reference_regions",
    "reference_employment", "region_share", "employment_share", "coverage", "complete",
)  # fmt: skip


@dataclass(frozen=True)
class RatedPanel:
    ratings: pd.DataFrame  # RESULT_COLUMNS
    coverage: pd.DataFrame  # COVERAGE_COLUMNS, a row per year


def _base_coverage(year_employment: pd.DataFrame, year_totals: pd.Series) -> dict[str, float]:
    """How much of a comparison base holds figures for the categories: of the base regions
    with a total, those that publish at least one category, and their employment."""
    totals = year_totals.reindex(year_employment.index)
    with_total = totals.notna()
    covered = with_total & year_employment.notna().any(axis=1)
    return {
        "regions": int(covered.sum()),
        "base_regions": int(with_total.sum()),
        "employment": float(totals[covered].sum()),
        "base_employment": float(totals[with_total].sum()),
    }


def completeness(coverage: pd.DataFrame, thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """Whether each year's comparison base is complete: it keeps at least
    `complete_min_regions` of the base regions with category figures and
    `complete_min_employment` of their employment, measured against the median of the other
    years within `complete_window_years` years. A year with no such neighbour, or whose
    neighbours have no figures, counts as complete. `coverage` is the smaller of the two
    shares, at most 1; None when there is nothing to compare with."""
    table = coverage.sort_values("year").reset_index(drop=True)
    years = table["year"].to_numpy()
    references = []
    for year in years:
        near = (years != year) & (np.abs(years - year) <= thresholds.complete_window_years)
        others = table[near]
        references.append(
            (others["regions"].median(), others["employment"].median())
            if len(others)
            else (np.nan, np.nan)
        )
    table["reference_regions"] = [regions for regions, _employment in references]
    table["reference_employment"] = [employment for _regions, employment in references]
    table["region_share"] = table["regions"] / table["reference_regions"].where(
        table["reference_regions"] > 0
    )
    table["employment_share"] = table["employment"] / table["reference_employment"].where(
        table["reference_employment"] > 0
    )
    table["coverage"] = table[["region_share", "employment_share"]].min(axis=1).clip(upper=1.0)
    table["complete"] = ~(
        table["region_share"].lt(thresholds.complete_min_regions)
        | table["employment_share"].lt(thresholds.complete_min_employment)
    )
    return table[list(COVERAGE_COLUMNS)]


def rate_panel(
    observations: pd.DataFrame,
    categories: dict[str, list[str]],
    *,
    base_regions: list[str] | None = None,
    groups: dict[str, list[str]] | None = None,
    thresholds: Thresholds = Thresholds(),
    growth_years: int = 5,
    local: Collection[str] = (),
) -> RatedPanel:
    """Every year and NUTS level of a dataset rated at once, and each year's base coverage.

    `observations` has the columns region, industry, year, measure (employment,
    establishments, wages), value and imputed; industry TOTAL is each region's total.
    Location quotients compare with `base_regions` taken together; by default the dataset's
    countries (level 0), or, in a year without countries, the regions of the level rated.
    Growth is the compound yearly growth of employment over the previous `growth_years` years.
    `groups` (name → regions) add one row per group and category at level MACRO_REGION: the
    sums over the group's regions that publish a total that year (a category only when all of
    them publish it), their share, LQ and growth, and the specialisation star, the only one
    that needs no peers of the same level. A row is `imputed` when an imputed cell went into it.
    `local` names the local categories (never strong clusters). The coverage of a year is that
    of its comparison base (the base regions, or without them the regions of the finest
    level), judged by `completeness`."""
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
    results, coverage = [], []
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
        year_levels = sorted(levels.xs(year, level="year").dropna().unique())
        measured = (
            base_rows
            if len(base_rows) or not year_levels
            else this_year.index[levels.xs(year, level="year") == year_levels[-1]]
        )
        coverage.append({"year": int(year), **_base_coverage(this_year.loc[measured], year_totals)})
        for level in year_levels:
            members = this_year.index[levels.xs(year, level="year") == level]
            rows = base_rows if len(base_rows) else members
            table = ratings(
                this_year.loc[members],
                year_totals,
                base_shares_from(this_year.loc[rows], year_totals.reindex(rows)),
                establishments=_year_slice(optional.get("establishments"), year, members),
                wages=_year_slice(optional.get("wages"), year, members),
                thresholds=thresholds,
                local=local,
                base_kind_shares=base_kind_shares_from(
                    this_year.loc[rows], year_totals.reindex(rows), local
                ),
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
            base_employment, base_totals = this_year.loc[base_rows], year_totals.reindex(base_rows)
            table = ratings(
                group_employment,
                group_total,
                base_shares_from(base_employment, base_totals),
                thresholds=thresholds,
                local=local,
                base_kind_shares=base_kind_shares_from(base_employment, base_totals, local),
            )
            table[["size_star", "focus_star", "productivity_star", "strong"]] = False
            table["stars"] = table["specialisation_star"].astype(int)
            table["level"], table["year"] = MACRO_REGION, year
            before = (
                earlier.reindex(present).sum(axis=0, min_count=len(present)).to_frame(name).T
                if earlier is not None
                else None
            )
            results.append(_with_growth(table, before, growth_years))
    judged = completeness(pd.DataFrame(coverage, columns=list(COVERAGE_COLUMNS[:5])), thresholds)
    if not results:
        return RatedPanel(pd.DataFrame(columns=list(RESULT_COLUMNS)), judged)
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
    return RatedPanel(long[list(RESULT_COLUMNS)], judged)


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
