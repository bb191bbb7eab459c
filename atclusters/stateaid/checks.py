"""Startup checks of the state-aid settings."""

from django.conf import settings
from django.core.checks import Error, register

from atclusters.stateaid.calendars import fiscal_year_starts
from atclusters.stateaid.rules import WINDOW_STARTS

LEAP_DAY_RULES = ("feb28", "mar1")


@register()
def window_rules_check(app_configs, **kwargs) -> list[Error]:
    errors = []
    if settings.STATEAID_LEAP_DAY not in LEAP_DAY_RULES:
        errors.append(
            Error(
                f"STATEAID_LEAP_DAY: {settings.STATEAID_LEAP_DAY!r} is not a leap-day rule",
                hint=f"use {' or '.join(LEAP_DAY_RULES)}",
                id="stateaid.E001",
            )
        )
    if settings.STATEAID_WINDOW_START not in WINDOW_STARTS:
        errors.append(
            Error(
                f"STATEAID_WINDOW_START: {settings.STATEAID_WINDOW_START!r} is not a start rule",
                hint=f"use {' or '.join(WINDOW_STARTS)}",
                id="stateaid.E002",
            )
        )
    try:
        fiscal_year_starts(settings.STATEAID_FISCAL_YEAR_STARTS)
    except ValueError as error:
        errors.append(
            Error(
                f"STATEAID_FISCAL_YEAR_STARTS: {error}",
                hint="comma-separated Member State=MM-DD, e.g. XX=04-01",
                id="stateaid.E003",
            )
        )
    return errors
