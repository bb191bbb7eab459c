"""Density over each product's k nearest products (Stata ecomplexity's knn option)."""

import numpy as np
import pytest

from atclusters.mapping import metrics
from atclusters.mapping.cli import main

M = np.array([[1, 1, 0, 0], [1, 1, 1, 0], [0, 1, 1, 1], [1, 0, 0, 1]], dtype=float)
# Symmetric proximity C_pq / max(k_p, k_q): φ01 = φ12 = 2/3, φ23 = 1/2, the others 1/3.


def test_only_the_nearest_products_count_and_ties_are_kept():
    phi = metrics.proximity(M, "symmetric")
    density = metrics.density(M, phi, knn=1)
    np.testing.assert_array_equal(density[:, 0], M[:, 1])  # 0's nearest is 1
    np.testing.assert_array_equal(density[:, 3], M[:, 2])  # 3's nearest is 2
    np.testing.assert_allclose(density[:, 1], (M[:, 0] + M[:, 2]) / 2)  # 0 and 2 tie for 1
    # Product 0's second-nearest value (1/3) is shared by 2 and 3: all three neighbours count.
    np.testing.assert_allclose(metrics.density(M, phi, knn=2)[:, 0], metrics.density(M, phi)[:, 0])


def test_k_equal_to_the_number_of_products_is_plain_density():
    phi = metrics.proximity(M, "symmetric")
    np.testing.assert_allclose(metrics.density(M, phi, knn=4), metrics.density(M, phi))


@pytest.mark.parametrize("knn", [0, 5])
def test_k_outside_one_to_the_number_of_products_is_refused(knn):
    with pytest.raises(ValueError, match="knn must be between 1 and the number of products"):
        metrics.density(M, metrics.proximity(M), knn=knn)


def test_complexity_outlook_index_uses_knn_density_and_gain_the_whole_space():
    plain = metrics.complexity(M, "stata")
    nearest = metrics.complexity(M, "stata", knn=1)
    np.testing.assert_array_equal(nearest.density, metrics.density(M, nearest.proximity, knn=1))
    np.testing.assert_array_equal(nearest.cog, plain.cog)
    np.testing.assert_array_equal(nearest.eci, plain.eci)
    raw = (nearest.density * (1 - M) * nearest.kp).sum(axis=1)
    long = np.repeat(raw, M.shape[1])  # Stata standardises over the region × product rows
    np.testing.assert_allclose(nearest.coi, (raw - long.mean()) / long.std(ddof=1), rtol=1e-12)
    assert not np.allclose(nearest.coi, plain.coi)


def test_command_line_knn(tmp_path, capsys):
    matrix = tmp_path / "m.csv"
    matrix.write_text(
        "region,a,b,c,d\nr1,1,1,0,0\nr2,1,1,1,0\nr3,0,1,1,1\nr4,1,0,0,1\n", encoding="utf-8"
    )
    assert main(["density", str(matrix), "--presence", "--knn", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "region,a,b,c,d" and lines[1] == "r1,1,0.5,1,0"
    assert main(["density", str(matrix), "--presence", "--knn", "9"]) == 2
    assert "--knn must be between 1 and the number of industries (4)" in capsys.readouterr().err
