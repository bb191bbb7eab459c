"""Speed of the metrics library and its command line, against its peers and against the floor.

The protocol (docs/benchmarks.md repeats it with the figures):
- every contender warm (imports done, one untimed run) and timed in the same run, interleaved
  (ours, peer, floor, ours, peer, floor, ...), REPEATS times; min and median of CPU time
  (the process's, all its threads) and of wall time;
- the same BLAS thread count for all (threadpoolctl in this process, OPENBLAS_NUM_THREADS and
  friends for child processes), measured with 1 and with 2 threads;
- peers with their true defaults (py-ecomplexity's `ecomplexity(data, cols)`, which checks
  log-supermodularity; also shown without that check), their packages loaded outside the timed
  region (R: `library(EconGeo)` and `library(Matrix)`);
- the floor: the bare NumPy/BLAS primitives that any implementation of the operation must run
  (listed with each row), timed the same way; our ratio to it;
- the machine's load (`uptime`) before and after, versions printed.

`python bench/metrics.py` runs only this and rewrites the metrics section of docs/benchmarks.md;
`make bench` runs it with the rest.
"""

import contextlib
import io
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402 - after the path
from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

from atclusters.mapping import matrix_io, metrics  # noqa: E402

REGIONS, INDUSTRIES = 1500, 600  # NUTS 3 × NACE class scale
SMALL = (226, 785)  # py-ecomplexity's own test size: countries × HS products
PANEL_YEARS = 20
SPARSE_SHAPE, SPARSE_DENSITY = (10_000, 5_000), 0.05
REPEATS = 5
THREADS = (1, 2)
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass
class Timing:
    cpu: list[float]
    wall: list[float]

    def text(self) -> str:
        return (
            f"{_seconds(min(self.cpu))} / {_seconds(statistics.median(self.cpu))} "
            f"({_seconds(min(self.wall))} / {_seconds(statistics.median(self.wall))} wall)"
        )


def _seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


@dataclass
class Measured:
    """A contender's own account of its CPU and wall seconds (a peer timed in its process)."""

    cpu: float
    wall: float


def interleaved(contenders: dict[str, Callable[[], object]], repeats: int = REPEATS) -> dict:
    """Each contender once untimed, then `repeats` rounds of all of them in turn. A contender
    that returns a `Measured` (a peer in its own process) is timed by its own account."""
    for run in contenders.values():
        run()
    timings = {name: Timing([], []) for name in contenders}
    for _ in range(repeats):
        for name, run in contenders.items():
            cpu, wall = time.process_time(), time.perf_counter()
            result = run()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            if isinstance(result, Measured):
                cpu, wall = result.cpu, result.wall
            timings[name].cpu.append(cpu)
            timings[name].wall.append(wall)
    return timings


def ratio(slow: Timing, fast: Timing) -> str:
    return f"{min(slow.cpu) / min(fast.cpu):.1f}× / {statistics.median(slow.cpu) / statistics.median(fast.cpu):.1f}×"


NOTES: list[str] = []  # why a goal is not met, in the words of the row that measured it


def goal(text: str, met: bool, why: str = "") -> str:
    """The goal with its verdict; an unmet goal's reason goes under the table."""
    if not met and why:
        NOTES.append(why)
    return f"{text}: {'met' if met else '**not met**'}"


def best(timing: Timing) -> float:
    return min(timing.cpu)


def random_values(rows: int, cols: int, seed: int, zeros: float = 0.4) -> np.ndarray:
    """Lognormal values (employment-like), a share `zeros` of them 0."""
    rng = np.random.default_rng(seed)
    return rng.lognormal(3, 2, (rows, cols)) * (rng.random((rows, cols)) >= zeros)


# --- the floors: what any implementation must compute ------------------------------------------


def floor_complexity(m: np.ndarray) -> None:
    """RCA's two sums and division, and the four matrix products behind ECI/PCI, proximity,
    density and COG: MᵀM (in float32, exact for 0/1), the Markov Gram matrix, M·φ and (1−M)·W."""
    kc, kp = m.sum(axis=1), m.sum(axis=0)
    half = m / np.sqrt(kc)[:, None] / np.sqrt(kp)[None, :]
    gram = half.T @ half
    c = floor_gram(m)
    m @ c
    (1 - m) @ gram


def floor_gram(m: np.ndarray) -> np.ndarray:
    """MᵀM of a 0/1 matrix as cheaply as it can be had exactly: in float32 (every count is an
    integer below 2**24), the result as float64."""
    single = m.astype(np.float32)
    return (single.T @ single).astype(np.float64)


def floor_lq(x: np.ndarray) -> None:
    """Two sums and one scaled division per cell."""
    x / x.sum(axis=1, keepdims=True) / (x.sum(axis=0) / x.sum())


# --- py-ecomplexity ----------------------------------------------------------------------------


def long_frame(x: np.ndarray, years: int = 1):
    import pandas as pd

    rows, cols = x.shape[-2], x.shape[-1]
    return pd.DataFrame(
        {
            "year": np.repeat(np.arange(2000, 2000 + years), rows * cols),
            "loc": np.tile(np.repeat([f"r{r}" for r in range(rows)], cols), years),
            "prod": np.tile([f"p{c}" for c in range(cols)], rows * years),
            "val": x.reshape(-1),
        }
    )


COLUMNS = {"time": "year", "loc": "loc", "prod": "prod", "val": "val"}


def peer_complexity(data, **options) -> None:
    from ecomplexity import ecomplexity

    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        ecomplexity(data, COLUMNS, **options)


def ours_complexity(x: np.ndarray) -> None:
    """What `ecomplexity()` returns, from the same values: RCA, presence, ECI, PCI, density,
    COI, COG (the library call, on a matrix)."""
    metrics.complexity(metrics.presence(metrics.rca(x)), "ecomplexity")


def complexity_rows(threads: int) -> list[tuple[str, ...]]:
    rows = []
    for shape in (SMALL, (REGIONS, INDUSTRIES)):
        x = random_values(*shape, 99)
        data = long_frame(x)
        m = metrics.presence(metrics.rca(x))
        with threadpool_limits(threads):
            timing = interleaved(
                {
                    "ours": lambda x=x: ours_complexity(x),
                    "peer": lambda data=data: peer_complexity(data),
                    "peer, no log-supermodularity check": lambda data=data: peer_complexity(
                        data, check_logsupermodularity=False
                    ),
                    "floor": lambda m=m: floor_complexity(m),
                }
            )
        size = f"{shape[0]:,} × {shape[1]:,}"
        rows += [
            (
                f"`ecomplexity()` equivalent, {size}: py-ecomplexity, its defaults",
                str(threads),
                timing["ours"].text(),
                timing["peer"].text(),
                ratio(timing["peer"], timing["ours"]),
                goal(
                    "≥ 30×",
                    best(timing["peer"]) >= 30 * best(timing["ours"]),
                    f"`ecomplexity()` ≥ 30× ({threads} thread): py-ecomplexity with its "
                    f"defaults takes {best(timing['peer']):.3f} s CPU, so 30× asks for "
                    f"{best(timing['peer']) / 30:.3f} s; the floor alone (the four matrix "
                    f"products and RCA) takes {best(timing['floor']):.3f} s and ours "
                    f"{best(timing['ours']) / best(timing['floor']):.1f}× that.",
                )
                if shape[0] == REGIONS and threads == 1
                else "",
            ),
            (
                f"same, py-ecomplexity with `check_logsupermodularity=False`, {size}",
                str(threads),
                timing["ours"].text(),
                timing["peer, no log-supermodularity check"].text(),
                ratio(timing["peer, no log-supermodularity check"], timing["ours"]),
                "",
            ),
            (
                f"same, ours against the floor (4 matrix products, RCA), {size}",
                str(threads),
                timing["ours"].text(),
                timing["floor"].text(),
                ratio(timing["ours"], timing["floor"]),
                "",
            ),
        ]
    return rows


PANEL_SCRIPT = """
import sys, time
sys.path.insert(0, {root!r}); sys.path.insert(0, {bench!r})
import numpy as np
from threadpoolctl import threadpool_limits
import metrics as bench
which, years = sys.argv[1], {years}
panel = np.stack([bench.random_values({rows}, {cols}, year + 1) for year in range(years)])
if which == "peer":
    data = bench.long_frame(panel, years)
    run = lambda: bench.peer_complexity(data)
else:
    run = lambda: [bench.ours_complexity(x) for x in panel]
with threadpool_limits(1):
    first = panel[:1]
    bench.peer_complexity(bench.long_frame(first, 1)) if which == "peer" else bench.ours_complexity(first[0])
    cpu = time.process_time()
    run()
    cpu = time.process_time() - cpu
# VmHWM: this process's peak resident memory (ru_maxrss would keep the forking parent's)
peak = next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]
print(cpu, int(peak) / 1024)
"""


def panel_rows() -> list[tuple[str, ...]]:
    """The 20-year panel, one thread. Each contender in its own process for its peak memory
    (the input included); REPEATS runs, alternating, each process warm from its imports."""
    script = PANEL_SCRIPT.format(
        root=str(ROOT),
        bench=str(ROOT / "bench"),
        years=PANEL_YEARS,
        rows=REGIONS,
        cols=INDUSTRIES,
    )
    results: dict[str, list[tuple[float, float]]] = {"ours": [], "peer": []}
    for _ in range(REPEATS):
        for which in results:
            output = subprocess.run(
                [sys.executable, "-c", script, which],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, **dict.fromkeys(THREAD_VARIABLES, "1")},
            ).stdout.split()
            results[which].append((float(output[0]), float(output[1])))
    ours, peer = (Timing([cpu for cpu, _ in results[w]], [0.0]) for w in ("ours", "peer"))
    peaks = {w: max(peak for _, peak in results[w]) for w in results}

    def cpu_text(t: Timing) -> str:
        return f"{_seconds(min(t.cpu))} / {_seconds(statistics.median(t.cpu))}"

    return [
        (
            f"`ecomplexity()` on a {PANEL_YEARS}-year panel of {REGIONS:,} × {INDUSTRIES}",
            "1",
            cpu_text(ours),
            cpu_text(peer),
            ratio(peer, ours),
            goal(
                "≥ 30×",
                min(peer.cpu) >= 30 * min(ours.cpu),
                f"panel ≥ 30×: py-ecomplexity takes {min(peer.cpu):.1f} s for the "
                f"{PANEL_YEARS} years, ours {min(ours.cpu):.1f} s "
                f"({min(ours.cpu) / PANEL_YEARS:.3f} s a year).",
            ),
        ),
        (
            "same, peak memory of the process (input included)",
            "1",
            f"{peaks['ours']:,.0f} MB",
            f"{peaks['peer']:,.0f} MB",
            f"{peaks['peer'] / peaks['ours']:.0f}×",
            goal(
                "ours < 400 MB",
                peaks["ours"] < 400,
                f"peak < 400 MB: the process peaks at {peaks['ours']:,.0f} MB, of which the "
                f"{PANEL_YEARS}-year input is "
                f"{PANEL_YEARS * REGIONS * INDUSTRIES * 8 / 2**20:,.0f} MB.",
            ),
        ),
    ]


# --- EconGeo (R) --------------------------------------------------------------------------------

# A server in R: loads EconGeo and Matrix and the matrix once, then times one call for each line
# it reads ("related" or "density") and answers with R's CPU (user + system) and wall seconds, so
# that its runs interleave with ours.
R_SERVER = """
suppressMessages({ library(EconGeo); library(Matrix) })
m <- as.matrix(read.csv(commandArgs(TRUE)[1], row.names = 1))
rel <- relatedness(co.occurrence(t(m)))
invisible(relatedness.density(m, rel))
cat(R.version.string, "|", as.character(packageVersion("EconGeo")), "|",
    extSoftVersion()[["BLAS"]], "\\n", sep = "")
flush(stdout())
input <- file("stdin", open = "r")
while (length(what <- readLines(input, n = 1)) > 0) {
  took <- if (what == "related") {
    system.time(rel <- relatedness(co.occurrence(t(m))))
  } else {
    system.time(rd <- relatedness.density(m, rel))
  }
  cat(took[["user.self"]] + took[["sys.self"]], took[["elapsed"]], "\\n")
  flush(stdout())
}
"""

# R on Debian links the BLAS and LAPACK that update-alternatives points to; preloading one pair
# chooses it for one process, so that both are measured in the same run, whichever is the default.
R_BLAS = {
    "reference BLAS": ("blas/libblas.so.3", "lapack/liblapack.so.3"),
    "OpenBLAS": ("openblas-pthread/libblas.so.3", "openblas-pthread/liblapack.so.3"),
}


class EconGeo:
    """EconGeo in a running R process, on one BLAS."""

    def __init__(self, matrix: Path, threads: int, preload: list[str]):
        env = {**os.environ, **dict.fromkeys(THREAD_VARIABLES, str(threads))}
        if preload:
            env["LD_PRELOAD"] = ":".join(preload)
        self.process = subprocess.Popen(
            ["Rscript", "-e", R_SERVER, str(matrix)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        self.version = self._line()  # "R version … | EconGeo version | BLAS library"

    def _line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("R stopped (is EconGeo installed for it?)")
        return line.strip()

    def run(self, what: str) -> Measured:
        assert self.process.stdin is not None
        self.process.stdin.write(what + "\n")
        self.process.stdin.flush()
        cpu, wall = map(float, self._line().split())
        return Measured(cpu, wall)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def r_blas_choices() -> dict[str, list[str]]:
    """The BLAS to run R on: Debian's reference BLAS and OpenBLAS where both are installed;
    otherwise R's configured BLAS (no preload)."""
    found = {}
    for name, parts in R_BLAS.items():
        for folder in sorted(Path("/usr/lib").glob("*-linux-gnu")):
            paths = [folder / part for part in parts]
            if all(path.exists() for path in paths):
                found[name] = [str(path) for path in paths]
                break
    return found or {"its configured BLAS": []}


def econgeo_unavailable() -> str | None:
    """Why EconGeo cannot be measured here, or None when R finds it."""
    if shutil.which("Rscript") is None:
        return "R is not installed here"
    check = subprocess.run(
        ["Rscript", "-e", "library(EconGeo); library(Matrix)"], capture_output=True, check=False
    )
    return "EconGeo is not installed for R" if check.returncode else None


R_VERSIONS: dict[str, str] = {}  # BLAS name → "R version … | EconGeo … | BLAS library"


def relatedness_rows(threads: int) -> list[tuple[str, ...]]:
    m = metrics.presence(metrics.rca(random_values(REGIONS, INDUSTRIES, 7)))
    related = metrics.relatedness(metrics.co_occurrence(m.T))
    contenders: dict[str, Callable[[], object]] = {
        "related": lambda: metrics.relatedness(metrics.co_occurrence(m.T)),
        "related floor": lambda: floor_gram(m),
        "related float64 product": lambda: m.T @ m,
        "density": lambda: metrics.relatedness_density(m, related),
        "density floor": lambda: m @ related,
        # EconGeo's output: rounded to 2 decimals
        "density econgeo": lambda: metrics.relatedness_density(m, related, decimals=2),
    }
    missing = econgeo_unavailable()
    peers: dict[str, EconGeo] = {}
    with contextlib.ExitStack() as stack:
        if missing is None:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            matrix = folder / "m.csv"
            labels = [f"r{i}" for i in range(m.shape[0])], [f"p{j}" for j in range(m.shape[1])]
            matrix.write_bytes(matrix_io.csv_bytes(matrix_io.LabelledMatrix(m, *labels)))
            for blas, preload in r_blas_choices().items():
                peer = EconGeo(matrix, threads, preload)
                stack.callback(peer.close)
                peers[blas] = peer
                R_VERSIONS[blas] = peer.version
                for what in ("related", "density"):
                    contenders[f"{what} R {blas}"] = lambda p=peer, w=what: p.run(w)
        with threadpool_limits(threads):
            timing = interleaved(contenders)
    rows = []
    for key, what, floor in (
        ("related", "co-occurrence + relatedness", "MᵀM in float32, exact for 0/1"),
        ("density", "relatedness density", "M·R"),
    ):
        over = best(timing[key]) / best(timing[f"{key} floor"])
        if key == "related":
            rows.append(
                (
                    f"{what}, {REGIONS:,} × {INDUSTRIES}: ours against the float64 product MᵀM",
                    str(threads),
                    timing[key].text(),
                    timing["related float64 product"].text(),
                    ratio(timing[key], timing["related float64 product"]),
                    "",
                )
            )
        rows.append(
            (
                f"{what}, {REGIONS:,} × {INDUSTRIES}: ours against the floor ({floor})",
                str(threads),
                timing[key].text(),
                timing[f"{key} floor"].text(),
                ratio(timing[key], timing[f"{key} floor"]),
                goal(
                    "≤ 1.2×",
                    over <= 1.2,
                    f"{what} ≤ 1.2× the floor ({threads} thread(s)): {over:.2f}×; beyond the "
                    f"product ({floor}), the element-wise passes over the result "
                    f"cost {best(timing[key]) - best(timing[f'{key} floor']):.3f} s.",
                ),
            )
        )
        ours_key = "density econgeo" if key == "density" else key
        ours_label = " (ours rounded to 2 decimals as EconGeo)" if key == "density" else ""
        if missing is not None:
            rows.append(
                (
                    f"{what}, {REGIONS:,} × {INDUSTRIES}: EconGeo (R)",
                    str(threads),
                    timing[ours_key].text(),
                    f"not measured: {missing}",
                    "—",
                    goal(
                        "≥ 5× (R with OpenBLAS)",
                        False,
                        f"EconGeo goals: not measured on this machine — {missing}; "
                        'docs/methodology.md ("EconGeo for the bench") says how to install them.',
                    ),
                )
            )
            continue
        for blas in peers:
            theirs = timing[f"{key} R {blas}"]
            fast = best(theirs) >= 5 * best(timing[ours_key])
            rows.append(
                (
                    f"{what}, {REGIONS:,} × {INDUSTRIES}: EconGeo (R, {blas}){ours_label}",
                    str(threads),
                    timing[ours_key].text(),
                    theirs.text(),
                    ratio(theirs, timing[ours_key]),
                    goal(
                        "≥ 5×",
                        fast,
                        f"{what} ≥ 5× EconGeo on R with OpenBLAS ({threads} thread(s)): "
                        f"{best(theirs) / best(timing[ours_key]):.1f}×. EconGeo takes "
                        f"{best(theirs):.3f} s, so 5× asks for {best(theirs) / 5:.3f} s; the "
                        f"floor alone (the product, {floor}) takes "
                        f"{best(timing[f'{key} floor']):.3f} s.",
                    )
                    if blas == "OpenBLAS"
                    else "",
                )
            )
    return rows


# --- other library rows ------------------------------------------------------------------------


def library_rows(threads: int) -> list[tuple[str, ...]]:
    x = random_values(REGIONS, INDUSTRIES, 3)
    m = metrics.presence(metrics.rca(x))
    with threadpool_limits(threads):
        timing = interleaved(
            {
                "lq": lambda: metrics.location_quotient(x),
                "lq floor": lambda: floor_lq(x),
                "kci": lambda: metrics.kci_econgeo(m),
                "kci floor": lambda: (m / m.sum(axis=1, keepdims=True)) @ (m / m.sum(axis=0)).T,
            }
        )
    return [
        (
            f"location quotient, {REGIONS:,} × {INDUSTRIES}: ours against the floor (2 sums, 1 division)",
            str(threads),
            timing["lq"].text(),
            timing["lq floor"].text(),
            ratio(timing["lq"], timing["lq floor"]),
            "",
        ),
        (
            f"EconGeo's KCI, {REGIONS:,} × {INDUSTRIES}: ours against the floor (the region × region product)",
            str(threads),
            timing["kci"].text(),
            timing["kci floor"].text(),
            ratio(timing["kci"], timing["kci floor"]),
            "",
        ),
    ]


def sparse_rows() -> list[tuple[str, ...]]:
    """Dense against sparse from values to relatedness density, 10,000 × 5,000, 95 % zeros."""
    from scipy import sparse

    x = random_values(*SPARSE_SHAPE, 5, zeros=1 - SPARSE_DENSITY)
    x_sparse = sparse.csr_array(x)

    def chain(values) -> None:
        m = metrics.presence(metrics.location_quotient(values))
        related = metrics.relatedness(metrics.co_occurrence(m.T))
        metrics.relatedness_density(m, related)

    def presence_only(values) -> None:
        metrics.presence(metrics.location_quotient(values))

    with threadpool_limits(1):
        timing = interleaved(
            {
                "dense lq": lambda: presence_only(x),
                "sparse lq": lambda: presence_only(x_sparse),
                "dense": lambda: chain(x),
                "sparse": lambda: chain(x_sparse),
            }
        )
    shape = f"{SPARSE_SHAPE[0]:,} × {SPARSE_SHAPE[1]:,}, {1 - SPARSE_DENSITY:.0%} zeros"
    return [
        (
            f"LQ and presence, {shape}: sparse input against dense",
            "1",
            timing["sparse lq"].text(),
            timing["dense lq"].text(),
            ratio(timing["dense lq"], timing["sparse lq"]),
            "",
        ),
        (
            f"LQ, presence, co-occurrence, relatedness, relatedness density, {shape}: sparse against dense",
            "1",
            timing["sparse"].text(),
            timing["dense"].text(),
            ratio(timing["dense"], timing["sparse"]),
            "",
        ),
    ]


# --- the command line --------------------------------------------------------------------------


def child_cpu(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """CPU (user + system) and wall seconds of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, wall


def cli_rows(threads: int) -> list[tuple[str, ...]]:
    command = [str(ROOT / ".venv" / "bin" / "atclusters"), "metrics"]
    env = {**os.environ, **dict.fromkeys(THREAD_VARIABLES, str(threads))}
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for kind, x in (
            ("counts", np.round(random_values(REGIONS, INDUSTRIES, 11))),
            ("17-digit floats", random_values(REGIONS, INDUSTRIES, 11)),
        ):
            table = matrix_io.LabelledMatrix(
                x, [f"R{i}" for i in range(REGIONS)], [f"I{j}" for j in range(INDUSTRIES)]
            )
            path = Path(folder) / f"{len(files)}.csv"
            # Full precision for the float file (repr), as other tools write them.
            if kind == "counts":
                path.write_bytes(matrix_io.csv_bytes(table))
            else:
                lines = ["region," + ",".join(table.columns)]
                lines += [
                    f"{label}," + ",".join(map(repr, row))
                    for label, row in zip(table.rows, x.tolist(), strict=True)
                ]
                path.write_text("\n".join(lines) + "\n")
            files[kind] = path
        out = str(Path(folder) / "out.csv")
        timings: dict[str, Timing] = {}

        def record(name: str, command_line: list[str]) -> None:
            cpu, wall = child_cpu(command_line, env)
            timings.setdefault(name, Timing([], []))
            timings[name].cpu.append(cpu)
            timings[name].wall.append(wall)

        import polars as pl

        x_float = matrix_io.read_matrix(files["17-digit floats"])
        lq_table = matrix_io.LabelledMatrix(
            metrics.location_quotient(x_float.values), x_float.rows, x_float.columns
        )
        with threadpool_limits(threads):
            library = interleaved(
                {
                    # what the command computes: RCA, presence, ECI (EconGeo's conventions)
                    "eci library": lambda: metrics.complexity_indices(
                        metrics.presence(metrics.rca(x_float.values)), "econgeo"
                    ),
                    "lq library": lambda: metrics.location_quotient(x_float.values),
                    "read counts": lambda: matrix_io.read_matrix(files["counts"]),
                    "read floats": lambda: matrix_io.read_matrix(files["17-digit floats"]),
                    "polars counts": lambda: pl.read_csv(files["counts"]),
                    "polars floats": lambda: pl.read_csv(files["17-digit floats"]),
                    "write": lambda: matrix_io.csv_bytes(lq_table),
                    "write parquet": lambda: matrix_io.write_parquet(
                        lq_table, Path(folder) / "out.parquet"
                    ),
                }
            )
        commands = {
            "help": [*command, "--help"],
            "numpy": [sys.executable, "-c", "import numpy"],
            "polars": [sys.executable, "-c", "import numpy, polars"],
            "lq cli": [*command, "lq", str(files["17-digit floats"]), "-o", out],
            "lq cli counts": [*command, "lq", str(files["counts"]), "-o", out],
            "eci cli": [*command, "eci", str(files["17-digit floats"]), "-o", out],
        }
        for name, line in commands.items():
            record(name, line)  # warm: the files in the page cache, bytecode compiled
            timings.pop(name)
        for _ in range(REPEATS):
            for name, line in commands.items():
                record(name, line)
    size = f"{REGIONS:,} × {INDUSTRIES}"
    t = str(threads)
    numpy_start = best(timings["numpy"])
    eci_over = best(timings["eci cli"]) / best(library["eci library"])
    note = f" ({t} BLAS threads)" if threads != 1 else ""
    rows += [
        (
            "`atclusters metrics --help`",
            t,
            timings["help"].text(),
            "—",
            "—",
            goal("< 0.3 s", best(timings["help"]) < 0.3),
        ),
        (
            "Python starting and importing NumPy (for scale)",
            t,
            timings["numpy"].text(),
            "—",
            "—",
            "",
        ),
        (
            "Python starting and importing NumPy and polars (for scale)",
            t,
            timings["polars"].text(),
            "—",
            "—",
            "",
        ),
    ]
    for kind, key in (("counts", "lq cli counts"), ("17-digit floats", "lq cli")):
        rows.append(
            (
                f"`atclusters metrics lq`, {size} CSV of {kind}, end to end",
                t,
                timings[key].text(),
                "—",
                "—",
                goal(
                    "< 0.5 s",
                    best(timings[key]) < 0.5,
                    f"`lq` end to end < 0.5 s{note}, {kind}: {best(timings[key]):.3f} s, of "
                    f"which starting Python with NumPy is {numpy_start:.3f} s, reading "
                    f"{best(library['read counts' if kind == 'counts' else 'read floats']):.3f} s "
                    f"and writing {best(library['write']):.3f} s.",
                ),
            )
        )
    rows.append(
        (
            f"`atclusters metrics eci`, {size} CSV of floats: the command against the library call (RCA, presence, ECI)",
            t,
            timings["eci cli"].text(),
            library["eci library"].text(),
            ratio(timings["eci cli"], library["eci library"]),
            goal(
                "≤ 1.5×",
                eci_over <= 1.5,
                f"`eci` command ≤ 1.5× the library call ({t} thread(s)): {eci_over:.1f}×. "
                f"Starting Python and importing NumPy alone take {numpy_start:.3f} s, "
                f"{numpy_start / best(library['eci library']):.1f}× the library call "
                f"({best(library['eci library']):.3f} s); reading the file takes "
                f"{best(library['read floats']):.3f} s.",
            ),
        )
    )
    for kind, key in (("counts", "counts"), ("17-digit floats", "floats")):
        over = best(library[f"read {key}"]) / best(library[f"polars {key}"])
        rows.append(
            (
                f"reading the {size} CSV of {kind}: ours against polars' CSV reader",
                t,
                library[f"read {key}"].text(),
                library[f"polars {key}"].text(),
                ratio(library[f"read {key}"], library[f"polars {key}"]),
                goal(
                    "≤ 1.5×",
                    over <= 1.5,
                    f"reading ≤ 1.5× a columnar CSV reader, {kind} ({t} thread(s)): {over:.1f}× "
                    "polars. NumPy's parser converts decimal text to doubles one cell at a "
                    "time on one core; polars parses in parallel (its CPU time counts every "
                    "core), but importing it costs the command "
                    f"{best(timings['polars']) - numpy_start:.3f} s, more than NumPy's whole "
                    "read, so the command keeps NumPy's parser for CSV. pyarrow is not a "
                    "dependency: with it, pandas 3 would store every text column of the "
                    "platform in Arrow, a change beyond this command.",
                ),
            )
        )
    rows += [
        (
            f"writing {REGIONS * INDUSTRIES:,} cells as CSV (15 digits)",
            t,
            library["write"].text(),
            "—",
            "—",
            goal("< 0.2 s", best(library["write"]) < 0.2),
        ),
        (
            f"writing {REGIONS * INDUSTRIES:,} cells as Parquet",
            t,
            library["write parquet"].text(),
            "—",
            "—",
            "",
        ),
    ]
    return rows


# --- the section -------------------------------------------------------------------------------


def load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def versions() -> str:
    from importlib.metadata import version

    blas = ", ".join(
        f"{info['internal_api']} {info['version']} ({info.get('architecture', '')})"
        for info in threadpool_info()
        if info["user_api"] == "blas"
    )
    if R_VERSIONS:
        r_version = "; ".join(
            f"on {blas}: {' | '.join(R_VERSIONS[blas].split('|'))}" for blas in R_VERSIONS
        )
        r_version = "R with EconGeo (R | EconGeo | BLAS library) " + r_version
    elif shutil.which("Rscript"):
        r_version = "R without EconGeo"
    else:
        r_version = "R not installed"
    packages = ", ".join(
        f"{name} {version(name)}" for name in ("numpy", "scipy", "pandas", "polars", "ecomplexity")
    )
    return f"Python {platform.python_version()}; {packages}; BLAS: {blas}; {r_version}"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def section() -> list[str]:
    NOTES.clear()
    before = load()
    rows: list[tuple[str, ...]] = []
    for threads in THREADS:
        rows += complexity_rows(threads)
        rows += relatedness_rows(threads)
        rows += library_rows(threads)
        rows += cli_rows(threads)
    rows += panel_rows()
    rows += sparse_rows()
    after = load()
    return [
        "## Metrics library and command line",
        "",
        "`bench/metrics.py` (`python bench/metrics.py` runs it alone and rewrites this section). "
        "Protocol: every contender warm (imports done and one untimed run), then timed "
        f"interleaved in one run, {REPEATS} times; the same BLAS thread count for all "
        "(threadpoolctl in the process, OPENBLAS_NUM_THREADS for child processes); peers with "
        "their true defaults; the floor is the bare NumPy/BLAS primitives the operation "
        "cannot avoid (named in each row). Times are **min / median CPU seconds** of the "
        "process (all its threads), wall time in brackets; ratios are min / median. "
        "Ours is the library call on a matrix; py-ecomplexity takes its long table. EconGeo "
        "runs in R with `library(EconGeo)`, `library(Matrix)` and the matrix loaded before any "
        "timing, one R process for each BLAS (Debian's reference BLAS and OpenBLAS, preloaded), "
        "timed by R's `system.time` on demand so that its runs interleave with ours; how to "
        'install R and EconGeo for this: docs/methodology.md, "EconGeo for the bench".',
        "",
        f"Machine: {cpu_model()}, {os.cpu_count()} cores, shared with other work while this "
        f"ran — load average (1, 5, 15 min) {before} before and {after} after; CPU time is "
        "less disturbed by load than wall time. Versions: " + versions() + ".",
        "",
        "| what | BLAS threads | ours | peer or floor | ratio | goal |",
        "|---|---|---|---|---|---|",
        *[f"| {' | '.join(row)} |" for row in rows],
        "",
        "Goals not met, and why (from the figures above):",
        "",
        *[f"- {note}" for note in dict.fromkeys(NOTES)],
        "",
    ]


def write_section(lines: list[str]) -> None:
    """Replace this section of docs/benchmarks.md (to the end of the file)."""
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8")
    for heading in ("## Metrics library and command line", "## Metrics library"):
        if heading in text:
            text = text[: text.index(heading)]
            break
    path.write_text(text.rstrip("\n") + "\n\n" + "\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    lines = section()
    print("\n".join(lines))
    write_section(lines)
