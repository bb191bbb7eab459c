"""Retention: what is past the period the law or the operator sets, counted back from a day;
a report that deletes nothing. State-aid records: 10 years from the date the aid was granted
(Regulation (EU) 2023/2831 Art. 6(4))."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.checks import run_checks
from django.core.management import call_command

from atclusters.core.retention import years_before
from atclusters.stateaid.models import Grant
from tests.factories import grant_recorded, undertaking_recorded


def test_ten_years_before_a_day_and_before_29_february():
    assert years_before(date(2026, 12, 7), 10) == date(2016, 12, 7)
    assert years_before(date(2028, 2, 29), 10) == date(2018, 2, 28)


@pytest.mark.django_db
def test_a_grant_is_past_the_day_after_its_tenth_anniversary_and_nothing_is_deleted(world):
    undertaking = undertaking_recorded("ES-RET")
    grant_recorded(undertaking, "OLD", date(2016, 12, 6), 10_000)  # granted 10 years and a day ago
    grant_recorded(undertaking, "TEN", date(2016, 12, 7), 10_000)  # 10 years ago today: kept
    grant_recorded(undertaking, "NEW", date(2024, 3, 1), 10_000)
    out = StringIO()
    call_command("retention", "--date", "2026-12-07", "--json", stdout=out)
    report = json.loads(out.getvalue())
    grants = next(row for row in report["records"] if row["model"] == "stateaid.Grant")
    assert grants == {
        "model": "stateaid.Grant",
        "what": "state aid grants",
        "years": 10,
        "setting": "STATEAID_RETENTION_YEARS",
        "source": "Regulation (EU) 2023/2831 Art. 6(4); Regulation (EU) 651/2014 Art. 12(1)",
        "before": "2016-12-07",
        "past": 1,
    }
    assert {row["model"] for row in report["records"]} >= {
        "core.AuditEntry",
        "stateaid.Restructuring",
    }
    assert Grant.objects.count() == 3
    text = StringIO()
    call_command("retention", "--date", "2026-12-08", stdout=text)
    assert "state aid grants: 2 dated before 2016-12-08 are past their 10 years" in text.getvalue()


def test_a_bad_day_is_refused_naming_the_option():
    with pytest.raises(Exception, match="--date: '7/12/2026' is not a YYYY-MM-DD day"):
        call_command("retention", "--date", "7/12/2026")


def test_a_period_shorter_than_the_law_is_refused_at_start_up(settings):
    settings.STATEAID_RETENTION_YEARS = 9
    errors = [error for error in run_checks() if error.id == "core.E020"]
    assert [error.msg for error in errors] == [
        "STATEAID_RETENTION_YEARS: 9 years is less than the 10 the records of stateaid.Grant "
        "must be kept"
    ]
