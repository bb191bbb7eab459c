"""Reading and writing tables (CSV, XLSX, JSON) for imports and exports."""

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import openpyxl
from django.utils.translation import gettext as _

FORMATS = ("csv", "xlsx", "json")


class TableError(ValueError):
    """The file as a whole cannot be read (format, size, header)."""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(
    content: bytes, filename: str, *, max_bytes: int, max_rows: int
) -> tuple[list[str], list[dict[str, str]]]:
    """Returns the header and the rows as dictionaries of stripped strings."""
    if len(content) > max_bytes:
        raise TableError(
            _("The file is %(size)s bytes; the limit is %(limit)s bytes.")
            % {"size": f"{len(content):,}", "limit": f"{max_bytes:,}"}
        )
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:
            raise TableError(
                _("The file is not a readable XLSX workbook (%(error)s).") % {"error": error}
            ) from error
        sheet = workbook.worksheets[0]
        raw_rows = [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    elif name.endswith(".json"):
        try:
            records = json.loads(content.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise TableError(
                _("The file is not valid UTF-8 JSON (%(error)s).") % {"error": error}
            ) from error
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise TableError(_("A JSON import is a list of objects, one per row."))
        columns = list(dict.fromkeys(key for record in records for key in record))
        raw_rows = [columns] + [[_cell(record.get(c)) for c in columns] for record in records]
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise TableError(_("The CSV file must be encoded in UTF-8.")) from error
        sample = text[:4096]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        raw_rows = [
            [cell.strip() for cell in row]
            for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]
    else:
        raise TableError(_("Upload a .csv, .xlsx or .json file."))
    raw_rows = [row for row in raw_rows if any(row)]
    if not raw_rows:
        raise TableError(_("The file is empty."))
    header = [column.strip().lower() for column in raw_rows[0]]
    if len(raw_rows) - 1 > max_rows:
        raise TableError(
            _("The file has %(rows)s rows; the limit is %(limit)s.")
            % {"rows": f"{len(raw_rows) - 1:,}", "limit": f"{max_rows:,}"}
        )
    rows = [
        {
            column: (row[index] if index < len(row) else "")
            for index, column in enumerate(header)
            if column
        }
        for row in raw_rows[1:]
    ]
    return header, rows


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    return value


def write_table(columns: Sequence[str], rows: list[dict[str, Any]], fmt: str) -> bytes:
    if fmt == "json":
        records = [{column: _plain(row.get(column)) for column in columns} for row in rows]
        return json.dumps(records, ensure_ascii=False, indent=2).encode()
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else _plain(row.get(c)) for c in columns])
        return text.getvalue().encode("utf-8")
    if fmt == "xlsx":
        workbook = openpyxl.Workbook()
        sheet = workbook.worksheets[0]
        sheet.append(list(columns))
        for row in rows:
            sheet.append(["" if row.get(c) is None else _plain(row.get(c)) for c in columns])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    raise TableError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
