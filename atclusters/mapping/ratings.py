"""Cluster strength ratings of regions (pure pandas/NumPy, no Django).

European Cluster Observatory stars (Ketels & Sölvell; one star each):
- size: the region's employment in the category is in the top `size_top` share of the
  regions' employment in that category;
- specialisation: location quotient ≥ `specialisation_lq` (2);
- focus: the category's share of the region's employment is in the top `focus_top` share.
U.S. Cluster Mapping Project strong cluster: location quotient at or above the
`strong_lq_quantile` (75th percentile) of the regions and ≥ 1, and employment (and
establishments, when known) above the `strong_floor_quantile` (25th percentile).
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

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def _top(values: pd.DataFrame, share: float) -> pd.DataFrame:
    """True where a value is at or above the (1 − share) quantile of its column."""
    cut = values.quantile(1 - share, interpolation="linear")
    return values.ge(cut, axis=1) & values.notna()


def ratings(
    employment: pd.DataFrame,
    regional_totals: pd.Series,
    base_shares: pd.Series,
    establishments: pd.DataFrame | None = None,
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
    frames = {
        "employment": employment,
        "share": share,
        "lq": lq,
        "size_star": size_star,
        "specialisation_star": specialisation_star,
        "focus_star": focus_star,
        "strong": strong,
    }
    long = pd.concat(
        {name: frame.stack(future_stack=True) for name, frame in frames.items()}, axis=1
    )
    long.index.names = ["region", "category"]
    long = long[long["employment"].notna()]
    for flag in ("size_star", "specialisation_star", "focus_star", "strong"):
        long[flag] = long[flag].astype(bool)
    long["stars"] = long[["size_star", "specialisation_star", "focus_star"]].sum(axis=1)
    return long.reset_index()


def base_shares_from(employment: pd.DataFrame, totals: pd.Series) -> pd.Series:
    """Each category's share of the comparison base's total employment (the regions summed)."""
    return employment.sum(axis=0) / float(np.nansum(totals.to_numpy(dtype=float)))
