"""Reading and writing tables (CSV, XLSX, JSON) for imports and exports, and the bounds within
which every uploaded table or document is read.

Reading is bounded before anything is built: an XLSX archive is checked against the sizes it
declares and rebuilt from what it really holds before openpyxl opens it, its sheet is streamed
(the dimension it declares is ignored) and the row and column limits apply while streaming; JSON
is refused when it nests too deeply or repeats a key. Writing has one helper, `write_table`
(and `xlsx_cell` for workbooks laid out by hand): text that a spreadsheet would run as a formula
is neutralised, numbers stay numbers, written in plain decimal notation.

Pure Python (no Django): the limits come from the caller (core/importing.py reads them from the
settings), and the messages are translated by the function core's AppConfig installs."""

import csv
import io
import json
import numbers
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser

from atclusters.core.cells import FORMULA_STARTS, finite, neutralised, plain_number

# Until core's AppConfig installs Django's gettext (core/apps.py), messages read in English: a
# script or a test that runs without Django still gets them. `_` keeps them visible to makemessages.
_translate: Callable[[str], str] = str


def install_translation(gettext: Callable[[str], str]) -> None:
    global _translate
    _translate = gettext


def _(message: str) -> str:
    return _translate(message)


FORMATS = ("csv", "xlsx", "json")
NUL = "\x00"

# Apache POI's defaults for reading Office archives (org.apache.poi.openxml4j.util.ZipSecureFile:
# MAX_FILE_COUNT, MIN_INFLATE_RATIO 0.01, GRACE_ENTRY_SIZE): at most 1000 parts, none inflating
# more than 100 times once it is past 100 KiB. Sheets written by Excel or openpyxl inflate
# 5 to 25 times.
XLSX_MAX_PARTS = 1000
XLSX_MAX_INFLATION = 100
XLSX_INFLATION_GRACE_BYTES = 100 * 1024
_CHUNK = 64 * 1024

# Deeper than any document the platform reads (a framework nests 4 levels, an API body 3);
# far below the depth at which a recursive reader or writer exhausts Python's stack.
JSON_MAX_DEPTH = 32
# The values a YAML document may expand to (the default framework holds 823): its
# aliases repeat a value without copying it, so a few kilobytes can stand for billions.
DOCUMENT_MAX_VALUES = 100_000


class TableError(ValueError):
    """The file as a whole cannot be read (format, size, header)."""


class DuplicateColumns(TableError):
    """The header names a column more than once: a row read as a dictionary would keep only the
    last of its cells."""

    def __init__(self, columns: list[str]):
        self.columns = columns
        super().__init__(
            _("These columns appear more than once in the header: %(columns)s.")
            % {"columns": ", ".join(columns)}
        )


def nul_message() -> str:
    return _("contains the NUL character (\\0), which is not allowed in text")


class NulCharacter(TableError):
    """A text holds the NUL character, which PostgreSQL cannot store (SQLite would store it)."""

    def __init__(self, place: str):
        self.place = place
        super().__init__(f"{place}: {nul_message()}")


@dataclass(frozen=True)
class Limits:
    """How much of an uploaded table is read: the file's size, its rows with data (the header
    not counted) and columns, and the size an XLSX archive unpacks to."""

    bytes: int
    rows: int
    columns: int
    unpacked_bytes: int


def _unreadable_workbook(error: Exception) -> TableError:
    return TableError(_("The file is not a readable XLSX workbook (%(error)s).") % {"error": error})


def _rebuilt_archive(content: bytes, limits: Limits) -> bytes:
    """The workbook's archive, refused when the sizes it declares are over the limits, and
    rebuilt from its parts as read: zipfile stops inflating a part at the size the archive
    declares for it when read in chunks, but not when openpyxl reads a part whole, so openpyxl
    only ever sees parts already read within the declared, checked sizes."""
    try:
        source = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _unreadable_workbook(error) from error
    parts = [part for part in source.infolist() if not part.is_dir()]
    if len(parts) > XLSX_MAX_PARTS:
        raise TableError(
            _("The workbook holds %(count)s parts; the limit is %(limit)s.")
            % {"count": f"{len(parts):,}", "limit": f"{XLSX_MAX_PARTS:,}"}
        )
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limits.unpacked_bytes:
        raise TableError(
            _("The workbook unpacks to %(size)s bytes; the limit is %(limit)s bytes.")
            % {"size": f"{unpacked:,}", "limit": f"{limits.unpacked_bytes:,}"}
        )
    for part in parts:
        if (
            part.file_size > XLSX_INFLATION_GRACE_BYTES
            and part.file_size > XLSX_MAX_INFLATION * part.compress_size
        ):
            raise TableError(
                _("The workbook's part %(part)s inflates %(ratio)s times; the limit is %(limit)s.")
                % {
                    "part": part.filename,
                    "ratio": f"{part.file_size // max(part.compress_size, 1):,}",
                    "limit": XLSX_MAX_INFLATION,
                }
            )
    rebuilt = io.BytesIO()
    try:
        with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
            for part in parts:
                with source.open(part) as reader, target.open(part.filename, "w") as writer:
                    while chunk := reader.read(_CHUNK):
                        writer.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError) as error:
        # RuntimeError: an encrypted part; NotImplementedError is a RuntimeError too (a
        # compression method zipfile does not know).
        raise _unreadable_workbook(error) from error
    return rebuilt.getvalue()


def _blank(value: Any) -> bool:
    return value is None or value == ""


def _held_rows(workbook: Any, worksheet: Any) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """The rows a read-only sheet holds, each with its number and its cells, streamed by the
    parser that openpyxl's own iter_rows uses. iter_rows itself is not used: it makes up an empty
    row for every gap, and a sheet holding only its row 1 048 576 would cost a million of them."""
    with worksheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        yield from parser.parse()


def read_xlsx(
    content: bytes, limits: Limits, *, sheet: str | None = None, header_rows: int = 1
) -> list[tuple[int, list[Any]]]:
    """The rows with data of a sheet (the first, or the one named), each with its row number
    in the sheet and its values as openpyxl reads them (cached values, not formulas), from
    column A to the last cell with data.

    Read within `limits`: the archive is checked and rebuilt before openpyxl opens it
    (`_rebuilt_archive`), the sheet is streamed in read-only mode and the dimension it declares
    is ignored (a few kilobytes can declare a million rows of sixteen thousand cells), and
    reading stops at the first row past `limits.rows` rows of data after `header_rows`, or at
    the first cell with data right of `limits.columns`. Raises TableError."""
    archive = _rebuilt_archive(content, limits)
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(archive), read_only=True, data_only=True, keep_links=False
        )
    except Exception as error:  # openpyxl raises anything from KeyError to XML errors
        raise _unreadable_workbook(error) from error
    try:
        if sheet is None:
            if not workbook.worksheets:
                raise TableError(_("The workbook has no sheet."))
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            raise TableError(_("The workbook has no sheet named %(sheet)s.") % {"sheet": sheet})
        rows: list[tuple[int, list[Any]]] = []
        for number, cells in _held_rows(workbook, worksheet):
            filled = {cell["column"]: cell["value"] for cell in cells if not _blank(cell["value"])}
            if not filled:
                continue
            last = max(filled)
            if last > limits.columns:
                raise TableError(
                    _("Row %(row)s has data in column %(column)s; the limit is %(limit)s columns.")
                    % {"row": number, "column": get_column_letter(last), "limit": limits.columns}
                )
            rows.append((number, [filled.get(column) for column in range(1, last + 1)]))
            if len(rows) > limits.rows + header_rows:
                raise TableError(
                    _("The sheet has more than %(limit)s rows; the limit is %(limit)s.")
                    % {"limit": f"{limits.rows:,}"}
                )
        return rows
    except TableError:
        raise
    except Exception as error:
        raise _unreadable_workbook(error) from error
    finally:
        workbook.close()


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    record = dict(pairs)
    if len(record) < len(pairs):
        counts = Counter(key for key, _value in pairs)
        repeated = sorted(key for key, count in counts.items() if count > 1)
        raise TableError(
            _("Invalid JSON: the key %(keys)s appears more than once in one object.")
            % {"keys": ", ".join(_shown(key) for key in repeated)}
        )
    return record


def _shown(key: str) -> str:
    return repr(key.replace(NUL, "\\0"))


def load_json(content: bytes | str) -> Any:
    """JSON as Python values, refusing what json.loads accepts and the platform must not:
    nesting deeper than JSON_MAX_DEPTH and a key repeated in one object (json.loads keeps the
    last one silently). Raises TableError ("Invalid JSON: …")."""
    try:
        text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
        value = json.loads(text, object_pairs_hook=_unique_keys)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TableError(_("Invalid JSON (%(error)s).") % {"error": error}) from error
    except RecursionError:
        problem: str | None = too_deep()
    else:
        problem = nesting_problem(value)
    if problem is not None:
        raise TableError(_("Invalid JSON: %(problem)s.") % {"problem": problem})
    return value


def too_deep(max_depth: int = JSON_MAX_DEPTH) -> str:
    return _("nested deeper than %(limit)s levels") % {"limit": max_depth}


def _children(value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [
            (f".{key}" if isinstance(key, str) else f"[{key!r}]", item)
            for key, item in value.items()
        ]
    if isinstance(value, list | tuple):
        return [(f"[{index}]", item) for index, item in enumerate(value)]
    return []


def nesting_problem(
    value: Any, *, max_depth: int = JSON_MAX_DEPTH, max_values: int | None = None
) -> str | None:
    """Why a parsed document is refused, if it is: nested deeper than `max_depth` containers,
    or holding more than `max_values` values (a YAML alias's value counted each time it
    appears). Walks without recursion: a recursive walk is what the depth limit protects."""
    stack = [(value, 1)]
    seen = 0
    while stack:
        node, depth = stack.pop()
        seen += 1
        if max_values is not None and seen > max_values:
            return _("more than %(limit)s values") % {"limit": f"{max_values:,}"}
        if isinstance(node, dict | list | tuple) and depth > max_depth:
            return too_deep(max_depth)
        stack.extend((child, depth + 1) for _step, child in _children(node))
    return None


def nul_place(value: Any) -> str | None:
    """Where the first text holding NUL is in a parsed document, as a path such as `name`,
    `answers.S01` or `indicators[2].label.en`; None when there is none. Keys count as text."""
    stack = [("", value)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, str) and NUL in node:
            return path.lstrip(".") or "."
        if isinstance(node, dict):
            for key in node:
                if isinstance(key, str) and NUL in key:
                    return (path + "." + key.replace(NUL, "\\0")).lstrip(".")
        stack.extend((path + step, child) for step, child in reversed(_children(node)))
    return None


def unescaped(text: str) -> str:
    """A cell as it was before `neutralised`: exports put an apostrophe before text that a
    spreadsheet would run, and an import takes it off again so that exports re-import as
    they were."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return plain_number(value)
    return str(value).strip()


def _csv_rows(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError(_("The CSV file must be encoded in UTF-8.")) from error
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = [[cell.strip() for cell in row] for row in reader]
    except csv.Error as error:
        raise TableError(
            _("The CSV file cannot be read at line %(line)s (%(error)s).")
            % {"line": reader.line_num, "error": error}
        ) from error
    return rows


def _json_rows(content: bytes) -> list[list[str]]:
    records = load_json(content)
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise TableError(_("A JSON import is a list of objects, one per row."))
    columns = list(dict.fromkeys(key for record in records for key in record))
    return [columns] + [[_cell(record.get(c)) for c in columns] for record in records]


def read_table(
    content: bytes, filename: str, *, limits: Limits
) -> tuple[list[str], list[dict[str, str]]]:
    """The header (lower case) and the rows as dictionaries of stripped strings, within
    `limits` (core.importing.import_limits() for uploads). A header that names a column twice
    raises DuplicateColumns; anything else unreadable raises TableError."""
    if len(content) > limits.bytes:
        raise TableError(
            _("The file is %(size)s bytes; the limit is %(limit)s bytes.")
            % {"size": f"{len(content):,}", "limit": f"{limits.bytes:,}"}
        )
    name = filename.lower()
    if name.endswith(".xlsx"):
        raw_rows = [[_cell(value) for value in values] for _n, values in read_xlsx(content, limits)]
    elif name.endswith(".json"):
        raw_rows = _json_rows(content)
    elif name.endswith(".csv"):
        raw_rows = _csv_rows(content)
    else:
        raise TableError(_("Upload a .csv, .xlsx or .json file."))
    raw_rows = [row for row in raw_rows if any(row)]
    if not raw_rows:
        raise TableError(_("The file is empty."))
    widest = max(len(row) for row in raw_rows)
    if widest > limits.columns:
        raise TableError(
            _("The file has %(columns)s columns; the limit is %(limit)s.")
            % {"columns": widest, "limit": limits.columns}
        )
    header = [column.strip().lower() for column in raw_rows[0]]
    repeated = sorted({column for column in header if column and header.count(column) > 1})
    if repeated:
        raise DuplicateColumns(repeated)
    if len(raw_rows) - 1 > limits.rows:
        raise TableError(
            _("The file has %(rows)s rows; the limit is %(limit)s.")
            % {"rows": f"{len(raw_rows) - 1:,}", "limit": f"{limits.rows:,}"}
        )
    rows = [
        {
            column: (unescaped(row[index]) if index < len(row) else "")
            for index, column in enumerate(header)
            if column
        }
        for row in raw_rows[1:]
    ]
    return header, rows


def _exported(value: Any) -> Any:
    """A value as exports carry it: None, a bool, a number, or text (dates in ISO 8601)."""
    if value is None or isinstance(value, bool | int | float | Decimal | str):
        return value
    if isinstance(value, numbers.Integral):  # numpy's integers are not int
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_text(value: Any) -> str:
    """One CSV cell: numbers in plain decimal notation, text neutralised."""
    value = _exported(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return plain_number(value)
    return neutralised(value)


def xlsx_cell(cell: Cell | MergedCell, value: Any) -> None:
    """Writes one value into a workbook cell: numbers as numbers, text as text and never as a
    formula, whatever it begins with (marked quote-prefixed, as Excel marks text typed after an
    apostrophe, when it would be one). Characters that XML 1.0 cannot carry become U+FFFD."""
    value = _exported(value)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    elif isinstance(value, float | Decimal) and not finite(value):
        cell.value = None
    else:
        cell.value = value


def _json_value(value: Any) -> Any:
    value = _exported(value)
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, float) and not finite(value):
        return None
    return value


def write_table(columns: Sequence[str], rows: list[dict[str, Any]], fmt: str) -> bytes:
    """The one writer of every table the platform exports (registry, state-aid register,
    statistics downloads): JSON, CSV (UTF-8, comma) or XLSX (one sheet)."""
    if fmt == "json":
        records = [{column: _json_value(row.get(column)) for column in columns} for row in rows]
        return json.dumps(records, ensure_ascii=False, indent=2).encode()
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow([csv_text(column) for column in columns])
        for row in rows:
            writer.writerow([csv_text(row.get(column)) for column in columns])
        return text.getvalue().encode("utf-8")
    if fmt == "xlsx":
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet()

        def written(value: Any) -> Cell:
            cell = WriteOnlyCell(sheet)
            xlsx_cell(cell, value)
            return cell

        sheet.append([written(column) for column in columns])
        for row in rows:
            sheet.append([written(row.get(column)) for column in columns])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    raise TableError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
