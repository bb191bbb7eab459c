"""The Excel template of a round: one row per indicator, the answer and the reason for changing
a computed value in two columns. Reading it back gives the answers by indicator code and the
cell of each, so that every error names its cell."""

import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from atclusters.core import tables
from atclusters.core.tables import TableError

SHEET = "Answers"
COLUMNS = ("code", "area", "indicator", "type", "unit", "allowed", "computed", "answer", "reason")
ANSWER_COLUMN = COLUMNS.index("answer") + 1
REASON_COLUMN = COLUMNS.index("reason") + 1
FIRST_ROW = 5  # rows 1–3 say which round and cluster the file is for; row 4 is the header
EDITABLE = PatternFill("solid", fgColor="FFF2CC")


@dataclass(frozen=True)
class Filled:
    """A template read back: answers and reasons by indicator code, and each code's row."""

    round_id: int
    cluster: str
    answers: dict[str, Any]
    reasons: dict[str, str]
    rows: dict[str, int]

    def answer_cell(self, code: str) -> str:
        return f"{get_column_letter(ANSWER_COLUMN)}{self.rows[code]}"


def _allowed(indicator: dict[str, Any]) -> str:
    if indicator["type"] == "choice":
        return " | ".join(choice or '""' for choice in indicator["choices"])
    if indicator["type"] == "boolean":
        return "yes | no"
    if indicator["type"] == "date":
        return "YYYY-MM-DD"
    low, high = indicator.get("min"), indicator.get("max")
    if indicator["type"] == "percentage":
        low, high = (0 if low is None else low), (100 if high is None else high)
    if low is None and high is None:
        return ""
    return f"{'' if low is None else f'{low:g}'} … {'' if high is None else f'{high:g}'}"


def _shown(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _put_row(sheet: Worksheet, row: int, values: list[Any]) -> None:
    """One row of values from column A, written as exports write them: the answers and reasons
    are the cluster's own text, and must come back as text, not run as formulas."""
    for column, value in enumerate(values, start=1):
        tables.xlsx_cell(sheet.cell(row, column), value)


def write(
    *,
    round_id: int,
    round_title: str,
    cluster: str,
    indicators: list[dict[str, Any]],
    areas: dict[str, dict[str, str]],
    values: dict[str, Any],
    computed: dict[str, Any],
    reasons: dict[str, str],
    language: str,
    headings: dict[str, str],
) -> bytes:
    """The template pre-filled with the current answers. `headings` are the column titles in
    the reader's language."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    _put_row(sheet, 1, ["round", round_id, round_title])
    _put_row(sheet, 2, ["cluster", cluster])
    _put_row(sheet, 3, [headings.get("instructions", "")])
    _put_row(sheet, FIRST_ROW - 1, [headings.get(column, column) for column in COLUMNS])
    for cell in sheet[FIRST_ROW - 1]:
        cell.font = Font(bold=True)
    for row, indicator in enumerate(indicators, start=FIRST_ROW):
        code = indicator["code"]
        _put_row(
            sheet,
            row,
            [
                code,
                areas.get(indicator["area"], {}).get(language, indicator["area"]),
                indicator["label"].get(language) or indicator["label"]["en"],
                indicator["type"],
                indicator.get("unit", ""),
                _allowed(indicator),
                _shown(computed.get(code)),
                _shown(values.get(code)),
                reasons.get(code, ""),
            ],
        )
        sheet.cell(row, ANSWER_COLUMN).fill = EDITABLE
        sheet.cell(row, REASON_COLUMN).fill = EDITABLE
        if indicator["type"] in ("choice", "boolean"):
            options = indicator["choices"] if indicator["type"] == "choice" else ["yes", "no"]
            listed = DataValidation(type="list", formula1='"' + ",".join(options) + '"')
            listed.add(sheet.cell(row, ANSWER_COLUMN))
            sheet.add_data_validation(listed)
    for index, width in enumerate((8, 22, 48, 11, 12, 16, 12, 16, 40), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{FIRST_ROW}"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _answer(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def read(content: bytes, *, codes: list[str], limits: tables.Limits) -> Filled:
    """The answers of a filled template. A file that is not the template (no sheet, no round,
    an unknown or repeated code, missing indicators) raises TableError naming the cell; the
    workbook is read within `limits` (tables.read_xlsx)."""
    sheet = dict(tables.read_xlsx(content, limits, sheet=SHEET, header_rows=FIRST_ROW - 1))

    def value(row: int, column: int) -> Any:
        cells = sheet.get(row, [])
        return cells[column - 1] if column <= len(cells) else None

    round_id, cluster = value(1, 2), value(2, 2)
    if not isinstance(round_id, int | float) or not cluster:
        raise TableError(f"{SHEET}!B1:B2: the round and the cluster are missing")
    answers: dict[str, Any] = {}
    reasons: dict[str, str] = {}
    rows: dict[str, int] = {}
    for row in sorted(number for number in sheet if number >= FIRST_ROW):
        code = value(row, 1)
        if code in (None, ""):
            continue
        code = str(code).strip()
        if code not in codes:
            raise TableError(f"{SHEET}!A{row}: {code!r} is not an indicator of this round")
        if code in rows:
            raise TableError(f"{SHEET}!A{row}: {code} appears twice (first in row {rows[code]})")
        rows[code] = row
        answers[code] = _answer(value(row, ANSWER_COLUMN))
        reason = value(row, REASON_COLUMN)
        if reason not in (None, ""):
            reasons[code] = str(reason).strip()
    missing = [code for code in codes if code not in rows]
    if missing:
        raise TableError(f"{SHEET}: rows missing for {', '.join(missing)}")
    return Filled(int(round_id), str(cluster), answers, reasons, rows)
