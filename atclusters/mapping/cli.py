"""`atclusters metrics`: the metrics library on CSV files, for people and scripts.

Runs without the platform's settings or database. Exit codes: 0 done, 2 bad input or options."""

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from atclusters.core import tables
from atclusters.mapping import metrics
from atclusters.mapping.matrix_io import MatrixError, read_matrix, read_vector

Shape = Literal["matrix", "square", "region", "industry"]
RelatednessMethod = Literal["prob", "association", "cosine", "jaccard"]
ProximityKind = Literal["symmetric", "asymmetric", "continuous"]


@dataclass(frozen=True)
class Metric:
    shape: Shape
    help: str
    compute: Callable[["Run"], np.ndarray]


class Run:
    """One invocation: the input, the options, and what is derived from them once."""

    def __init__(self, values: pd.DataFrame, options: argparse.Namespace):
        self.frame = values
        self.values = values.to_numpy(dtype=float)
        self.options = options
        self.convention = metrics.CONVENTIONS[options.convention]
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
                raise MatrixError("--presence: the input must hold only 0 and 1")
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
        return read_vector(self.options.pop, self.frame.index, "population")

    def co_occurrence(self) -> np.ndarray:
        return metrics.co_occurrence(self.presence.T)

    def proximity(self) -> np.ndarray:
        kind: ProximityKind = self.options.method or "symmetric"
        if kind not in {"symmetric", "asymmetric", "continuous"}:
            raise MatrixError("--method for proximity: symmetric, asymmetric or continuous")
        return metrics.proximity(
            self.presence, kind, diagonal=self.convention.proximity_diagonal, rca_matrix=self.levels
        )

    def outlook(self) -> metrics.Complexity:
        """Complexity with density, COI and COG on the product space chosen by --method."""
        kind: ProximityKind = self.options.method or "symmetric"
        if kind not in {"symmetric", "asymmetric", "continuous"}:
            raise MatrixError("--method for coi/cog: symmetric, asymmetric or continuous")
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
            raise MatrixError(
                f"--knn must be between 1 and the number of industries ({self.values.shape[1]})"
            )
        return knn

    def complexity(self, side: Literal["region", "industry"]) -> np.ndarray:
        method = self.options.method or "eigenvector"
        steps = self.options.steps or 20
        if method == "eigenvector":
            result = metrics.complexity(self.presence, self.convention)
            return result.eci if side == "region" else result.pci
        if method in {"reflections", "fitness"}:
            m = self.presence
            if (m.sum(axis=1) == 0).any() or (m.sum(axis=0) == 0).any():
                raise MatrixError(
                    f"--method {method}: every region and industry needs at least one presence"
                )
            pair = (
                metrics.complexity_reflections(m, steps)
                if method == "reflections"
                else metrics.fitness_complexity(m, steps)
            )
            return pair[0] if side == "region" else pair[1]
        raise MatrixError("--method for eci/pci: eigenvector, reflections or fitness")

    def after(self) -> np.ndarray:
        if self.options.after is None:
            raise MatrixError("entry and exit need the later period: --after FILE")
        later = read_matrix(self.options.after, long=self.options.long, year=self.options.year)
        later = later.reindex(index=self.frame.index, columns=self.frame.columns, fill_value=0.0)
        if self.options.presence:
            return later.to_numpy(dtype=float)
        rca = metrics.rca(later.to_numpy(dtype=float))
        return metrics.presence(rca, self.threshold, strict=self.convention.strict)


def _relatedness_method(run: Run) -> RelatednessMethod:
    method = run.options.method or "prob"
    if method not in {"prob", "association", "cosine", "jaccard"}:
        raise MatrixError("--method for relatedness: prob, association, cosine or jaccard")
    return method  # type: ignore[return-value]  # checked against the literals just above


def _lq(run: Run) -> np.ndarray:
    if run.options.binary:
        return metrics.presence(run.rca, run.threshold, strict=run.convention.strict)
    return run.rca


METRICS: dict[str, Metric] = {
    "lq": Metric("matrix", "location quotient (Balassa RCA); --binary for 0/1", _lq),
    "rca": Metric("matrix", "revealed comparative advantage (= lq); --binary for 0/1", _lq),
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
        "region", "Shannon entropy (bits) of industry shares", lambda r: metrics.entropy(r.values)
    ),
    "hoover": Metric(
        "industry",
        "Hoover index ×100 (against --pop, else uniform)",
        lambda r: metrics.hoover_index(r.values, r.population()),
    ),
    "gini": Metric(
        "industry", "Gini of each industry over regions", lambda r: metrics.gini(r.values)
    ),
    "locational-gini": Metric(
        "industry", "locational Gini (0–0.5)", lambda r: metrics.locational_gini(r.values)
    ),
    "hoover-gini": Metric(
        "industry",
        "Hoover-Gini against population; needs --pop",
        lambda r: metrics.hoover_gini(r.values, _required_pop(r)),
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
        raise MatrixError(
            "--pop FILE (region,population) is needed by this metric and by --presence-test rpop/both"
        )
    return population


def _labelled(run: Run, name: str, result: np.ndarray) -> pd.DataFrame:
    shape = METRICS[name].shape
    frame = run.frame
    if shape == "matrix":
        return pd.DataFrame(result, index=frame.index, columns=frame.columns)
    if shape == "square":
        return pd.DataFrame(
            result, index=pd.Index(frame.columns, name="industry"), columns=frame.columns
        )
    labels = frame.index if shape == "region" else frame.columns
    if len(result) != len(labels):  # engines that drop empty rows/columns
        mask = run.presence.sum(axis=1 if shape == "region" else 0) > 0
        labels = labels[mask]
    axis_name = frame.index.name if shape == "region" else "industry"
    return pd.DataFrame({name: result}, index=pd.Index(labels, name=axis_name))


def build_parser() -> argparse.ArgumentParser:
    listing = "\n".join(f"  {name:<27} {metric.help}" for name, metric in METRICS.items())
    parser = argparse.ArgumentParser(
        prog="atclusters metrics",
        description="Compute a regional specialisation, relatedness or complexity metric from a "
        "CSV of values (rows = regions, columns = industries). See docs/methodology.md.",
        epilog=f"metrics:\n{listing}\n\nconventions: {', '.join(metrics.CONVENTIONS)}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "metric", choices=sorted(METRICS), metavar="METRIC", help="one of the metrics below"
    )
    parser.add_argument(
        "input", type=Path, metavar="INPUT", help="CSV matrix, or long CSV with --long"
    )
    parser.add_argument("-o", "--output", type=Path, help="CSV to write (default: standard output)")
    parser.add_argument(
        "--long", action="store_true", help="INPUT has columns region,industry,value[,year]"
    )
    parser.add_argument("--year", help="with --long: the year to use when the file holds several")
    parser.add_argument(
        "--convention",
        choices=sorted(metrics.CONVENTIONS),
        default="econgeo",
        help="whose conventions to follow (default econgeo)",
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    options = parser.parse_args(argv)
    try:
        frame = read_matrix(options.input, long=options.long, year=options.year)
        run = Run(frame, options)
        with np.errstate(all="ignore"):
            result = _labelled(
                run, options.metric, np.asarray(METRICS[options.metric].compute(run))
            )
    except MatrixError as error:
        print(f"atclusters metrics: {options.input}: {error}", file=sys.stderr)
        return 2
    columns = [str(result.index.name or ""), *map(str, result.columns)]
    rows = [
        dict(zip(columns, [label, *values], strict=True))
        for label, values in zip(result.index, result.itertuples(index=False), strict=True)
    ]
    text = tables.write_table(columns, rows, "csv").decode()
    if options.output:
        options.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
