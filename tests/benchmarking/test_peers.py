"""Peer statistics computed by hand (atclusters/benchmarking/peers.py)."""

import numpy as np
import pytest

from atclusters.benchmarking.peers import peer_statistics, percentile_rank, quantile


def test_quartiles_interpolate_between_order_statistics():
    peers = [12, 3, 7, 20, 9, 15]  # sorted: 3 7 9 12 15 20
    # position (n − 1) q: median at 2.5 → (9 + 12) / 2; Q1 at 1.25 → 7 + 0.25 × 2; Q3 at 3.75
    assert quantile(peers, 0.5) == 10.5
    assert quantile(peers, 0.25) == 7.5
    assert quantile(peers, 0.75) == 14.25
    for q in (0, 0.1, 0.25, 0.5, 0.9, 1):
        assert quantile(peers, q) == pytest.approx(np.quantile(peers, q))


def test_percentile_rank_counts_ties_as_half():
    peers = [1, 2, 2, 3, 5]
    assert percentile_rank(2, peers) == 100 * (1 + 2 / 2) / 5  # 40
    assert percentile_rank(6, peers) == 100
    assert percentile_rank(0, peers) == 0
    assert percentile_rank(2, peers, higher_is_better=False) == 60


def test_small_groups_are_suppressed_and_missing_values_do_not_count():
    shown = peer_statistics(10, [4, 8, 12, 16, 20], min_group=5)
    assert (shown.n, shown.median, shown.q1, shown.q3, shown.percentile) == (5, 12, 8, 16, 40)
    hidden = peer_statistics(10, [4, 8, 12, 16, None, None], min_group=5)
    assert hidden.n == 4 and hidden.median is None and hidden.percentile is None
    assert "fewer than 5 peers" in hidden.suppressed
    assert peer_statistics(10, [4, 8, 12], min_group=3).median == 8
