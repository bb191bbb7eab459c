"""Each domain's part of the role × endpoint table, one module per domain here, so that a new
domain adds its rows without touching the others'. A module may define:

    ROWS                 rows in the format of `tests.security.table.ROWS`
    build(w)             objects the domain's endpoints need, on top of the table's world; returns
                         a dict of name -> object, read back as `w.<name>`
    by_parameter(w)      values of URL parameters (as `calls.by_parameter`)
    by_endpoint(w)       arguments per row (as `calls.by_endpoint`)
    writes(w)            body and probe per write row (as `calls.writes`)

The parts are merged into one dictionary each, and a key two domains give different values is
refused, not silently overridden: `by_parameter` is checked when the tests are collected (with
a stand-in world whose values are the expressions that read them), every part when it is merged.
"""

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from types import ModuleType


def modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"{__name__}.{module.name}")
        for module in pkgutil.iter_modules(__path__)
    ]


class Clash(Exception):
    """Two sources give one key different values."""


def merged_from(sources: Iterable[tuple[str, dict]], part: str) -> dict:
    """The sources' dictionaries in one; a key given twice must have the same value."""
    result: dict = {}
    given_by: dict[object, str] = {}
    for name, values in sources:
        for key, value in values.items():
            if key in result and result[key] != value:
                raise Clash(
                    f"{part}: {key!r} is {result[key]!r} in {given_by[key]} and {value!r} in "
                    f"{name}; give the endpoint its own value in by_endpoint instead"
                )
            result[key] = value
            given_by.setdefault(key, name)
    return result


def parts(part: str) -> list[tuple[str, Callable[..., dict]]]:
    return [
        (module.__name__.rsplit(".", 1)[-1], getattr(module, part))
        for module in modules()
        if hasattr(module, part)
    ]


def merged(part: str, *arguments: object, base: dict | None = None) -> dict:
    """Every domain's `part`, then `base` (the shared table's own), refusing any clash."""
    sources = [(name, function(*arguments)) for name, function in parts(part)]
    return merged_from([*sources, ("tests/security/calls.py", base or {})], part)


class Expression:
    """A stand-in for the world, read without a database: `w.funding_call_row.pk` is the
    expression "w.funding_call_row.pk", equal only to the same expression."""

    def __init__(self, text: str = "w"):
        self._text = text

    def __getattr__(self, name: str) -> "Expression":
        return Expression(f"{self._text}.{name}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expression) and other._text == self._text

    def __hash__(self) -> int:
        return hash(self._text)

    def __repr__(self) -> str:
        return self._text


def rows() -> str:
    return "\n".join(getattr(module, "ROWS", "") for module in modules())
