"""`atclusters metrics` as researchers and scripts use it."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from atclusters.mapping.cli import METRICS, main
from tests.mapping.test_metrics_oracles import ECONGEO, STATA

INPUT = ECONGEO / "input_lq_mat.csv"


def run(tmp_path, *args):
    out = tmp_path / "out.csv"
    code = main([*map(str, args), "-o", str(out)])
    return code, (pd.read_csv(out, index_col=0) if code == 0 else None)


def test_lq_matrix_keeps_labels_and_matches_econgeo(tmp_path):
    code, result = run(tmp_path, "lq", INPUT)
    expected = pd.read_csv(ECONGEO / "location_quotient.csv", index_col=0)
    assert code == 0 and list(result.index) == ["R1", "R2", "R3", "R4", "R5"]
    np.testing.assert_allclose(result.to_numpy(), expected.to_numpy(), rtol=1e-12)


def test_per_region_and_square_outputs(tmp_path):
    code, krugman = run(tmp_path, "krugman", INPUT)
    assert code == 0 and list(krugman.columns) == ["krugman"]
    np.testing.assert_allclose(krugman["krugman"], [1.6, 1, 0.6, 0.7, 1.1], rtol=1e-12)
    _, related = run(tmp_path, "relatedness", INPUT, "--method", "cosine")
    assert related.shape == (5, 5) and list(related.index) == list(related.columns)
    _, diversity = run(tmp_path, "diversity", INPUT)
    np.testing.assert_array_equal(diversity["diversity"], [1, 1, 3, 3, 2])  # EconGeo's oracle


def test_long_input_with_years_and_stata_convention(tmp_path):
    trade = pd.read_csv(STATA / "trade_data_sample.csv")
    long = tmp_path / "trade.csv"
    trade.rename(columns={"origin": "region", "hs92": "industry", "export_val": "value"}).to_csv(
        long, index=False
    )
    assert main(["eci", str(long), "--long"]) == 2  # two years: must choose
    code, eci = run(tmp_path, "eci", long, "--long", "--year", "1995", "--convention", "stata")
    assert code == 0
    truth = pd.read_csv(STATA / "stata_ground_truth.csv")
    expected = truth[truth.year == 1995].groupby("origin")["eci"].first()
    # From the double-precision CSV (not Stata's float32 reading): agreement to ~1e-7.
    np.testing.assert_allclose(eci.loc[expected.index, "eci"], expected, rtol=1e-5)


def test_presence_input_and_entry_with_after(tmp_path):
    before, after = ECONGEO / "input_binary_rca.csv", ECONGEO / "input_binary_rca_t2.csv"
    code, entry = run(tmp_path, "entry", before, "--presence", "--after", after)
    expected = pd.read_csv(ECONGEO / "entry_mat.csv", index_col=0)
    assert code == 0
    np.testing.assert_array_equal(entry.to_numpy(), expected.to_numpy())


def test_population_file(tmp_path):
    pop = tmp_path / "pop.csv"
    pop.write_text("region,population\nR1,10\nR2,20\nR3,30\nR4,25\nR5,15\n")
    _, hoover = run(tmp_path, "hoover", INPUT, "--pop", pop)
    np.testing.assert_allclose(hoover["hoover"], [90, 25, 45, 50, 35], rtol=1e-12)
    pop.write_text("region,population\nR1,10\n")
    assert main(["hoover", str(INPUT), "--pop", str(pop)]) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (",a,b\nr1,1,x\n", "row r1, column b: 'x' is not a number"),
        (",a,b\nr1,1,-3\n", "row r1, column b: negative value"),
        (",a,b\nr1,1,2\nr1,3,4\n", "duplicate row label(s): r1"),
        (",a,a\nr1,1,2\n", "duplicate column label"),
        ("", "not a readable CSV"),
        (",a\n", "the matrix is empty"),
    ],
)
def test_bad_input_exits_2_with_the_place(tmp_path, capsys, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    assert main(["lq", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_every_metric_runs_on_a_real_sized_matrix(tmp_path):
    rng = np.random.default_rng(7)
    values = pd.DataFrame(
        rng.integers(0, 50, size=(12, 9)) * (rng.random((12, 9)) > 0.3),
        index=[f"R{i}" for i in range(12)],
        columns=[f"I{j}" for j in range(9)],
    )
    path = tmp_path / "x.csv"
    values.to_csv(path)
    pop = tmp_path / "pop.csv"
    pd.DataFrame({"population": rng.integers(100, 1000, 12)}, index=values.index).to_csv(pop)
    for name in METRICS:
        extra = ["--pop", str(pop)] if name in {"rpop", "hoover-gini"} else []
        extra += ["--after", str(path)] if name in {"entry", "exit"} else []
        assert main([name, str(path), "-o", str(tmp_path / f"{name}.csv"), *extra]) == 0, name


def test_console_script_runs_without_settings(tmp_path):
    env = {"PATH": "/usr/bin:/bin"}  # no SECRET_KEY, no DEBUG
    result = subprocess.run(
        [sys.executable, "-m", "atclusters", "metrics", "herfindahl", str(INPUT)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["region,herfindahl", "R1,1"]
    help_text = subprocess.run(
        [sys.executable, "-m", "atclusters", "metrics", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    ).stdout
    assert "relatedness-density" in help_text and "--convention" in help_text


def stata_1995_files(tmp_path):
    """The 1995 exports and population as Stata read them (single precision), without blx, which
    has no population and which Stata therefore drops."""
    trade = pd.read_csv(STATA / "trade_data_sample.csv")
    trade = trade[(trade.year == 1995) & (trade.origin != "blx")]
    matrix = tmp_path / "exports.csv"
    values = trade.pivot(index="origin", columns="hs92", values="export_val").fillna(0)
    values.astype(np.float32).astype(np.float64).to_csv(matrix)
    people = pd.read_csv(STATA / "population_data_sample.csv")
    population = tmp_path / "population.csv"
    people[people.year == 1995][["origin", "population"]].astype({"population": np.float32}).astype(
        {"population": np.float64}
    ).to_csv(population, index=False)
    return matrix, population


def test_presence_from_rca_or_rpop_matches_stata(tmp_path, capsys):
    """Stata's `pop(population) rca(1) rpop(1)`: present where either test passes."""
    matrix, population = stata_1995_files(tmp_path)
    expected = pd.read_csv(STATA / "stata_rca_rpop_combined_head.csv")
    options = ["--convention", "stata", "--presence-test", "both", "--pop", population]
    code, eci = run(tmp_path, "eci", matrix, *options)
    assert code == 0
    by_origin = expected.groupby("origin")["eci"].first()
    np.testing.assert_allclose(eci.loc[by_origin.index, "eci"], by_origin, rtol=1e-10)
    _, cog = run(tmp_path, "cog", matrix, *options)
    aut = expected[expected.origin == "aut"]
    np.testing.assert_allclose(cog.loc["aut", aut.hs92.astype(str)], aut.cog, atol=1e-12)
    assert main(["eci", str(matrix), "--presence-test", "rpop"]) == 2
    assert "--pop FILE (region,population) is needed" in capsys.readouterr().err


def test_continuous_product_space_on_rpop_matches_stata(tmp_path):
    """Stata's `pop(population) rpop(1) cont`: proximity and density on RPOP values."""
    matrix, population = stata_1995_files(tmp_path)
    expected = pd.read_csv(STATA / "stata_continuous_rpop_head.csv")
    options = ["--convention", "stata", "--presence-test", "rpop", "--pop", population]
    _, density = run(tmp_path, "density", matrix, *options, "--method", "continuous")
    _, cog = run(tmp_path, "cog", matrix, *options, "--method", "continuous")
    _, coi = run(tmp_path, "coi", matrix, *options, "--method", "continuous")
    ours = [
        (density.loc[o, str(p)], cog.loc[o, str(p)], coi.loc[o, "coi"])
        for o, p in zip(expected.origin, expected.hs92, strict=True)
    ]
    np.testing.assert_allclose(
        np.array(ours), expected[["density", "cog", "coi"]].to_numpy(), rtol=1e-10, atol=1e-12
    )
