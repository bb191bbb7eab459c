"""Startup checks of the cluster-mapping settings: a mistyped threshold fails loudly."""

from django.conf import settings
from django.core.checks import Error, register

from atclusters.core.checks import number_overrides_errors
from atclusters.mapping.ratings import Thresholds


@register()
def rating_thresholds_check(app_configs, **kwargs) -> list[Error]:
    errors = number_overrides_errors(
        "MAPPING_RATING_THRESHOLDS",
        settings.MAPPING_RATING_THRESHOLDS,
        Thresholds,
        "mapping",
        word="threshold",
    )
    if not 1 <= settings.MAPPING_GROWTH_YEARS <= 30:
        errors.append(Error("MAPPING_GROWTH_YEARS must be 1 to 30", id="mapping.E003"))
    return errors
