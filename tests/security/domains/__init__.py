"""Each domain's part of the role × endpoint table, one module per domain here, so that a new
domain adds its rows without touching the others'. A module may define:

    ROWS                 rows in the format of `tests.security.table.ROWS`
    build(w)             objects the domain's endpoints need, on top of the table's world; returns
                         a dict of name -> object, read back as `w.<name>`
    by_parameter(w)      values of URL parameters (as `calls.by_parameter`)
    by_endpoint(w)       arguments per row (as `calls.by_endpoint`)
    writes(w)            body and probe per write row (as `calls.writes`)
"""

import importlib
import pkgutil
from types import ModuleType


def modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"{__name__}.{module.name}")
        for module in pkgutil.iter_modules(__path__)
    ]


def merged(part: str, *arguments: object) -> dict:
    result: dict = {}
    for module in modules():
        if hasattr(module, part):
            result.update(getattr(module, part)(*arguments))
    return result


def rows() -> str:
    return "\n".join(getattr(module, "ROWS", "") for module in modules())
