"""Property tests: on fresh random matrices the `ecomplexity` convention agrees with the installed
py-ecomplexity 0.5.3, output by output."""

import warnings

import numpy as np
import pandas as pd
from ecomplexity import ecomplexity
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from atclusters.mapping import metrics


def peer_run(values: np.ndarray, kind: str = "symmetric") -> pd.DataFrame:
    rows, cols = values.shape
    data = pd.DataFrame(
        [(2020, f"r{r:03d}", f"p{c:03d}", values[r, c]) for r in range(rows) for c in range(cols)],
        columns=["year", "loc", "prod", "val"],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = ecomplexity(
            data,
            {"time": "year", "loc": "loc", "prod": "prod", "val": "val"},
            check_logsupermodularity=False,
            verbose=False,
            asymmetric=kind == "asymmetric",
            continuous=kind == "continuous",
        )
    return result.sort_values(["loc", "prod"]).reset_index(drop=True)


matrices = st.integers(min_value=4, max_value=9).flatmap(
    lambda rows: st.integers(min_value=4, max_value=12).flatmap(
        lambda cols: arrays(
            np.float64, (rows, cols), elements=st.integers(min_value=1, max_value=500).map(float)
        )
    )
)


def well_posed(values: np.ndarray) -> bool:
    m = metrics.presence(metrics.rca(values))
    kc, kp = m.sum(axis=1), m.sum(axis=0)
    if (
        values.sum(axis=1).min() == 0
        or values.sum(axis=0).min() == 0
        or kc.min() == 0
        or kp.min() == 0
    ):
        return False
    product = (m / kc[:, None]).T @ m / kp[:, None]
    eigenvalues = np.sort(np.real(np.linalg.eigvals(product)))[::-1]
    # A repeated eigenvalue next to the second (a disconnected product space, or ties) leaves its
    # eigenvector undefined: no two engines can be expected to agree there.
    gaps = eigenvalues[0] - eigenvalues[1], eigenvalues[1] - eigenvalues[2]
    return np.std(kc) > 0 and min(gaps) > 1e-6


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(matrices, st.sampled_from(["symmetric", "asymmetric", "continuous"]))
def test_ecomplexity_convention_matches_py_ecomplexity(values, kind):
    assume(well_posed(values))
    peer = peer_run(values, kind)
    rca = metrics.rca(values)
    m = metrics.presence(rca)  # py-ecomplexity: RCA >= 1
    ours = metrics.complexity(m, "ecomplexity", proximity_kind=kind, rca_matrix=rca)
    # The sign rule needs diversity and kc to correlate one way or the other.
    assume(abs(np.corrcoef(m.sum(axis=1), ours.kc)[0, 1]) > 1e-6)
    rows, cols = values.shape

    def long(matrix):
        return np.broadcast_to(matrix, (rows, cols)).ravel()

    np.testing.assert_allclose(long(rca), peer["rca"], rtol=1e-12)
    np.testing.assert_array_equal(long(m), peer["mcp"])
    np.testing.assert_allclose(long(ours.density), peer["density"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(long(ours.eci[:, None]), peer["eci"], rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(long(ours.pci[None, :]), peer["pci"], rtol=1e-7, atol=1e-9)
    coi_raw = np.nansum(ours.density * (1 - m) * ours.kp[None, :], axis=1)
    if np.std(coi_raw) > 1e-9 * max(1.0, np.abs(coi_raw).max()):  # else the z-score is noise
        np.testing.assert_allclose(long(ours.coi[:, None]), peer["coi"], rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(long(ours.cog), peer["cog"], rtol=1e-7, atol=1e-9)


def test_fitness_and_reflections_on_the_hidalgo_hausmann_toy():
    toy = np.array([[1, 1, 1, 1], [0, 1, 0, 0], [0, 0, 1, 1], [0, 0, 0, 1]], dtype=float)
    fitness, product_complexity = metrics.fitness_complexity(toy, iterations=20)
    # The diversified country is the fittest; the product only it makes is the most complex.
    assert np.argmax(fitness) == 0 and np.argmax(product_complexity) == 0
    np.testing.assert_allclose(fitness.mean(), 1.0)
    np.testing.assert_allclose(product_complexity.mean(), 1.0)
    eci, _ = metrics.complexity_reflections(toy, iterations=19)  # rounded up to 20, as R
    np.testing.assert_allclose([eci.mean(), eci.std(ddof=1)], [0, 1], atol=1e-12)
    # Same reflections as EconGeo's MORc, hence the same ranking of the four countries.
    morc, _ = metrics.method_of_reflections(toy, steps=20)
    assert list(np.argsort(eci)) == list(np.argsort(morc))
