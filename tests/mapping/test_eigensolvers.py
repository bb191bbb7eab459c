"""Lanczos (ARPACK) and LAPACK's full decomposition give the same complexity to rounding; the
dense solver decides where the second eigenvector is not defined."""

import numpy as np
import pytest
from scipy.linalg import block_diag

from atclusters.mapping import metrics


def nested(rows: int, cols: int, seed: int) -> np.ndarray:
    """Presence as in real economies: capable regions hold the rare industries too."""
    rng = np.random.default_rng(seed)
    capability, difficulty = rng.random(rows), rng.random(cols)
    chance = 1 / (1 + np.exp(-8 * (capability[:, None] - difficulty[None, :])))
    values = rng.lognormal(3, 2, (rows, cols)) * (rng.random((rows, cols)) < chance)
    return metrics.presence(metrics.rca(values))


@pytest.mark.parametrize("convention", ["ecomplexity", "stata"])
@pytest.mark.parametrize("shape", [(420, 260), (260, 420)], ids=["tall", "wide"])
def test_lanczos_and_dense_complexity_agree(shape, convention):
    m = nested(*shape, seed=shape[0])
    fast = metrics.complexity(m, convention, solver="lanczos")
    full = metrics.complexity(m, convention, solver="dense")
    for name in ("eci", "pci", "kc", "kp", "coi", "cog"):
        np.testing.assert_allclose(
            getattr(fast, name), getattr(full, name), rtol=0, atol=1e-12, err_msg=name
        )
    # The sign convention: more diverse regions are more complex.
    diversity = m.sum(axis=1)
    assert np.corrcoef(diversity, fast.eci)[0, 1] > 0.5


def test_auto_uses_lanczos_on_large_matrices_and_is_repeatable():
    m = nested(600, 300, seed=3)
    first = metrics.complexity(m, "ecomplexity")
    again = metrics.complexity(m, "ecomplexity")
    np.testing.assert_array_equal(first.eci, again.eci)  # a fixed start vector: same bits
    np.testing.assert_allclose(
        first.eci, metrics.complexity(m, "ecomplexity", solver="dense").eci, rtol=0, atol=1e-12
    )


def test_econgeo_kci_and_tci_agree_between_solvers():
    m = nested(300, 240, seed=5)
    for function in (metrics.kci_econgeo, metrics.tci_econgeo):
        fast, full = function(m, solver="lanczos"), function(m, solver="dense")
        np.testing.assert_allclose(fast, full, rtol=0, atol=1e-12 * np.abs(full).max())


def test_a_repeated_eigenvalue_falls_back_to_the_dense_solver():
    """Two unconnected economies: the eigenvalue 1 is double, so the 'second' eigenvector is
    any mix of the two blocks' leading ones. Lanczos would pick one mix; the dense solver
    decides, exactly as without Lanczos."""
    m = block_diag(nested(150, 110, seed=9), nested(170, 120, seed=10))
    fast = metrics.complexity(m, "ecomplexity", solver="lanczos")
    full = metrics.complexity(m, "ecomplexity", solver="dense")
    np.testing.assert_array_equal(fast.eci, full.eci)
    # EconGeo's matrix, rounded to 4 decimals, splits the double eigenvalue by ~1e-5: both
    # solvers then find the same vector, to rounding.
    np.testing.assert_allclose(
        metrics.kci_econgeo(m, solver="lanczos"),
        metrics.kci_econgeo(m, solver="dense"),
        rtol=0,
        atol=1e-12,
    )


def test_unknown_solver_is_refused():
    with pytest.raises(ValueError, match="eigensolver"):
        metrics.complexity(nested(20, 10, seed=1), "ecomplexity", solver="magic")
