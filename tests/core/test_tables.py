"""Reading tables within bounds (XLSX bombs, JSON nesting, repeated columns and keys) and the one
export writer (formula neutralisation, numbers in plain decimal notation)."""

import csv
import io
import json
import tracemalloc
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.test import override_settings

from atclusters.core import tables
from atclusters.core.importing import import_limits
from tests import hostile_files

HEADER = {"A": "slug", "B": "name", "C": "country"}
# The reader's own structures stay under a few megabytes; the files below make an unbounded
# reader build hundreds of megabytes (or never finish).
MEMORY_BOUND = 16 * 1024 * 1024


def read_bounded(content: bytes, filename: str) -> tuple[Exception | tuple, int]:
    """What read_table answers, and the peak of memory it allocated on the way."""
    tracemalloc.start()
    try:
        outcome: Exception | tuple = tables.read_table(content, filename, limits=import_limits())
    except tables.TableError as error:
        outcome = error
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return outcome, peak


def test_a_declared_huge_sheet_is_refused_without_building_its_rows():
    bomb = hostile_files.declared_dimension_bomb(HEADER)
    assert len(bomb) < 5000
    outcome, peak = read_bounded(bomb, "clusters.xlsx")
    assert isinstance(outcome, tables.TableError)
    assert str(outcome) == "Row 1048576 has data in column XFD; the limit is 100 columns."
    assert peak < MEMORY_BOUND


@override_settings(IMPORT_MAX_ROWS=2)
def test_rows_past_the_limit_stop_the_reading():
    rows = [hostile_files.inline_row(1, HEADER)] + [
        hostile_files.inline_row(number, {"A": f"c{number}", "B": "Name", "C": "ES"})
        for number in (2, 500, 1000, 1048576)
    ]
    workbook = hostile_files.workbook_archive(
        hostile_files.sheet_xml(rows, dimension="A1:XFD1048576")
    )
    outcome, _peak = read_bounded(workbook, "clusters.xlsx")
    assert str(outcome) == "The sheet has more than 2 rows; the limit is 2."


def test_a_sheet_with_gaps_keeps_its_rows_and_ignores_the_declared_dimension():
    rows = [
        hostile_files.inline_row(1, HEADER),
        hostile_files.inline_row(7, {"A": "far-down", "B": "Far Down", "C": "ES"}),
    ]
    workbook = hostile_files.workbook_archive(
        hostile_files.sheet_xml(rows, dimension="A1:XFD1048576")
    )
    rows_read = tables.read_xlsx(workbook, import_limits())
    assert rows_read == [(1, ["slug", "name", "country"]), (7, ["far-down", "Far Down", "ES"])]


def test_a_part_that_inflates_a_thousand_times_is_refused_before_parsing():
    outcome, peak = read_bounded(hostile_files.inflating_workbook(HEADER), "clusters.xlsx")
    assert isinstance(outcome, tables.TableError)
    assert str(outcome).startswith("The workbook's part xl/worksheets/sheet1.xml inflates 1,0")
    assert str(outcome).endswith(" times; the limit is 100.")
    assert peak < MEMORY_BOUND


@override_settings(IMPORT_MAX_UNPACKED_BYTES=100_000)
def test_an_archive_unpacking_past_the_limit_is_refused():
    workbook = openpyxl.Workbook()
    for number in range(2000):
        workbook.active.append([f"cluster-{number}", f"Cluster {number * 7919 % 10007}", "ES"])  # type: ignore[union-attr]
    buffer = io.BytesIO()
    workbook.save(buffer)
    outcome, _peak = read_bounded(buffer.getvalue(), "clusters.xlsx")
    assert isinstance(outcome, tables.TableError)
    assert "unpacks to" in str(outcome) and "the limit is 100,000 bytes" in str(outcome)


def test_a_part_that_hides_data_past_its_declared_size_is_read_only_to_that_size():
    workbook = hostile_files.understated_workbook(
        [{"A": "slug", "B": "name"}, {"A": "hidden", "B": "Hidden Cluster"}]
    )
    outcome, peak = read_bounded(workbook, "clusters.xlsx")
    assert outcome == (["slug", "name"], [{"slug": "hidden", "name": "Hidden Cluster"}])
    assert peak < MEMORY_BOUND  # reading the part whole would inflate its 64 MB


def test_deep_json_is_invalid_json_not_a_crash():
    outcome, _peak = read_bounded(hostile_files.nested_json(), "clusters.json")
    assert str(outcome) == "Invalid JSON: nested deeper than 32 levels."
    with pytest.raises(tables.TableError, match=r"^Invalid JSON: nested deeper than 32 levels\.$"):
        tables.load_json("[" * 33 + "]" * 33)
    deepest = tables.load_json("[" * 32 + "]" * 32)
    for _level in range(31):
        deepest = deepest[0]
    assert deepest == []


def test_a_json_key_twice_in_one_object_is_refused():
    content = b'[{"slug": "a", "name": "First", "name": "Second"}]'
    outcome, _peak = read_bounded(content, "clusters.json")
    assert str(outcome) == "Invalid JSON: the key 'name' appears more than once in one object."


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("clusters.csv", b"slug,Name,country,name\nx,First,ES,Second\n"),
        ("clusters.json", b'[{"slug": "x", "Name": "First", "name": "Second"}]'),
    ],
)
def test_a_column_named_twice_is_refused_naming_it(filename, content):
    with pytest.raises(tables.DuplicateColumns) as refused:
        tables.read_table(content, filename, limits=import_limits())
    assert refused.value.columns == ["name"]
    assert str(refused.value) == "These columns appear more than once in the header: name."


def test_a_column_named_twice_in_a_workbook_is_refused():
    workbook = openpyxl.Workbook()
    workbook.active.append(["slug", "name", "country", "NAME "])  # type: ignore[union-attr]
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(tables.DuplicateColumns) as refused:
        tables.read_table(buffer.getvalue(), "clusters.xlsx", limits=import_limits())
    assert refused.value.columns == ["name"]


def test_a_csv_field_past_the_csv_module_limit_is_a_table_error():
    content = b'slug,name\nx,"' + b"a" * (200 * 1024) + b'"\n'
    with pytest.raises(tables.TableError, match="cannot be read at line"):
        tables.read_table(content, "clusters.csv", limits=import_limits())


# Export: one writer for every table.

FORMULAS = ['=HYPERLINK("http://x","y")', "+34 981 000 000", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def exported_rows() -> list[dict]:
    return [
        {"text": text, "amount": amount}
        for text, amount in zip(
            FORMULAS,
            [Decimal("120000.00"), Decimal("120000.50"), 120000, 1.2e5, Decimal("-5"), None],
            strict=True,
        )
    ]


def test_csv_export_neutralises_formulas_and_writes_plain_numbers():
    content = tables.write_table(["text", "amount"], exported_rows(), "csv")
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert rows[0] == ["text", "amount"]
    assert [row[0] for row in rows[1:]] == ["'" + text for text in FORMULAS]
    assert [row[1] for row in rows[1:]] == ["120000", "120000.5", "120000", "120000", "-5", ""]


def test_xlsx_export_writes_text_as_text_and_numbers_as_numbers():
    content = tables.write_table(["text", "amount"], exported_rows(), "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    texts = [sheet.cell(row, 1) for row in range(2, 8)]  # type: ignore[union-attr]
    assert [cell.data_type for cell in texts] == ["s"] * 6
    # XML reads a carriage return as a line feed; the cell is still text.
    assert [cell.value for cell in texts] == [text.replace("\r", "\n") for text in FORMULAS]
    assert all(cell.quotePrefix for cell in texts)
    amounts = [sheet.cell(row, 2).value for row in range(2, 8)]  # type: ignore[union-attr]
    assert amounts == [120000, 120000.5, 120000, 120000, -5, None]
    assert [type(amount) for amount in amounts[:4]] == [int, float, int, int]


def test_json_export_writes_decimals_in_plain_notation():
    content = tables.write_table(["amount"], [{"amount": Decimal("120000.00")}], "json")
    assert json.loads(content) == [{"amount": "120000"}]


def test_plain_numbers_never_use_an_exponent():
    cases = {
        Decimal("1.2E+5"): "120000",
        Decimal("120000.50"): "120000.5",
        Decimal("0.00"): "0",
        Decimal("-0.00"): "0",
        Decimal("0.000001"): "0.000001",
        1e-7: "0.0000001",
        0.1 + 0.2: "0.3",
        1e20: "100000000000000000000",
        float("nan"): "",
        12: "12",
    }
    assert {value: tables.plain_number(value) for value in cases} == cases


def test_control_characters_that_xml_cannot_carry_do_not_break_the_workbook():
    content = tables.write_table(["text"], [{"text": "bell\x07"}], "xlsx")
    assert openpyxl.load_workbook(io.BytesIO(content)).active["A2"].value == "bell\ufffd"  # type: ignore[index]


def test_csv_exports_re_import_as_they_were():
    rows = [{"slug": "a", "name": text, "since": date(2024, 1, 2)} for text in FORMULAS[:4]]
    content = tables.write_table(["slug", "name", "since"], rows, "csv")
    _header, read = tables.read_table(content, "rows.csv", limits=import_limits())
    assert [row["name"] for row in read] == FORMULAS[:4]
    assert read[0]["since"] == "2024-01-02"
