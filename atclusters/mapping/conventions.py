"""The conventions in which the reference engines differ (no NumPy here: the command line builds
its options from these names before it loads anything heavy)."""

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Convention:
    """How an engine turns values into presence and complexity."""

    name: str
    threshold: float = 1.0
    strict: bool = False  # presence is RCA > threshold (True) or RCA >= threshold (False)
    proximity_diagonal: float = 0.0
    density_includes_self: bool = False
    eci_ddof: int = 1
    eci_over: Literal["rows", "locations"] = "rows"  # standardise over c×p rows or over locations
    # A location without any presence, or an industry present nowhere, makes every complexity
    # value of the period missing (Stata: its 0/0 spreads through the matrix algebra) instead of
    # only its own (py-ecomplexity leaves it out).
    empty_spreads: bool = False
    # EconGeo rounds some of its outputs (RCA 2 dp, entropy 3 dp, ...): the engine's outputs are
    # reproduced exactly only with its rounding (docs/methodology.md, "EconGeo's rounding").
    rounds_outputs: bool = False


CONVENTIONS = {
    "econgeo": Convention("econgeo", strict=False, rounds_outputs=True),
    "stata": Convention(
        "stata",
        strict=True,
        proximity_diagonal=0.0,
        density_includes_self=False,
        eci_ddof=1,
        eci_over="rows",
        empty_spreads=True,
    ),
    "ecomplexity": Convention(
        "ecomplexity",
        strict=False,
        proximity_diagonal=1.0,
        density_includes_self=True,
        eci_ddof=0,
        eci_over="locations",
    ),
    "economiccomplexity": Convention("economiccomplexity", strict=False),
}
