"""Numbers as the reader's locale writes them, in tables and charts alike: separators, percent
signs, and "no data" where a figure only looks like one."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()

NBSP = "\u00a0"


def number(value: float, digits: int | None = None) -> str:
    """`value` with the locale's separators; `digits` decimals, or three significant digits
    below 100 and none above."""
    if digits is None:
        if abs(value) >= 100:
            digits = 0
        else:
            return number_format(Decimal(f"{value:.3g}"), use_l10n=True, force_grouping=True)
    return number_format(round(value, digits), digits, use_l10n=True, force_grouping=True)


def percent(share: float, digits: int = 1) -> str:
    """A share (0.069) as a percentage ("6,9 %" in Spanish; a space before %, as the SI and
    the languages of the platform write it)."""
    return f"{number(share * 100, digits)}{NBSP}%"


def is_no_data(growth: float | None) -> bool:
    """A yearly growth of -100 % means the last year has no employment at all: for a region's
    category that is a series that stopped being published (or was suppressed), not a category
    that vanished, so it is shown as no data rather than as a fall."""
    return growth is None or growth <= -1


@register.filter
def as_percent(share: float | None, digits: int = 1) -> str:
    return "—" if share is None else percent(float(share), int(digits))


@register.filter
def growth_percent(growth: float | None) -> str:
    """Yearly growth as a percentage ("1,2 %"), "no data" where there is none."""
    return _("no data") if is_no_data(growth) else percent(float(growth))  # type: ignore[arg-type]


@register.filter
def localised_number(value: float | None, digits: int | None = None) -> str:
    return "—" if value is None else number(float(value), digits)


def count_text(count: int | None, min_group: int) -> str:
    """A count as `smallcells.shown_count` gives it, in words: None (a group too small to
    show its size) is "fewer than 5"."""
    if count is None:
        return _("fewer than %(count)s") % {"count": min_group}
    return number_format(count, use_l10n=True, force_grouping=True)


@register.filter
def count_shown(count: int | None, min_group: int) -> str:
    return count_text(count, int(min_group))
