"""The register's exports (issue 16): amounts in plain decimal notation, never `1.2E+5`, and
text that a spreadsheet would run as a formula neutralised (CSV) or written as text (XLSX)."""

import csv
import io
from datetime import date

import openpyxl
import pytest

from atclusters.stateaid import documents, selectors
from tests.factories import grant_recorded, undertaking_recorded

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","Pay here")'


@pytest.fixture
def register(world):
    company = undertaking_recorded("B1", FORMULA)
    grant_recorded(company, "R-1", date(2025, 3, 3), "120000.00", purpose="@SUM(1+1)")
    grant_recorded(company, "R-2", date(2025, 4, 4), "120000.50", purpose="-1+2")
    return selectors.export_rows(kind="register", user=world.staff, today=date(2025, 5, 5))


def test_csv_amounts_are_plain_and_formulas_neutralised(register):
    columns, rows = register
    content = documents.write_rows(columns, rows, "csv", root="register", item="grant")
    exported = list(csv.DictReader(io.StringIO(content.decode())))
    assert [row["nominal_amount"] for row in exported] == ["120000", "120000.5"]
    assert [row["gge_eur"] for row in exported] == ["120000", "120000.5"]
    assert [row["beneficiary_name"] for row in exported] == ["'" + FORMULA] * 2
    assert [row["purpose"] for row in exported] == ["'@SUM(1+1)", "'-1+2"]


def test_xlsx_amounts_are_numbers_and_text_is_never_a_formula(register):
    columns, rows = register
    content = documents.write_rows(columns, rows, "xlsx", root="register", item="grant")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    first, second = sheet[2], sheet[3]
    amount = header.index("nominal_amount")
    assert (first[amount].value, second[amount].value) == (120000, 120000.5)
    name = first[header.index("beneficiary_name")]
    assert (name.data_type, name.value) == ("s", FORMULA)
    purpose = second[header.index("purpose")]
    assert (purpose.data_type, purpose.value) == ("s", "-1+2")
