"""The short cuts that keep the metrics near the floor give the plain formulas' numbers: the
float32 product of 0/1 matrices, the in-place relatedness and relatedness density with their
zeroing of undefined ratios, the rounding, and ECI/PCI without the product space."""

import numpy as np
import pytest

from atclusters.mapping import metrics


def binary(rows: int, cols: int, seed: int, ones: float = 0.3) -> np.ndarray:
    return (np.random.default_rng(seed).random((rows, cols)) < ones).astype(np.float64)


def test_co_occurrence_of_a_0_1_matrix_is_the_float64_product_exactly():
    a = binary(300, 5000, 1, ones=0.6)  # counts near 3,000: integers, exact in float32
    expected = a @ a.T
    np.fill_diagonal(expected, 0)
    result = metrics.co_occurrence(a)
    assert result.dtype == np.float64 and np.array_equal(result, expected)
    # Not 0/1: the float64 product, whatever the values.
    weighted = a * 0.1
    np.testing.assert_array_equal(
        metrics.co_occurrence(weighted, diagonal=True), weighted @ weighted.T
    )
    proximity = metrics.proximity(a.T)
    c, k = a @ a.T, a.sum(axis=1)
    plain = c / np.maximum(k[:, None], k[None, :])
    np.fill_diagonal(plain, 0)
    np.testing.assert_array_equal(proximity, plain)


def econgeo_relatedness(c: np.ndarray) -> np.ndarray:
    """EconGeo's relatedness(method = "prob"), its formula cell by cell."""
    c = c.copy()
    np.fill_diagonal(c, 0)
    si = np.tile(c.sum(axis=0), (len(c), 1))
    sj = si.T
    t = c.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        sm = c / (((si / t) * (sj / (t - si)) + (sj / t) * (si / (t - sj))) * (t / 2))
    sm[np.isnan(sm)] = 0
    np.fill_diagonal(sm, 0)
    return sm


def test_relatedness_zeroes_industries_without_co_occurrence_and_leaves_its_input_alone():
    m = binary(60, 12, 2)
    m[:, 4] = 0  # present nowhere: a column of C summing to 0
    m[:, 7] = 0
    c = metrics.co_occurrence(m.T, diagonal=True)
    before = c.copy()
    result = metrics.relatedness(c)
    assert np.array_equal(c, before)  # the diagonal was zeroed in a copy
    expected = econgeo_relatedness(c)
    assert np.isfinite(result).all()
    assert (result[4] == 0).all() and (result[:, 7] == 0).all()
    np.testing.assert_allclose(result, expected, rtol=1e-13, atol=0)


def test_relatedness_with_a_missing_cell_is_zero_like_econgeos():
    """A NaN makes T undefined: every ratio is NaN, which EconGeo sets to 0; so do we (the
    path that looks at every cell)."""
    c = metrics.co_occurrence(binary(30, 8, 3).T)
    c[1, 2] = np.nan
    assert np.array_equal(metrics.relatedness(c), np.zeros_like(c))


def test_relatedness_density_is_zero_where_an_industry_relates_to_none():
    m = binary(40, 10, 4, ones=0.4)
    related = metrics.relatedness(metrics.co_occurrence(m.T))
    related[:, 3] = 0  # industry 3 related to none: 0/0
    result = metrics.relatedness_density(m, related)
    with np.errstate(divide="ignore", invalid="ignore"):
        plain = (m @ related) / related.sum(axis=0) * 100
    assert (result[:, 3] == 0).all() and np.isfinite(result).all()
    np.testing.assert_array_equal(np.delete(result, 3, axis=1), np.delete(plain, 3, axis=1))


@pytest.mark.parametrize("decimals", [0, 1, 2, 3, 4])
def test_rounding_is_pythons_round_on_ties_and_everything_else(decimals):
    rng = np.random.default_rng(decimals)
    values = np.concatenate(
        [
            rng.lognormal(2, 3, 2000) * rng.choice([-1, 1], 2000),
            np.arange(-400, 400) / 8,  # exact binary ties at every scale
            [0.125, 2.675, 1.005, 0.285, 1.0005, -0.5, 0.5, 1.5, 2.5, 0.0, -0.0],
        ]
    )
    expected = np.array([round(float(v), decimals) for v in values])
    result = metrics.round_half_even(values, decimals)
    np.testing.assert_array_equal(result, expected)
    special = metrics.round_half_even(np.array([np.nan, np.inf, -np.inf]), decimals)
    assert np.isnan(special[0]) and special[1] == np.inf and special[2] == -np.inf


def test_rounding_to_negative_decimals_is_refused():
    with pytest.raises(ValueError, match="decimals"):
        metrics.round_half_even(np.array([15.0]), -1)


@pytest.mark.parametrize("convention", ["stata", "ecomplexity", "econgeo"])
def test_eci_and_pci_alone_are_complexitys(convention):
    m = binary(250, 60, 5, ones=0.35)  # 60 products on the smaller side: LAPACK
    wide = binary(220, 260, 6, ones=0.3)  # 220 locations: Lanczos
    gappy = binary(40, 15, 7)
    gappy[3] = 0  # an empty location: NaN (py-ecomplexity), or the whole period (Stata)
    for matrix in (m, wide, gappy):
        full = metrics.complexity(matrix, convention)
        eci, pci = metrics.complexity_indices(matrix, convention)
        np.testing.assert_array_equal(eci, full.eci)
        np.testing.assert_array_equal(pci, full.pci)
    eci, _ = metrics.complexity_indices(gappy, convention)
    empty = gappy.sum(axis=1) == 0
    assert np.isnan(eci).all() if convention == "stata" else np.array_equal(np.isnan(eci), empty)
