"""Working days of the Member States, for the central-register deadline (Art. 6(2) of
2023/2831: 20 working days after the grant). Public holidays come from the `holidays` package
(national holidays; regional ones are not counted)."""

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
