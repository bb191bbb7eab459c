"""Sparse inputs stay sparse through presence, co-occurrence and relatedness density, and give
the dense results."""

import numpy as np
import pytest
from scipy import sparse

from atclusters.mapping import metrics


@pytest.fixture(scope="module")
def values():
    rng = np.random.default_rng(4)
    x = rng.lognormal(3, 2, (300, 120)) * (rng.random((300, 120)) < 0.1)
    x[7] = 0  # an empty region
    return x


def test_location_quotient_and_presence_are_sparse_and_the_same(values):
    lq = metrics.location_quotient(sparse.csr_array(values))
    assert sparse.issparse(lq) and lq.nnz == np.count_nonzero(values)
    # The totals are summed in another order: the same to rounding.
    np.testing.assert_allclose(lq.toarray(), metrics.location_quotient(values), rtol=1e-14)
    for strict in (False, True):
        m = metrics.presence(lq, 1.0, strict=strict)
        assert sparse.issparse(m)
        dense = metrics.presence(metrics.location_quotient(values), 1.0, strict=strict)
        np.testing.assert_array_equal(m.toarray(), dense)
    # A threshold a zero passes cannot stay sparse.
    assert not sparse.issparse(metrics.presence(lq, 0.0))


def test_co_occurrence_proximity_and_relatedness_density_match_dense(values):
    dense_m = metrics.presence(metrics.location_quotient(values))
    sparse_m = metrics.presence(metrics.location_quotient(sparse.csr_array(values)))
    for diagonal in (False, True):
        np.testing.assert_array_equal(
            metrics.co_occurrence(sparse_m.T, diagonal), metrics.co_occurrence(dense_m.T, diagonal)
        )
    for kind in ("symmetric", "asymmetric"):
        np.testing.assert_array_equal(
            metrics.proximity(sparse_m, kind), metrics.proximity(dense_m, kind)
        )
    related = metrics.relatedness(metrics.co_occurrence(dense_m.T))
    for part in ("all", "int", "ext"):
        np.testing.assert_allclose(
            metrics.relatedness_density(sparse_m, related, part),
            metrics.relatedness_density(dense_m, related, part),
            rtol=1e-12,
            atol=1e-12,
        )
