"""Startup checks of the matching settings: a mistyped signal, a negative weight or a semantic
model that cannot be read fails loudly."""

from dataclasses import fields

from django.conf import settings
from django.core.checks import Error, register

from atclusters.cooperation.matching import Weights
from atclusters.cooperation.selectors import embedder
from atclusters.cooperation.semantic import ModelError


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


@register()
def semantic_model_check(app_configs, **kwargs) -> list[Error]:
    try:
        embedder()
    except ModelError as error:
        return [
            Error(
                f"COOPERATION_SEMANTIC_MODEL: {error}",
                hint='leave it empty, set "wordllama" or a Model2Vec directory',
                id="cooperation.E003",
            )
        ]
    return []
