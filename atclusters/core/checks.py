"""Shared start-up checks: settings that override the numbers of a dataclass by name."""

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from django.core.checks import Error


def number_overrides_errors(
    setting: str,
    overrides: Mapping[str, Any],
    defaults: type,
    app: str,
    *,
    word: str,
    minimum: float | None = None,
) -> list[Error]:
    """`{app}.E001` for a name that `defaults` (a dataclass) does not have, `{app}.E002` for a
    value that is not a number (or is below `minimum`)."""
    known = {field.name for field in fields(defaults)}
    errors = [
        Error(
            f"{setting}: unknown {word} {name!r}",
            hint=f"use some of {', '.join(sorted(known))}",
            id=f"{app}.E001",
        )
        for name in overrides
        if name not in known
    ]
    requirement = "a number" if minimum is None else f"a number from {minimum:g}"
    errors += [
        Error(f"{setting}: {name} must be {requirement}", id=f"{app}.E002")
        for name, value in overrides.items()
        if name in known
        and (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (minimum is not None and value < minimum)
        )
    ]
    return errors
