"""`atclusters metrics --convention econgeo` against EconGeo itself, run in R on a random matrix,
output by output: EconGeo's rounded outputs digit for digit, the others to the 15 significant
digits both write. Runs where R finds EconGeo (docs/methodology.md, "EconGeo for the bench and
this test"); skipped elsewhere — the committed oracles (test_metrics_oracles.py) cover the same
functions on EconGeo's own small examples everywhere."""

import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

from atclusters.mapping.cli import main


def _econgeo_missing() -> str | None:
    if shutil.which("Rscript") is None:
        return "R is not installed"
    loaded = subprocess.run(
        ["Rscript", "-e", "library(EconGeo); library(Matrix)"], capture_output=True, check=False
    )
    return "EconGeo is not installed for R" if loaded.returncode else None


MISSING = _econgeo_missing()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")

# Each output: the EconGeo call on `mat` (values, regions × industries) or `B` (its presence,
# EconGeo's binary location quotient), and the command line's metric and options.
CALLS = {
    "lq": ("location.quotient(mat)", []),
    "rca": ("RCA(mat)", []),
    "presence": ("location.quotient(mat, binary = TRUE)", []),
    "krugman": ("Krugman.index(mat)", []),
    "specialisation-coefficient": ("spec.coeff(mat)", []),
    "hachman": ("Hachman(mat)", []),
    "herfindahl": ("Herfindahl(mat)", []),
    "entropy": ("entropy(mat)", []),
    "gini": ("Gini(mat)$Gini", []),
    "locational-gini": ("locational.Gini(mat)$Loc.Gini", []),
    "diversity": ("diversity(B)", []),
    "ubiquity": ("ubiquity(B)", []),
    "co-occurrence": ("co.occurrence(t(B))", []),
    "relatedness": ("relatedness(co.occurrence(t(B)))", []),
    "relatedness-density": ("relatedness.density(B, relatedness(co.occurrence(t(B))))", []),
    "relatedness-density-int": (
        "relatedness.density.int(B, relatedness(co.occurrence(t(B))))",
        ["--part", "int"],
    ),
    "relatedness-density-ext": (
        "relatedness.density.ext(B, relatedness(co.occurrence(t(B))))",
        ["--part", "ext"],
    ),
    "morc": ("MORc(B)", []),
    "mort": ("MORt(B)", []),
    "kci": ("KCI(B)", []),
}
ROUNDED = {"rca", "entropy", "gini", "relatedness-density"} | {
    "relatedness-density-int",
    "relatedness-density-ext",
}

R_SCRIPT = """
suppressMessages({ library(EconGeo); library(Matrix) })
args <- commandArgs(TRUE)
mat <- as.matrix(read.csv(args[1], row.names = 1, check.names = FALSE))
B <- location.quotient(mat, binary = TRUE)
calls <- strsplit(readLines(args[2]), "\\t")
for (call in calls) {
  value <- suppressWarnings(eval(parse(text = call[2])))
  write.csv(as.matrix(value), file.path(args[3], paste0(call[1], ".csv")))
}
"""


@pytest.fixture(scope="module")
def econgeo(tmp_path_factory):
    """The random input and EconGeo's output for every call, as matrices."""
    folder = tmp_path_factory.mktemp("econgeo")
    rng = np.random.default_rng(2026)
    values = rng.integers(1, 400, size=(40, 18)) * (rng.random((40, 18)) > 0.35)
    table = pd.DataFrame(
        values, index=[f"R{i}" for i in range(40)], columns=[f"I{j}" for j in range(18)]
    )
    table.index.name = "region"
    table.to_csv(folder / "x.csv")
    (folder / "calls.tsv").write_text(
        "\n".join(f"{name}\t{call}" for name, (call, _) in CALLS.items()) + "\n"
    )
    (folder / "script.R").write_text(R_SCRIPT)
    subprocess.run(
        [
            "Rscript",
            str(folder / "script.R"),
            str(folder / "x.csv"),
            str(folder / "calls.tsv"),
            str(folder),
        ],
        check=True,
        capture_output=True,
    )
    return folder


@pytest.mark.parametrize("name", list(CALLS))
def test_command_line_gives_econgeos_output(econgeo, tmp_path, name):
    metric = name.removesuffix("-int").removesuffix("-ext")
    out = tmp_path / "out.csv"
    assert main([metric, str(econgeo / "x.csv"), *CALLS[name][1], "-o", str(out)]) == 0
    ours = pd.read_csv(out, index_col=0).to_numpy(dtype=float)
    theirs = pd.read_csv(econgeo / f"{name}.csv", index_col=0).to_numpy(dtype=float)
    ours = ours.reshape(theirs.shape)
    assert np.array_equal(np.isnan(ours), np.isnan(theirs))
    if name in ROUNDED:
        np.testing.assert_array_equal(ours, theirs)
    elif name == "kci":  # an eigenvector: to the 4-decimal rounding EconGeo applies inside
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    elif name in {"morc", "mort"}:  # 20 reflections, each rounding in its own order
        np.testing.assert_allclose(ours, theirs, rtol=1e-11)
    else:
        np.testing.assert_allclose(ours, theirs, rtol=1e-13, atol=1e-13)
