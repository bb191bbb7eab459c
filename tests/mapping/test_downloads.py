"""Every "download table" of the statistics pages goes through the one export writer (issue 16):
names a spreadsheet would run are neutralised, amounts are plain decimals."""

import io
from decimal import Decimal

import openpyxl
from django.test import RequestFactory

from atclusters.mapping.downloads import download

ROWS = [{"name": "=1+1", "employment": Decimal("1.2E+5"), "lq": 2.5e-7}]


def table():
    return ["name", "employment", "lq"], ROWS


def test_csv_and_xlsx_tables_neutralise_formulas_and_write_plain_numbers():
    request = RequestFactory().get("/", {"download": "csv", "table": "figures"})
    csv_file = download(request, "ES11", {"figures": table}, {})
    assert csv_file is not None
    assert csv_file.content.decode().splitlines() == [
        "name,employment,lq",
        "'=1+1,120000,0.00000025",
    ]
    request = RequestFactory().get("/", {"download": "xlsx", "table": "figures"})
    xlsx_file = download(request, "ES11", {"figures": table}, {})
    assert xlsx_file is not None
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_file.content)).active
    assert (sheet["A2"].data_type, sheet["A2"].value, sheet["B2"].value) == ("s", "=1+1", 120000)
