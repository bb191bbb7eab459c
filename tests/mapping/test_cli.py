"""`atclusters metrics` as researchers and scripts use it."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from atclusters.mapping.cli import METRICS, main
from atclusters.mapping.metrics import round_half_even
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


ROUNDED = [
    # (metric, EconGeo's output file, its value column, extra options)
    ("rca", "RCA_rounded2", None, []),
    ("entropy", "entropy", "entropy", []),
    ("gini", "gini", "Gini", []),
    ("hoover", "hoover_index_pop", "Hoover.index", ["--pop"]),
    ("hoover-gini", "hoover_gini_pop", "Hoover.Gini", ["--pop"]),
]


@pytest.mark.parametrize(
    ("metric", "oracle", "column", "extra"), ROUNDED, ids=[r[0] for r in ROUNDED]
)
def test_econgeo_convention_rounds_as_econgeo(tmp_path, metric, oracle, column, extra):
    pop = tmp_path / "pop.csv"
    pop.write_text("region,population\nR1,10\nR2,20\nR3,30\nR4,25\nR5,15\n")
    options = [
        item
        for option in extra
        for item in (["--pop", str(pop)] if option == "--pop" else [option])
    ]
    expected = pd.read_csv(ECONGEO / f"{oracle}.csv", index_col=0)
    expected = expected.to_numpy(dtype=float) if column is None else expected[column].to_numpy()
    _, rounded = run(tmp_path, metric, INPUT, *options)
    np.testing.assert_array_equal(rounded.to_numpy().reshape(expected.shape), expected)
    _, full = run(tmp_path, metric, INPUT, *options, "--no-round")
    if metric == "rca":  # full precision is EconGeo's location.quotient
        lq = pd.read_csv(ECONGEO / "location_quotient.csv", index_col=0).to_numpy()
        np.testing.assert_allclose(full.to_numpy(), lq, rtol=1e-12)
    decimals = 2 if metric in {"rca", "hoover"} else 3
    full_values = full.to_numpy().reshape(expected.shape)
    np.testing.assert_array_equal(round_half_even(full_values, decimals), expected)
    if metric in {"entropy", "hoover-gini"}:  # values with more decimals than EconGeo shows
        assert not np.array_equal(full_values, expected)


def test_relatedness_density_rounds_to_two_decimals_and_parts_to_whole_numbers(tmp_path):
    rng = np.random.default_rng(11)
    values = pd.DataFrame(
        rng.integers(0, 60, size=(30, 12)) * (rng.random((30, 12)) > 0.4),
        index=[f"R{i}" for i in range(30)],
        columns=[f"I{j}" for j in range(12)],
    )
    path = tmp_path / "x.csv"
    values.to_csv(path)
    _, full = run(tmp_path, "relatedness-density", path, "--no-round")
    _, rounded = run(tmp_path, "relatedness-density", path)
    assert not np.array_equal(full.to_numpy(), rounded.to_numpy())
    np.testing.assert_array_equal(rounded.to_numpy(), np.round(rounded.to_numpy(), 2))
    np.testing.assert_allclose(rounded.to_numpy(), full.to_numpy(), atol=0.005 + 1e-12)
    _, inner = run(tmp_path, "relatedness-density", path, "--part", "int")
    kept = inner.to_numpy()[~np.isnan(inner.to_numpy())]
    np.testing.assert_array_equal(kept, np.round(kept))
    # Other conventions keep full precision.
    _, stata = run(tmp_path, "relatedness-density", path, "--convention", "stata")
    assert not np.array_equal(stata.to_numpy(), np.round(stata.to_numpy(), 2))


def test_parquet_in_and_out_match_csv(tmp_path):
    import polars as pl

    source = pd.read_csv(INPUT, index_col=0)
    parquet_in = tmp_path / "in.parquet"
    pl.DataFrame(
        {"region": list(source.index), **{c: source[c].to_numpy() for c in source}}
    ).write_parquet(parquet_in)
    out = tmp_path / "lq.parquet"
    assert main(["lq", str(parquet_in), "-o", str(out)]) == 0
    result = pl.read_parquet(out)
    assert result.columns == ["region", "I1", "I2", "I3", "I4", "I5"]
    assert result["region"].to_list() == ["R1", "R2", "R3", "R4", "R5"]
    _, from_csv = run(tmp_path, "lq", INPUT)
    # Parquet keeps every bit; CSV writes 15 significant digits.
    np.testing.assert_allclose(result.drop("region").to_numpy(), from_csv.to_numpy(), rtol=1e-14)


def test_empty_region_is_missing_under_the_ecomplexity_convention(tmp_path):
    """py-ecomplexity leaves a region without any presence out: its ECI is NaN (an empty cell),
    the others are computed without it."""
    values = pd.read_csv(INPUT, index_col=0)
    values.loc["R6"] = 0
    path = tmp_path / "x.csv"
    values.to_csv(path)
    _, eci = run(tmp_path, "eci", path, "--convention", "ecomplexity")
    assert np.isnan(eci.loc["R6", "eci"]) and eci.drop("R6")["eci"].notna().all()
    assert (tmp_path / "out.csv").read_text().splitlines()[-1] == "R6,"


def test_help_loads_no_numpy_and_lq_no_pandas_scipy_or_django():
    probe = (
        "import sys, contextlib, io\n"
        "from atclusters.mapping.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('numpy._core' in sys.modules)\n"
        f"main(['lq', {str(INPUT)!r}, '-o', '/dev/null'])\n"
        "print(sorted(m for m in ('pandas', 'scipy', 'django', 'polars') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert result.stdout.splitlines() == ["False", "[]"]
