"""Related categories and a region's diversification opportunities (pure pandas/SciPy).

Relatedness comes either from a published table (the U.S. Cluster Mapping Project's related
clusters) or from co-location in the data: Hidalgo et al.'s (2007) proximity, the smaller of
the two conditional probabilities that a region specialised (LQ ≥ 1) in one category is
specialised in the other. A region's relatedness density in a category is the share of the
category's relatedness that falls on categories where the region is specialised (0-100);
opportunities are the categories where it is not specialised yet, densest first.
"""

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import minimum_spanning_tree

from atclusters.mapping import metrics

STRONG_PROXIMITY = 0.55  # Hidalgo et al.'s threshold for drawing a link beside the spanning tree


def specialised(lq: pd.DataFrame) -> pd.DataFrame:
    return lq.ge(1.0).astype(float)


def proximity_from_lq(lq: pd.DataFrame) -> pd.DataFrame:
    """Categories × categories proximity from the regions' (rows) location quotients."""
    phi = metrics.proximity(specialised(lq.fillna(0)).to_numpy(), kind="symmetric")
    return pd.DataFrame(phi, index=lq.columns, columns=lq.columns)


def proximity_from_pairs(pairs: pd.DataFrame, categories: list[str]) -> pd.DataFrame:
    """A symmetric 0/1 matrix from rows (category, related_category, related)."""
    linked = pairs[pairs["related"].astype(int) == 1]
    matrix = pd.DataFrame(0.0, index=categories, columns=categories)
    for a, b in zip(linked["category"], linked["related_category"], strict=True):
        if a in matrix.index and b in matrix.index:
            matrix.loc[a, b] = matrix.loc[b, a] = 1.0
    return matrix


def opportunities(lq: pd.DataFrame, proximity: pd.DataFrame, region: str) -> pd.DataFrame:
    """The region's categories with their LQ and relatedness density; those where it is not
    specialised first, densest first, then its specialisations."""
    categories = [c for c in proximity.index if c in lq.columns]
    phi = proximity.loc[categories, categories].to_numpy()
    binary = specialised(lq.loc[[region], categories].fillna(0)).to_numpy()
    density = metrics.density(binary, phi)[0] * 100
    table = pd.DataFrame(
        {
            "category": categories,
            "lq": lq.loc[region, categories].to_numpy(dtype=float),
            "density": density,
            "specialised": binary[0] == 1,
        }
    )
    return table.sort_values(["specialised", "density"], ascending=[True, False]).reset_index(
        drop=True
    )


def network_edges(
    proximity: pd.DataFrame, strong: float = STRONG_PROXIMITY
) -> list[tuple[str, str, float]]:
    """The maximum spanning tree of the proximities (every category linked to its closest
    neighbours) plus every link at least `strong`; each once, as (a, b, proximity)."""
    phi = proximity.to_numpy(dtype=float)
    distance = np.where(phi > 0, 2.0 - phi, 0.0)
    np.fill_diagonal(distance, 0.0)
    tree = minimum_spanning_tree(distance).toarray() > 0
    keep = tree | tree.T | (phi >= strong)
    names = list(proximity.index)
    return [
        (names[i], names[j], float(phi[i, j]))
        for i in range(len(names))
        for j in range(i + 1, len(names))
        if keep[i, j] and phi[i, j] > 0
    ]
