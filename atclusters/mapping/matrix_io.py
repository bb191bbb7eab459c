"""Reading and writing labelled value matrices for the metrics (pure: no Django). Every problem
is reported with the row and column it is in.

CSV and Parquet. A clean CSV matrix (a label, then numbers, on each line) is read by NumPy's C
parser; any other CSV by pandas, which also finds the cell to blame. Parquet goes through polars. Both are
loaded only when a file needs them, so that the command line starts fast."""

import csv
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from atclusters.core.cells import neutralised
from atclusters.mapping.plain_numbers import number_rows

if TYPE_CHECKING:
    import pandas as pd


class MatrixError(ValueError):
    pass


@dataclass(frozen=True)
class LabelledMatrix:
    """Values with their row and column labels; `name` heads the label column."""

    values: np.ndarray
    rows: list[str]
    columns: list[str]
    name: str = "region"


def is_parquet(path: Path) -> bool:
    return path.suffix.lower() in {".parquet", ".pq"}


def _check_labels(labels: Sequence[str], what: str) -> None:
    counts = Counter(labels)
    duplicated = [label for label, count in counts.items() if count > 1]
    if duplicated:
        raise MatrixError(f"duplicate {what} label(s): {', '.join(duplicated[:5])}")
    if any(not label.strip() for label in labels):
        raise MatrixError(f"a {what} label is empty")


def _label_column_name(header: str) -> str:
    header = header.strip()
    return "region" if not header or header.startswith("Unnamed") else header


def _checked(matrix: LabelledMatrix) -> LabelledMatrix:
    _check_labels(matrix.rows, "row")
    negative = matrix.values < 0
    if negative.any():
        row, column = np.argwhere(negative)[0]
        raise MatrixError(
            f"row {matrix.rows[row]}, column {matrix.columns[column]}: negative value "
            f"{matrix.values[row, column]}"
        )
    return matrix


def read_matrix(path: Path, *, long: bool = False, year: str | None = None) -> LabelledMatrix:
    """A matrix (first column = row labels, header = column labels) from CSV or Parquet or,
    with `long`, a table of `region,industry,value` rows (an optional `year` column needs
    `year` when it holds several)."""
    if is_parquet(path):
        return _read_parquet(path, long=long, year=year)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise MatrixError(f"{path}: no such file") from None
    except UnicodeDecodeError as error:
        raise MatrixError(f"{path}: not a readable CSV file ({error})") from None
    if not long:
        fast = _clean_csv_matrix(text)
        if fast is not None:
            return _checked(fast)
    return _read_csv_with_pandas(path, text, long=long, year=year)


def _split_label(line: str) -> tuple[str, str] | None:
    """The first field of a CSV line (unquoted as the csv module does) and the rest after its
    comma; None when the line is not a label followed by unquoted cells."""
    if line.startswith('"'):
        end = 1
        while (end := line.find('"', end)) >= 0 and line.startswith('"', end + 1):
            end += 2
        if end < 0:
            return None
        label, rest = line[1:end].replace('""', '"'), line[end + 1 :]
        if not rest.startswith(","):
            return None
        rest = rest[1:]
    else:
        label, _, rest = line.partition(",")
    return None if '"' in rest else (label.strip(), rest)


def _clean_csv_matrix(text: str) -> LabelledMatrix | None:
    """The matrix by NumPy's C parser, or None when the file is not plainly a label and numbers
    on each line (quoted or empty cells, ragged rows, text): pandas then reads it and names the
    cell at fault. Quoted labels, as R's write.csv writes them, are fine."""
    # Line ends as CSV readers know them (str.splitlines would also split at form feeds and
    # the like, which a label may hold).
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header = [name.strip() for name in next(csv.reader(lines[:1]), [])]
    body = [split for line in lines[1:] if line.strip() and (split := _split_label(line))]
    if len(header) < 2 or not body or len(body) != sum(1 for line in lines[1:] if line.strip()):
        return None
    _check_labels(header[1:], "column")
    try:
        values = np.loadtxt(
            [rest for _, rest in body], delimiter=",", comments=None, ndmin=2, dtype=np.float64
        )
    except ValueError:
        return None
    if values.shape != (len(body), len(header) - 1) or not np.isfinite(values).all():
        return None
    # Column-major, as pandas hands its matrices over: sums along rows then add up in the same
    # order as they always did, so results keep every bit.
    return LabelledMatrix(
        np.asfortranarray(values),
        [label for label, _ in body],
        header[1:],
        _label_column_name(header[0]),
    )


def _read_csv_with_pandas(path: Path, text: str, *, long: bool, year: str | None) -> LabelledMatrix:
    import pandas as pd

    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise MatrixError(f"{path}: not a readable CSV file ({error})") from None
    header = [name.strip() for name in next(csv.reader(io.StringIO(text)), [])]
    _check_labels(header[1:] if not long else header, "column")
    if long:
        return _from_long(raw, year)
    if raw.shape[1] < 2 or raw.shape[0] < 1:
        raise MatrixError("the matrix is empty: it needs a header, a label column and values")
    frame = raw.set_index(raw.columns[0])
    frame.columns = header[1:]
    rows = [str(label).strip() for label in frame.index]
    _check_labels(rows, "row")
    return _checked(
        LabelledMatrix(
            _numeric(frame), rows, header[1:], _label_column_name(str(frame.index.name or ""))
        )
    )


def _numeric(frame: "pd.DataFrame") -> np.ndarray:
    import pandas as pd

    numbers = frame.apply(pd.to_numeric, errors="coerce")
    bad = numbers.isna() & frame.notna() & (frame.astype(str).apply(lambda c: c.str.strip()) != "")
    if bad.to_numpy().any():
        row, column = np.argwhere(bad.to_numpy())[0]
        raise MatrixError(
            f"row {str(frame.index[row]).strip()}, column {frame.columns[column]!s}: "
            f"{frame.iat[row, column]!r} is not a number"
        )
    return numbers.fillna(0.0).to_numpy(dtype=np.float64)


def _from_long(raw: "pd.DataFrame", year: str | None) -> LabelledMatrix:
    import pandas as pd

    columns = [c.strip().lower() for c in raw.columns]
    raw.columns = columns
    missing = [c for c in ("region", "industry", "value") if c not in columns]
    if missing:
        raise MatrixError(
            f"a long CSV needs the columns region, industry, value; missing: {', '.join(missing)}"
        )
    if "year" in columns:
        years = sorted(raw["year"].str.strip().unique())
        if year is not None:
            raw = raw[raw["year"].str.strip() == str(year)]
            if raw.empty:
                raise MatrixError(f"no rows for year {year}; years present: {', '.join(years)}")
        elif len(years) > 1:
            raise MatrixError(
                f"the file holds several years ({', '.join(years)}); choose one with --year"
            )
    if raw.empty:
        raise MatrixError("the matrix is empty")
    values = pd.to_numeric(raw["value"], errors="coerce")
    bad = values.isna() & (raw["value"].str.strip() != "")
    if bad.any():
        line = int(np.argmax(bad.to_numpy())) + 2
        raise MatrixError(
            f"line {line}, column value: {raw['value'].iloc[line - 2]!r} is not a number"
        )
    if (values < 0).any():
        line = int(np.argmax((values < 0).to_numpy())) + 2
        raise MatrixError(f"line {line}, column value: negative value {values.iloc[line - 2]}")
    pairs = raw[["region", "industry"]].apply(lambda c: c.str.strip())
    duplicated = pairs.duplicated()
    if duplicated.any():
        line = int(np.argmax(duplicated.to_numpy())) + 2
        region, industry = pairs.iloc[line - 2]
        raise MatrixError(f"line {line}: duplicate region {region!r} × industry {industry!r}")
    table = pd.DataFrame(
        {"region": pairs["region"], "industry": pairs["industry"], "value": values.fillna(0.0)}
    )
    matrix = table.pivot(index="region", columns="industry", values="value").fillna(0.0)
    return LabelledMatrix(
        matrix.to_numpy(dtype=np.float64),
        [str(label) for label in matrix.index],
        [str(label) for label in matrix.columns],
    )


def _read_parquet(path: Path, *, long: bool, year: str | None) -> LabelledMatrix:
    import polars as pl

    try:
        table = pl.read_parquet(path)
    except FileNotFoundError:
        raise MatrixError(f"{path}: no such file") from None
    except (pl.exceptions.PolarsError, OSError) as error:
        raise MatrixError(f"{path}: not a readable Parquet file ({error})") from None
    if long:
        import pandas as pd

        text = {
            name: ["" if value is None else str(value) for value in table.get_column(name)]
            for name in table.columns
        }
        return _from_long(pd.DataFrame(text, dtype=str), year)
    if table.width < 2 or table.height < 1:
        raise MatrixError("the matrix is empty: it needs a label column and value columns")
    names = [name.strip() for name in table.columns]
    _check_labels(names[1:], "column")
    for name in table.columns[1:]:
        if not table.schema[name].is_numeric():
            raise MatrixError(f"column {name.strip()}: {table.schema[name]} values, not numbers")
    labels = ["" if label is None else str(label).strip() for label in table.to_series(0)]
    values = table.select(table.columns[1:]).cast(pl.Float64).fill_null(0.0).to_numpy()
    missing = np.isnan(values)
    if missing.any():
        row, column = np.argwhere(missing)[0]
        raise MatrixError(f"row {labels[row]}, column {names[1 + column]}: NaN is not a number")
    return _checked(
        LabelledMatrix(
            np.ascontiguousarray(values), labels, names[1:], _label_column_name(names[0])
        )
    )


def read_vector(path: Path, labels: Sequence[str], what: str) -> np.ndarray:
    """A two-column table (label, value) aligned to `labels`, e.g. population by region."""
    table = read_matrix(path)
    if len(table.columns) != 1:
        raise MatrixError(f"{path}: the {what} file needs two columns (label, value)")
    position = {label: index for index, label in enumerate(table.rows)}
    missing = [label for label in labels if label not in position]
    if missing:
        raise MatrixError(f"{path}: no {what} for {', '.join(map(str, missing[:5]))}")
    return table.values[[position[label] for label in labels], 0]


# --- writing ----------------------------------------------------------------------------------


def _csv_field(text: str) -> str:
    """One field as the csv module writes it (minimal quoting, quotes doubled)."""
    if any(character in text for character in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_bytes(table: LabelledMatrix) -> bytes:
    """The table as CSV, byte for byte as the platform's exports (`core.tables.write_table`):
    UTF-8, CRLF line ends, labels neutralised, numbers in plain decimal notation."""
    header = ",".join(_csv_field(neutralised(text)) for text in [table.name, *table.columns])
    lines = [header.encode("utf-8")]
    for label, numbers in zip(table.rows, number_rows(table.values), strict=True):
        lines.append(_csv_field(neutralised(label)).encode("utf-8") + b"," + numbers)
    return b"\r\n".join(lines) + b"\r\n"


def write_parquet(table: LabelledMatrix, path: Path) -> None:
    """Labels in the first column, one float column per output column; NaN written as null."""
    import polars as pl

    if table.name in table.columns:
        raise MatrixError(f"the output has a column named {table.name!r} like its label column")
    frame = pl.from_numpy(
        np.asarray(table.values, dtype=np.float64), schema=table.columns, orient="row"
    )
    frame = frame.fill_nan(None).insert_column(0, pl.Series(table.name, table.rows, pl.String))
    frame.write_parquet(path)
