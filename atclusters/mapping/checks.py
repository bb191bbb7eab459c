"""Startup checks of the cluster-mapping settings: a mistyped threshold fails loudly."""

from dataclasses import fields

from django.conf import settings
from django.core.checks import Error, register

from atclusters.mapping.ratings import Thresholds


@register()
def rating_thresholds_check(app_configs, **kwargs) -> list[Error]:
    known = {field.name for field in fields(Thresholds)}
    errors = [
        Error(
            f"MAPPING_RATING_THRESHOLDS: unknown threshold {name!r}",
            hint=f"use some of {', '.join(sorted(known))}",
            id="mapping.E001",
        )
        for name in settings.MAPPING_RATING_THRESHOLDS
        if name not in known
    ]
    errors += [
        Error(f"MAPPING_RATING_THRESHOLDS: {name} must be a number", id="mapping.E002")
        for name, value in settings.MAPPING_RATING_THRESHOLDS.items()
        if name in known and (isinstance(value, bool) or not isinstance(value, int | float))
    ]
    if not 1 <= settings.MAPPING_GROWTH_YEARS <= 30:
        errors.append(Error("MAPPING_GROWTH_YEARS must be 1 to 30", id="mapping.E003"))
    return errors
