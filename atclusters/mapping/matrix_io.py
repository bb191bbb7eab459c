"""Reading value matrices for the metrics (pure: pandas, no Django). Every problem is reported
with the row and column it is in."""

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd


class MatrixError(ValueError):
    pass


def _check_labels(labels: pd.Index, what: str) -> None:
    duplicated = labels[labels.duplicated()].unique()
    if len(duplicated):
        raise MatrixError(f"duplicate {what} label(s): {', '.join(map(str, duplicated[:5]))}")
    if labels.isna().any() or (labels.astype(str).str.strip() == "").any():
        raise MatrixError(f"a {what} label is empty")


def _numeric(frame: pd.DataFrame, allow_negative: bool = False) -> pd.DataFrame:
    numbers = frame.apply(pd.to_numeric, errors="coerce")
    bad = numbers.isna() & frame.notna() & (frame.astype(str).apply(lambda c: c.str.strip()) != "")
    if bad.to_numpy().any():
        row, column = np.argwhere(bad.to_numpy())[0]
        raise MatrixError(
            f"row {frame.index[row]!s}, column {frame.columns[column]!s}: "
            f"{frame.iat[row, column]!r} is not a number"
        )
    numbers = numbers.fillna(0.0)
    if not allow_negative and (numbers.to_numpy() < 0).any():
        row, column = np.argwhere(numbers.to_numpy() < 0)[0]
        raise MatrixError(
            f"row {frame.index[row]!s}, column {frame.columns[column]!s}: negative value "
            f"{numbers.iat[row, column]}"
        )
    return numbers.astype(float)


def read_matrix(path: Path, *, long: bool = False, year: str | None = None) -> pd.DataFrame:
    """A matrix CSV (first column = row labels, header = column labels) or, with `long`, a CSV of
    `region,industry,value` rows (an optional `year` column needs `year` when it holds several)."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise MatrixError(f"{path}: no such file") from None
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
        raise MatrixError(f"{path}: not a readable CSV file ({error})") from None
    header = [
        name.strip()
        for name in next(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))), [])
    ]
    _check_labels(pd.Index(header[1:] if not long else header), "column")
    if long:
        return _from_long(raw, year)
    if raw.shape[1] < 2 or raw.shape[0] < 1:
        raise MatrixError("the matrix is empty: it needs a header, a label column and values")
    frame = raw.set_index(raw.columns[0])
    frame.index = frame.index.astype(str).str.strip()
    label = str(frame.index.name or "").strip()
    frame.index.name = "region" if not label or label.startswith("Unnamed") else label
    frame.columns = frame.columns.astype(str).str.strip()
    frame.columns = header[1:]
    _check_labels(frame.index, "row")
    return _numeric(frame)


def _from_long(raw: pd.DataFrame, year: str | None) -> pd.DataFrame:
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
    matrix.columns.name = None
    return matrix


def read_vector(path: Path, labels: pd.Index, what: str) -> np.ndarray:
    """A two-column CSV (label, value) aligned to `labels`, e.g. population by region."""
    frame = read_matrix(path)
    if frame.shape[1] != 1:
        raise MatrixError(f"{path}: the {what} file needs two columns (label, value)")
    missing = [label for label in labels if label not in frame.index]
    if missing:
        raise MatrixError(f"{path}: no {what} for {', '.join(map(str, missing[:5]))}")
    return frame.loc[labels].iloc[:, 0].to_numpy(dtype=float)
