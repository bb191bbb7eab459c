"""Dates shown to people in the format of their language (DATE/SHORT_DATE_FORMAT per locale,
day before month in English too); ISO dates stay where programs read them."""

import re
from datetime import date
from pathlib import Path

import pytest

import atclusters
from tests.factories import ClusterFactory

TEMPLATES = Path(atclusters.__file__).parent
# A template compares ISO strings (not a display): the one place a template keeps "Y-m-d".
COMPARISONS = {"stateaid/templates/stateaid/_check_result.html"}


def test_no_template_shows_an_iso_date():
    shown = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(r'date:"Y-m(-d)?( H:i(:s)?)?"', path.read_text(encoding="utf-8"))
    ]
    assert [path for path in shown if path not in COMPARISONS] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "05/03/2024 – 04/03/2028"), ("es", "05/03/2024 – 04/03/2028"),
     ("fr", "05/03/2024 – 04/03/2028"), ("gl", "05-03-2024 – 04-03-2028"),
     ("pt", "05/03/2024 – 04/03/2028")],
)  # fmt: skip
def test_a_label_date_in_the_reader_format(client, language, shown):
    ClusterFactory(
        slug="dated", label="gold", label_date=date(2024, 3, 5), label_expiry=date(2028, 3, 4)
    )
    body = client.get(f"/{language}/clusters/dated/").text
    assert shown in body and "2024-03-05" not in body
