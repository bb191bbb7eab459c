"""Startup checks of the matching settings: a mistyped signal, a negative weight (of either
question) or a semantic model that cannot be read fails loudly."""

from django.conf import settings
from django.core.checks import Error, register

from atclusters.cooperation.matching import Weights
from atclusters.cooperation.selectors import embedder
from atclusters.cooperation.semantic import ModelError
from atclusters.cooperation.synergy import RegionWeights
from atclusters.core.checks import number_overrides_errors


@register()
def matching_weights_check(app_configs, **kwargs) -> list[Error]:
    return number_overrides_errors(
        "COOPERATION_WEIGHTS",
        settings.COOPERATION_WEIGHTS,
        Weights,
        "cooperation",
        word="signal",
        minimum=0,
    )


@register()
def region_weights_check(app_configs, **kwargs) -> list[Error]:
    return number_overrides_errors(
        "COOPERATION_REGION_WEIGHTS",
        settings.COOPERATION_REGION_WEIGHTS,
        RegionWeights,
        "cooperation",
        word="signal",
        minimum=0,
    )


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
