"""Peer statistics for cluster benchmarking (pure Python, no Django): where a cluster's value
stands among its peers, and when nothing may be shown.

Conventions (docs/benchmarking.md):
- Quartiles and the median by linear interpolation between order statistics (Hyndman & Fan
  type 7, the default of numpy, R and Excel's QUARTILE.INC).
- Percentile rank by mid-rank: the share of peers below the value plus half of those equal,
  in percent; for an indicator where lower is better, 100 minus that.
- A peer group excludes the cluster itself. Below `min_group` peers (`BENCHMARKING_MIN_GROUP`,
  5) no statistic is shown, only the reason: the platform's small-cell rule (core/smallcells.py).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from atclusters.core import smallcells


def quantile(values: Sequence[float], q: float) -> float:
    """Type-7 quantile of `values` (not empty), 0 ≤ q ≤ 1."""
    if not values:
        raise ValueError("no values")
    if not 0 <= q <= 1:
        raise ValueError("q must be between 0 and 1")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def percentile_rank(value: float, peers: Sequence[float], higher_is_better: bool = True) -> float:
    """Mid-rank percentile of `value` among `peers` (not empty), 0–100: 100 is best."""
    if not peers:
        raise ValueError("no peers")
    below = sum(1 for peer in peers if peer < value)
    equal = sum(1 for peer in peers if peer == value)
    rank = 100 * (below + equal / 2) / len(peers)
    return rank if higher_is_better else 100 - rank


@dataclass(frozen=True)
class PeerResult:
    n: int
    median: float | None = None
    q1: float | None = None
    q3: float | None = None
    percentile: float | None = None
    suppressed: str = ""


def peer_statistics(
    value: float | None,
    peers: Sequence[float | None],
    *,
    higher_is_better: bool = True,
    min_group: int,
) -> PeerResult:
    """The peers' median and quartiles and the value's percentile rank, or — with fewer than
    `min_group` peers that reported the indicator — only the count and the reason."""
    reported = [float(peer) for peer in peers if peer is not None]
    if not smallcells.enough(len(reported), min_group):
        return PeerResult(
            n=len(reported),
            suppressed=f"fewer than {min_group} peers reported this indicator",
        )
    return PeerResult(
        n=len(reported),
        median=quantile(reported, 0.5),
        q1=quantile(reported, 0.25),
        q3=quantile(reported, 0.75),
        percentile=None if value is None else percentile_rank(value, reported, higher_is_better),
    )
