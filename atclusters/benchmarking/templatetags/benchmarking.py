from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def figure(value: float | int | str | None) -> str:
    """A number with at most two decimals and no trailing zeros, in the reader's locale:
    52.5, 1,250, 0.33; anything else as it is."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    rounded = Decimal(str(round(float(value), 2))).normalize()
    places = max(0, -rounded.as_tuple().exponent)  # type: ignore[operator]
    return formats.number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def percent(share: float | None) -> str:
    """A share (0–1) as a percentage with at most one decimal: 0.8 → 80, 0.7917 → 79.2."""
    return "" if share is None else figure(round(100 * share, 1))
