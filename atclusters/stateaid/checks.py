"""Startup check of the state-aid settings."""

from django.conf import settings
from django.core.checks import Error, register

LEAP_DAY_RULES = ("feb28", "mar1")


@register()
def leap_day_check(app_configs, **kwargs) -> list[Error]:
    if settings.STATEAID_LEAP_DAY in LEAP_DAY_RULES:
        return []
    return [
        Error(
            f"STATEAID_LEAP_DAY: {settings.STATEAID_LEAP_DAY!r} is not a leap-day rule",
            hint=f"use {' or '.join(LEAP_DAY_RULES)}",
            id="stateaid.E001",
        )
    ]
