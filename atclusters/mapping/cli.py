"""`atclusters metrics`: the metrics library on CSV or Parquet files, for people and scripts.

Runs without the platform's settings or database, and loads only what the run needs: `--help`
loads no NumPy, a clean CSV matrix no pandas, Parquet polars, and only EconGeo's KCI/TCI on
large matrices SciPy. Exit codes: 0 done, 2 bad input or options."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Literal

from atclusters.mapping.conventions import CONVENTIONS

if TYPE_CHECKING:
    import numpy as np

    from atclusters.mapping import matrix_io, metrics
    from atclusters.mapping.matrix_io import LabelledMatrix


def _lazy(name: str) -> ModuleType:
    """The module, executed only when an attribute is first read (importlib's LazyLoader)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


if not TYPE_CHECKING:
    np = _lazy("numpy")
    metrics = _lazy("atclusters.mapping.metrics")
    matrix_io = _lazy("atclusters.mapping.matrix_io")

Shape = Literal["matrix", "square", "region", "industry"]
RelatednessMethod = Literal["prob", "association", "cosine", "jaccard"]
ProximityKind = Literal["symmetric", "asymmetric", "continuous"]


@dataclass(frozen=True)
class Metric:
    shape: Shape
    help: str
    compute: Callable[[Run], np.ndarray]
    # The decimals EconGeo rounds this output to, if it does (given the options).
    econgeo_decimals: Callable[[argparse.Namespace], int | None] = lambda options: None


class Run:
    """One invocation: the input, the options, and what is derived from them once."""

    def __init__(self, table: LabelledMatrix, options: argparse.Namespace):
        self.table = table
        self.values = table.values
        self.options = options
        self.convention = CONVENTIONS[options.convention]
        self.threshold = (
            options.threshold if options.threshold is not None else self.convention.threshold
        )

    @property
    def rca(self) -> np.ndarray:
        return metrics.rca(self.values)

    @property
    def rpop(self) -> np.ndarray:
        return metrics.rpop(self.values, _required_pop(self))

    @property
    def levels(self) -> np.ndarray:
        """The values behind continuous proximity and its density: RPOP when presence is tested
        on it (as Stata ecomplexity), else RCA."""
        return self.rpop if self.options.presence_test in {"rpop", "both"} else self.rca

    @property
    def presence(self) -> np.ndarray:
        if self.options.presence:
            if not np.isin(self.values, (0, 1)).all():
                raise matrix_io.MatrixError("--presence: the input must hold only 0 and 1")
            return self.values
        strict = self.convention.strict
        test = self.options.presence_test
        by_rca = metrics.presence(self.rca, self.threshold, strict=strict)
        if test == "rca":
            return by_rca
        by_rpop = metrics.presence(self.rpop, self.options.rpop_threshold, strict=strict)
        return by_rpop if test == "rpop" else np.maximum(by_rca, by_rpop)

    def population(self) -> np.ndarray | None:
        if self.options.pop is None:
            return None
        return matrix_io.read_vector(self.options.pop, self.table.rows, "population")

    def co_occurrence(self) -> np.ndarray:
        return metrics.co_occurrence(self.presence.T)

    def proximity(self) -> np.ndarray:
        kind: ProximityKind = self.options.method or "symmetric"
        if kind not in {"symmetric", "asymmetric", "continuous"}:
            raise matrix_io.MatrixError(
                "--method for proximity: symmetric, asymmetric or continuous"
            )
        return metrics.proximity(
            self.presence, kind, diagonal=self.convention.proximity_diagonal, rca_matrix=self.levels
        )

    def outlook(self) -> metrics.Complexity:
        """Complexity with density, COI and COG on the product space chosen by --method."""
        kind: ProximityKind = self.options.method or "symmetric"
        if kind not in {"symmetric", "asymmetric", "continuous"}:
            raise matrix_io.MatrixError("--method for coi/cog: symmetric, asymmetric or continuous")
        return metrics.complexity(
            self.presence,
            self.convention,
            proximity_kind=kind,
            rca_matrix=self.levels if kind == "continuous" else None,
            knn=self.knn(),
        )

    def knn(self) -> int | None:
        knn = self.options.knn
        if knn is not None and not 1 <= knn <= self.values.shape[1]:
            raise matrix_io.MatrixError(
                f"--knn must be between 1 and the number of industries ({self.values.shape[1]})"
            )
        return knn

    def complexity(self, side: Literal["region", "industry"]) -> np.ndarray:
        method = self.options.method or "eigenvector"
        steps = self.options.steps or 20
        if method == "eigenvector":
            eci, pci = metrics.complexity_indices(self.presence, self.convention)
            return eci if side == "region" else pci
        if method in {"reflections", "fitness"}:
            m = self.presence
            if (m.sum(axis=1) == 0).any() or (m.sum(axis=0) == 0).any():
                raise matrix_io.MatrixError(
                    f"--method {method}: every region and industry needs at least one presence"
                )
            pair = (
                metrics.complexity_reflections(m, steps)
                if method == "reflections"
                else metrics.fitness_complexity(m, steps)
            )
            return pair[0] if side == "region" else pair[1]
        raise matrix_io.MatrixError("--method for eci/pci: eigenvector, reflections or fitness")

    def after(self) -> np.ndarray:
        if self.options.after is None:
            raise matrix_io.MatrixError("entry and exit need the later period: --after FILE")
        later = _aligned(
            matrix_io.read_matrix(
                self.options.after, long=self.options.long, year=self.options.year
            ),
            self.table,
        )
        if self.options.presence:
            return later
        rca = metrics.rca(later)
        return metrics.presence(rca, self.threshold, strict=self.convention.strict)


def _relatedness_method(run: Run) -> RelatednessMethod:
    method = run.options.method or "prob"
    if method not in {"prob", "association", "cosine", "jaccard"}:
        raise matrix_io.MatrixError(
            "--method for relatedness: prob, association, cosine or jaccard"
        )
    return method  # type: ignore[return-value]  # checked against the literals just above


def _lq(run: Run) -> np.ndarray:
    if run.options.binary:
        return metrics.presence(run.rca, run.threshold, strict=run.convention.strict)
    return run.rca


METRICS: dict[str, Metric] = {
    "lq": Metric("matrix", "location quotient (Balassa RCA); --binary for 0/1", _lq),
    "rca": Metric(
        "matrix",
        "revealed comparative advantage (= lq; EconGeo's RCA rounds to 2 dp); --binary for 0/1",
        _lq,
        econgeo_decimals=lambda options: None if options.binary else 2,
    ),
    "rpop": Metric(
        "matrix",
        "RCA per inhabitant; needs --pop",
        lambda r: r.rpop,
    ),
    "presence": Metric(
        "matrix",
        "0/1 presence by the convention's rule (--presence-test, --threshold)",
        lambda r: r.presence,
    ),
    "shares": Metric(
        "matrix", "share of each industry in its region", lambda r: metrics.shares(r.values)
    ),
    "diversity": Metric(
        "region", "number of industries present", lambda r: metrics.diversity(r.presence)
    ),
    "ubiquity": Metric(
        "industry", "number of regions where present", lambda r: metrics.ubiquity(r.presence)
    ),
    "krugman": Metric(
        "region", "Krugman specialisation index", lambda r: metrics.krugman_index(r.values)
    ),
    "specialisation-coefficient": Metric(
        "region", "half the Krugman index", lambda r: metrics.specialisation_coefficient(r.values)
    ),
    "hachman": Metric("region", "Hachman index", lambda r: metrics.hachman(r.values)),
    "herfindahl": Metric(
        "region",
        "Herfindahl index of the region's industry shares",
        lambda r: metrics.herfindahl(r.values),
    ),
    "entropy": Metric(
        "region",
        "Shannon entropy (bits) of industry shares",
        lambda r: metrics.entropy(r.values),
        econgeo_decimals=lambda options: 3,
    ),
    "hoover": Metric(
        "industry",
        "Hoover index ×100 (against --pop, else uniform)",
        lambda r: metrics.hoover_index(r.values, r.population()),
        econgeo_decimals=lambda options: 2,
    ),
    "gini": Metric(
        "industry",
        "Gini of each industry over regions",
        lambda r: metrics.gini(r.values),
        econgeo_decimals=lambda options: 3,
    ),
    "locational-gini": Metric(
        "industry", "locational Gini (0–0.5)", lambda r: metrics.locational_gini(r.values)
    ),
    "hoover-gini": Metric(
        "industry",
        "Hoover-Gini against population; needs --pop",
        lambda r: metrics.hoover_gini(r.values, _required_pop(r)),
        econgeo_decimals=lambda options: 3,
    ),
    "co-occurrence": Metric(
        "square", "industries co-present in regions (MᵀM, diagonal 0)", lambda r: r.co_occurrence()
    ),
    "relatedness": Metric(
        "square",
        "normalised co-occurrence; --method prob|association|cosine|jaccard",
        lambda r: metrics.relatedness(r.co_occurrence(), _relatedness_method(r)),
    ),
    "proximity": Metric(
        "square",
        "product-space proximity; --method symmetric|asymmetric|continuous",
        lambda r: r.proximity(),
    ),
    "density": Metric(
        "matrix",
        "density around each industry (product space); --knn nearest industries only",
        lambda r: metrics.density(
            r.levels if r.options.method == "continuous" else r.presence,
            r.proximity(),
            r.convention.density_includes_self,
            knn=r.knn(),
        ),
    ),
    "relatedness-density": Metric(
        "matrix",
        "relatedness density ×100 (relatedness of co-occurrence); --part all|int|ext",
        lambda r: metrics.relatedness_density(
            r.presence, metrics.relatedness(r.co_occurrence(), "prob"), r.options.part
        ),
        econgeo_decimals=lambda options: 2 if options.part == "all" else 0,
    ),
    "eci": Metric(
        "region",
        "economic complexity; --method eigenvector|reflections|fitness",
        lambda r: r.complexity("region"),
    ),
    "pci": Metric(
        "industry",
        "product complexity; --method eigenvector|reflections|fitness",
        lambda r: r.complexity("industry"),
    ),
    "fitness": Metric(
        "region",
        "fitness (Tacchella et al.); --steps iterations",
        lambda r: metrics.fitness_complexity(r.presence, r.options.steps or 20)[0],
    ),
    "kci": Metric(
        "region", "EconGeo's knowledge complexity index", lambda r: metrics.kci_econgeo(r.presence)
    ),
    "tci": Metric(
        "industry",
        "EconGeo's technological complexity index",
        lambda r: metrics.tci_econgeo(r.presence),
    ),
    "morc": Metric(
        "region",
        "method of reflections, regions (EconGeo MORc; --steps, default 20)",
        lambda r: metrics.method_of_reflections(r.presence, r.options.steps or 20)[0],
    ),
    "mort": Metric(
        "industry",
        "method of reflections, industries (EconGeo MORt; --steps, default 19)",
        lambda r: metrics.method_of_reflections(r.presence, r.options.steps or 19)[1],
    ),
    "coi": Metric(
        "region",
        "complexity outlook index; --method symmetric|asymmetric|continuous product space, --knn",
        lambda r: r.outlook().coi,
    ),
    "cog": Metric(
        "matrix",
        "complexity outlook gain; --method symmetric|asymmetric|continuous product space",
        lambda r: r.outlook().cog,
    ),
    "entry": Metric(
        "matrix",
        "1 = industry appeared by --after (NaN where already present)",
        lambda r: metrics.entry_matrix(r.presence, r.after()),
    ),
    "exit": Metric(
        "matrix",
        "1 = industry gone by --after (NaN where absent before)",
        lambda r: metrics.exit_matrix(r.presence, r.after()),
    ),
}


def _required_pop(run: Run) -> np.ndarray:
    population = run.population()
    if population is None:
        raise matrix_io.MatrixError(
            "--pop FILE (region,population) is needed by this metric and by --presence-test rpop/both"
        )
    return population


def _aligned(later: LabelledMatrix, table: LabelledMatrix) -> np.ndarray:
    """The later period's values on the first period's rows and columns (0 where it lacks one)."""
    rows = {label: index for index, label in enumerate(later.rows)}
    columns = {label: index for index, label in enumerate(later.columns)}
    aligned = np.zeros_like(table.values)
    row_pairs = [(i, rows[label]) for i, label in enumerate(table.rows) if label in rows]
    column_pairs = [
        (j, columns[label]) for j, label in enumerate(table.columns) if label in columns
    ]
    if row_pairs and column_pairs:
        ours, theirs = (np.array(pair) for pair in zip(*row_pairs, strict=True))
        our_columns, their_columns = (np.array(pair) for pair in zip(*column_pairs, strict=True))
        aligned[np.ix_(ours, our_columns)] = later.values[np.ix_(theirs, their_columns)]
    return aligned


def _labelled(run: Run, name: str, result: np.ndarray) -> LabelledMatrix:
    shape = METRICS[name].shape
    table = run.table
    if shape == "matrix":
        return matrix_io.LabelledMatrix(result, table.rows, table.columns, table.name)
    if shape == "square":
        return matrix_io.LabelledMatrix(result, table.columns, table.columns, "industry")
    labels = table.rows if shape == "region" else table.columns
    if len(result) != len(labels):  # engines that drop empty rows/columns
        kept = run.presence.sum(axis=1 if shape == "region" else 0) > 0
        labels = [label for label, keep in zip(labels, kept.tolist(), strict=True) if keep]
    return matrix_io.LabelledMatrix(
        result.reshape(-1, 1), labels, [name], table.name if shape == "region" else "industry"
    )


def build_parser() -> argparse.ArgumentParser:
    listing = "\n".join(f"  {name:<27} {metric.help}" for name, metric in METRICS.items())
    parser = argparse.ArgumentParser(
        prog="atclusters metrics",
        description="Compute a regional specialisation, relatedness or complexity metric from a "
        "CSV of values (rows = regions, columns = industries). See docs/methodology.md.",
        epilog=f"metrics:\n{listing}\n\nconventions: {', '.join(CONVENTIONS)}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "metric", choices=sorted(METRICS), metavar="METRIC", help="one of the metrics below"
    )
    parser.add_argument(
        "input",
        type=Path,
        metavar="INPUT",
        help="CSV or Parquet (.parquet) matrix, or a long table with --long",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        help="CSV, or Parquet when it ends in .parquet, to write (default: CSV on standard output)",
    )
    parser.add_argument(
        "--long", action="store_true", help="INPUT has columns region,industry,value[,year]"
    )
    parser.add_argument("--year", help="with --long: the year to use when the file holds several")
    parser.add_argument(
        "--convention",
        choices=sorted(CONVENTIONS),
        default="econgeo",
        help="whose conventions to follow (default econgeo)",
    )
    parser.add_argument(
        "--no-round",
        action="store_true",
        help="econgeo: full precision where EconGeo rounds (rca, entropy, gini, hoover, "
        "hoover-gini, relatedness-density)",
    )
    parser.add_argument("--threshold", type=float, help="RCA threshold for presence (default 1)")
    parser.add_argument("--binary", action="store_true", help="lq/rca: output 0/1 presence")
    parser.add_argument(
        "--presence-test",
        choices=["rca", "rpop", "both"],
        default="rca",
        help="presence from RCA (default), from RPOP (needs --pop), or either of the two",
    )
    parser.add_argument(
        "--rpop-threshold", type=float, default=1.0, help="RPOP threshold for presence (default 1)"
    )
    parser.add_argument("--presence", action="store_true", help="INPUT already is a 0/1 matrix")
    parser.add_argument("--method", help="relatedness, proximity or complexity method")
    parser.add_argument(
        "--part",
        choices=["all", "int", "ext"],
        default="all",
        help="relatedness-density: all industries, those present (int) or absent (ext)",
    )
    parser.add_argument("--steps", type=int, help="iterations for morc/mort/fitness/reflections")
    parser.add_argument(
        "--knn", type=int, help="density/coi: only each industry's K nearest industries count"
    )
    parser.add_argument(
        "--pop", type=Path, help="CSV region,population (rpop, hoover, hoover-gini)"
    )
    parser.add_argument("--after", type=Path, help="entry/exit: the later period's INPUT")
    return parser


def _result(run: Run, name: str) -> np.ndarray:
    result = np.asarray(METRICS[name].compute(run), dtype=np.float64)
    decimals = METRICS[name].econgeo_decimals(run.options)
    if run.convention.rounds_outputs and not run.options.no_round and decimals is not None:
        return metrics.round_half_even(result, decimals)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    options = parser.parse_args(argv)
    try:
        run = Run(
            matrix_io.read_matrix(options.input, long=options.long, year=options.year), options
        )
        with np.errstate(all="ignore"):
            result = _labelled(run, options.metric, _result(run, options.metric))
        if options.output is not None and matrix_io.is_parquet(options.output):
            matrix_io.write_parquet(result, options.output)
            return 0
    except matrix_io.MatrixError as error:
        print(f"atclusters metrics: {options.input}: {error}", file=sys.stderr)
        return 2
    content = matrix_io.csv_bytes(result)
    if options.output is not None:
        options.output.write_bytes(content)
    elif hasattr(sys.stdout, "buffer"):
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(content.decode("utf-8"))
    return 0
