"""Startup check of the matching weights: a mistyped signal or a negative weight fails loudly."""

from dataclasses import fields

from django.conf import settings
from django.core.checks import Error, register

from atclusters.cooperation.matching import Weights


@register()
def matching_weights_check(app_configs, **kwargs) -> list[Error]:
    known = {field.name for field in fields(Weights)}
    errors = [
        Error(
            f"COOPERATION_WEIGHTS: unknown signal {name!r}",
            hint=f"use some of {', '.join(sorted(known))}",
            id="cooperation.E001",
        )
        for name in settings.COOPERATION_WEIGHTS
        if name not in known
    ]
    errors += [
        Error(f"COOPERATION_WEIGHTS: {name} must be a number from 0", id="cooperation.E002")
        for name, value in settings.COOPERATION_WEIGHTS.items()
        if name in known
        and (isinstance(value, bool) or not isinstance(value, int | float) or value < 0)
    ]
    return errors
