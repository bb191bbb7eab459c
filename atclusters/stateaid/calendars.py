"""Calendars of the Member States: working days, for the central-register deadline (Art. 6(2) of
2023/2831: 20 working days after the grant). Public holidays come from the `holidays` package
(national holidays; regional ones are not counted); and the fiscal years of the old regulations."""

from datetime import date
from functools import lru_cache

import holidays

from atclusters.stateaid import rules

# The EU writes Greece EL; ISO 3166 and the holidays package write GR.
ISO_CODES = {"EL": "GR"}


@lru_cache(maxsize=256)
def public_holidays(member_state: str, year: int) -> frozenset[date]:
    code = ISO_CODES.get(member_state, member_state)
    return frozenset(holidays.country_holidays(code, years=year))


def report_deadline(member_state: str, grant_date: date) -> date:
    closed = public_holidays(member_state, grant_date.year) | public_holidays(
        member_state, grant_date.year + 1
    )
    return rules.working_days_after(grant_date, rules.REPORTING_WORKING_DAYS, closed)


@lru_cache(maxsize=16)
def fiscal_year_starts(setting: str) -> dict[str, tuple[int, int]]:
    """The fiscal years the installation declares, from STATEAID_FISCAL_YEAR_STARTS:
    comma-separated `MS=MM-DD` (e.g. `XX=04-01`). Raises ValueError naming the bad item."""
    starts = {}
    for item in filter(None, (part.strip() for part in setting.split(","))):
        state, _, start = item.partition("=")
        try:
            month, day = (int(part) for part in start.split("-"))
            date(2001, month, day)  # a real day in a year without 29 February
            starts[rules.member_state_code(state)] = (month, day)
        except ValueError as error:
            raise ValueError(f"{item!r}: write MS=MM-DD, e.g. XX=04-01 ({error})") from error
    return starts


def fiscal_year_starts_on(member_state: str, setting: str) -> tuple[int, int]:
    """(month, day) on which the Member State's fiscal year begins, for the "three fiscal
    years" of 1407/2013, 360/2012, 717/2014 and 1408/2013 before their amendments: the
    calendar year unless the installation says otherwise (STATEAID_FISCAL_YEAR_STARTS)."""
    return fiscal_year_starts(setting).get(member_state, rules.CALENDAR_YEAR)
