"""Estimates for unpublished (confidential or missing) cells, by the European Cluster
Observatory's method: take the nearest published parent in the industry hierarchy, subtract
its published children, and split what is left equally among the children without a value.

Works top-down, so a missing parent is estimated before its own children use it. Children of
a code are the codes in the file whose nearest ancestor in the file is that code (a file may
skip levels). The children in the file are taken as the complete set: industries the file does
not list at all are assumed to hold nothing. A negative remainder (published children larger
than the parent, as rounding can make them) leaves nothing to split: the estimates are 0.
Pure Python; `parents` maps each NACE code to its parent (sections to "TOTAL").
"""

from collections import defaultdict
from dataclasses import replace

from atclusters.mapping.statfiles import Observation


def _depth(code: str, parents: dict[str, str]) -> int:
    depth = 0
    while code in parents:
        code, depth = parents[code], depth + 1
    return depth


def _nearest_present(code: str, present: set[str], parents: dict[str, str]) -> str | None:
    ancestor = parents.get(code)
    while ancestor is not None and ancestor not in present:
        ancestor = parents.get(ancestor)
    return ancestor


def impute(observations: list[Observation], parents: dict[str, str]) -> list[Observation]:
    """The observations with their missing values estimated and marked `imputed` (flags kept)."""
    cells: dict[tuple[str, int, str], dict[str, Observation]] = defaultdict(dict)
    for observation in observations:
        key = (observation.region, observation.year, observation.measure)
        cells[key][observation.industry] = observation
    result: list[Observation] = []
    for by_code in cells.values():
        in_hierarchy = {code for code in by_code if code in parents or code == "TOTAL"}
        children: dict[str, list[str]] = defaultdict(list)
        for code in in_hierarchy - {"TOTAL"}:
            parent = _nearest_present(code, in_hierarchy, parents)
            if parent is not None:
                children[parent].append(code)
        for parent in sorted(children, key=lambda code: _depth(code, parents)):
            value = by_code[parent].value
            missing = [code for code in children[parent] if by_code[code].value is None]
            if value is None or not missing:
                continue
            published = sum(
                by_code[code].value or 0.0 for code in children[parent] if code not in missing
            )
            share = max(value - published, 0.0) / len(missing)
            for code in missing:
                by_code[code] = replace(by_code[code], value=share, imputed=True)
        result.extend(by_code.values())
    return result
