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


def peer_run(values: np.ndarray) -> pd.DataFrame:
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
    # A repeated second eigenvalue leaves the eigenvector undefined: no engine can agree there.
    return np.std(kc) > 0 and eigenvalues[1] - eigenvalues[2] > 1e-6


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(matrices)
def test_ecomplexity_convention_matches_py_ecomplexity(values):
    assume(well_posed(values))
    peer = peer_run(values)
    rca = metrics.rca(values)
    m = metrics.presence(rca)  # py-ecomplexity: RCA >= 1
    ours = metrics.complexity(m, "ecomplexity")
    rows, cols = values.shape

    def long(matrix):
        return np.broadcast_to(matrix, (rows, cols)).ravel()

    np.testing.assert_allclose(long(rca), peer["rca"], rtol=1e-12)
    np.testing.assert_array_equal(long(m), peer["mcp"])
    np.testing.assert_allclose(long(ours.density), peer["density"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(long(ours.eci[:, None]), peer["eci"], rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(long(ours.pci[None, :]), peer["pci"], rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(long(ours.coi[:, None]), peer["coi"], rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(long(ours.cog), peer["cog"], rtol=1e-7, atol=1e-9)
