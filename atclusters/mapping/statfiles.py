"""Readers for regional statistics files, as their publishers distribute them.

Pure Python (no Django): each reader turns a file's text into observations (region, industry,
year, measure, value, flag) or raises StatFileError listing every problem with its line and
column. Codes are normalised (Eurostat's `C10` → NACE `10`) but not checked against the
classifications: the importing service does that, with the database at hand.
"""

import csv
import io
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial

MEASURES = ("employment", "establishments", "wages")
FORMATS = ("eurostat-tsv", "sdmx-csv", "tidy-csv", "cbp")
# County Business Patterns' noise flags that mean no published value: D withheld to avoid
# disclosing data of one company (to 2016), S does not meet publication standards, N not
# available. G, H and J (noise below 2%, 2-5%, 5% or more) keep their value.
CBP_WITHHELD = {"D", "S", "N"}
CBP_FILE_YEAR = re.compile(r"cbp(\d\d)(co|st|us)", re.IGNORECASE)
NAICS_CBP = re.compile(r"^(\d{2,6})[-/]*$")

# Eurostat's units: values in thousands are stored in units.
UNIT_FACTORS = {"THS": 1000.0, "THS_PER": 1000.0, "THS_PS": 1000.0, "PS": 1.0, "NR": 1.0}
MISSING = ":"
NUL = "\x00"  # PostgreSQL cannot store it in text
NUL_PROBLEM = "contains the NUL character (\\0), not allowed in text"
_CELL = re.compile(r"^(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|:)\s*(?P<flags>[a-z]*)$")
_NACE_EUROSTAT = re.compile(r"^(?P<section>[A-U])(?P<digits>\d{2,4})$")
_NACE_PLAIN = re.compile(r"^\d{2}(\.\d{1,2})?$")
_NACE_AGGREGATE = re.compile(r"^(TOTAL|[A-U]|[A-U]-[A-U]|[A-U]_[A-U]|C\d\d-C\d\d|C\d\d_C\d\d)$")


@dataclass(frozen=True)
class Observation:
    region: str
    industry: str
    year: int
    measure: str
    value: float | None  # None where the publisher printed no value (":")
    # the publisher's flags, kept as printed: p provisional, e estimated, c confidential...
    flag: str = ""
    imputed: bool = False  # a value the platform estimated where the publisher printed none


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}, {self.column}" if self.line else self.column
        return f"{where}: {self.message}"


@dataclass
class StatFileError(Exception):
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        shown = "\n".join(str(problem) for problem in self.problems[:50])
        more = len(self.problems) - 50
        return shown + (f"\n… and {more} more" if more > 0 else "")


def normalise_industry(code: str) -> str | None:
    """NACE Rev. 2 code as the platform writes it (`10`, `10.1`, `10.11`), or an aggregate as
    Eurostat writes it (`TOTAL`, `B-E`, `M_N`, `C10-C12`); None when it is neither."""
    code = code.strip().upper()
    if _NACE_PLAIN.match(code) or _NACE_AGGREGATE.match(code):
        return code
    match = _NACE_EUROSTAT.match(code)
    if match:
        digits = match["digits"]
        return digits[:2] + ("." + digits[2:] if len(digits) > 2 else "")
    return None


def read(
    text: str,
    fmt: str,
    *,
    measure: str = "employment",
    where: dict[str, str] | None = None,
    year: int | None = None,
) -> list[Observation]:
    """Observations of `text` in format `fmt`; `where` keeps only the rows whose other
    dimensions (Eurostat's `unit`, `wstatus`, `indic_sb`...) have these values."""
    observations, problems = parse(text, fmt, measure=measure, where=where, year=year)
    if problems:
        raise StatFileError(problems)
    return observations


def parse(
    text: str,
    fmt: str,
    *,
    measure: str = "employment",
    where: dict[str, str] | None = None,
    year: int | None = None,
) -> tuple[list[Observation], list[Problem]]:
    """As `read`, returning the problems instead of raising, with the cells that were good.
    `year` is the year of a County Business Patterns file (its rows do not say)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; use one of {', '.join(MEASURES)}")
    readers: dict[str, Callable[..., Iterator[Observation]]] = {
        "eurostat-tsv": _eurostat_tsv,
        "sdmx-csv": _sdmx_csv,
        "tidy-csv": _tidy_csv,
        "cbp": partial(_cbp, year=year),
    }
    problems: list[Problem] = []
    if NUL in text:
        line = text.count("\n", 0, text.index(NUL)) + 1
        return [], [Problem(line, "file", NUL_PROBLEM)]
    observations = list(readers[fmt](text.lstrip("\ufeff"), measure, where or {}, problems))
    _check_unique(observations, problems)
    return observations, problems


def _number(raw: str, line: int, column: str, problems: list[Problem]) -> tuple[float | None, str]:
    match = _CELL.match(raw.strip())
    if match is None:
        problems.append(Problem(line, column, f"{raw.strip()!r} is not a number with flags"))
        return None, ""
    number = match["number"]
    value = None if number == MISSING else float(number)
    if value is not None and (not math.isfinite(value) or value < 0):
        problems.append(Problem(line, column, f"{number} is not a count or amount"))
        return None, ""
    return value, match["flags"]


def _scaled(value: float | None, unit: str | None) -> float | None:
    if value is None or unit is None:
        return value
    return value * UNIT_FACTORS.get(unit, 1.0)


def _dimensions_ok(
    dimensions: dict[str, str], where: dict[str, str], line: int, problems: list[Problem]
) -> bool:
    for name, wanted in where.items():
        if name not in dimensions:
            problems.append(Problem(line, name, "no such dimension in this file"))
            return False
        if dimensions[name] != wanted:
            return False
    return True


def _industry_and_region(
    dimensions: dict[str, str], line: int, problems: list[Problem]
) -> tuple[str, str] | None:
    industry_key = next((key for key in dimensions if key.startswith("nace")), None)
    if industry_key is None or "geo" not in dimensions:
        problems.append(Problem(line, "header", "needs a NACE dimension (nace_r2) and geo"))
        return None
    industry = normalise_industry(dimensions[industry_key])
    if industry is None:
        problems.append(
            Problem(line, industry_key, f"{dimensions[industry_key]!r} is not a NACE code")
        )
        return None
    return industry, dimensions["geo"].strip()


def _eurostat_tsv(
    text: str, measure: str, where: dict[str, str], problems: list[Problem]
) -> Iterator[Observation]:
    lines = text.splitlines()
    if not lines or "\\" not in lines[0].split("\t")[0]:
        problems.append(Problem(1, "header", "expected Eurostat's `dim1,dim2,geo\\TIME_PERIOD`"))
        return
    header = lines[0].split("\t")
    names = header[0].split("\\")[0].split(",")
    repeated = _repeated(names)
    if repeated:
        problems.append(Problem(1, "header", f"{', '.join(repeated)}: more than once"))
        return
    years = []
    for position, cell in enumerate(header[1:], start=2):
        try:
            years.append(int(cell.strip()))
        except ValueError:
            problems.append(Problem(1, f"column {position}", f"{cell.strip()!r} is not a year"))
    if problems:
        return
    seen_where = not where
    for number, row in enumerate(lines[1:], start=2):
        if not row.strip():
            continue
        cells = row.split("\t")
        keys = cells[0].split(",")
        if len(keys) != len(names) or len(cells) != len(years) + 1:
            problems.append(Problem(number, "row", "does not have the header's columns"))
            continue
        dimensions = dict(zip(names, keys, strict=True))
        if not _dimensions_ok(dimensions, where, number, problems):
            continue
        seen_where = True
        place = _industry_and_region(dimensions, number, problems)
        if place is None:
            continue
        industry, region = place
        for year, raw in zip(years, cells[1:], strict=True):
            value, flag = _number(raw, number, str(year), problems)
            yield Observation(
                region, industry, year, measure, _scaled(value, dimensions.get("unit")), flag
            )
    if not seen_where:
        problems.append(Problem(1, "where", f"no row has {where}"))


def _repeated(names: list[str]) -> list[str]:
    """The names that appear more than once, ignoring case (a dictionary per row would keep
    the last column of each)."""
    counts = Counter(name.strip().lower() for name in names)
    return sorted(name for name, count in counts.items() if count > 1)


def _csv_rows(text: str, problems: list[Problem]) -> Iterable[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    try:
        repeated = _repeated(list(reader.fieldnames or []))
        if repeated:
            problems.append(
                Problem(1, "header", f"{', '.join(repeated)}: more than once in the header")
            )
            return
        for number, row in enumerate(reader, start=2):
            yield number, {(key or "").strip(): (value or "").strip() for key, value in row.items()}
    except csv.Error as error:
        problems.append(Problem(reader.line_num, "file", f"not readable as CSV ({error})"))


SDMX_SERVICE_COLUMNS = {"DATAFLOW", "LAST UPDATE", "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG"}
SDMX_SERVICE_COLUMNS |= {"CONF_STATUS", "STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME"}


def _sdmx_csv(
    text: str, measure: str, where: dict[str, str], problems: list[Problem]
) -> Iterator[Observation]:
    for number, row in _csv_rows(text, problems):
        if "TIME_PERIOD" not in row or "OBS_VALUE" not in row:
            problems.append(Problem(1, "header", "SDMX-CSV needs TIME_PERIOD and OBS_VALUE"))
            return
        dimensions = {k: v for k, v in row.items() if k not in SDMX_SERVICE_COLUMNS}
        if not _dimensions_ok(dimensions, where, number, problems):
            continue
        place = _industry_and_region(dimensions, number, problems)
        if place is None:
            continue
        try:
            year = int(row["TIME_PERIOD"])
        except ValueError:
            problems.append(Problem(number, "TIME_PERIOD", f"{row['TIME_PERIOD']!r} is not a year"))
            continue
        raw = row["OBS_VALUE"] or MISSING
        value, _ = _number(raw, number, "OBS_VALUE", problems)
        flag = (row.get("OBS_FLAG") or "") + (row.get("CONF_STATUS") or "").lower()[:1]
        yield Observation(
            place[1], place[0], year, measure, _scaled(value, dimensions.get("unit")), flag
        )


def _tidy_csv(
    text: str, measure: str, where: dict[str, str], problems: list[Problem]
) -> Iterator[Observation]:
    """`region,industry,year` and one column per measure (employment, establishments, wages);
    an optional `flag` column applies to the row."""
    for number, row in _csv_rows(text, problems):
        missing = [name for name in ("region", "industry", "year") if name not in row]
        measures = [name for name in MEASURES if name in row]
        if missing or not measures:
            problems.append(
                Problem(1, "header", "needs region, industry, year and a measure column")
            )
            return
        industry = normalise_industry(row["industry"])
        if industry is None:
            problems.append(Problem(number, "industry", f"{row['industry']!r} is not a NACE code"))
            continue
        try:
            year = int(row["year"])
        except ValueError:
            problems.append(Problem(number, "year", f"{row['year']!r} is not a year"))
            continue
        for name in measures:
            if row[name] == "":
                continue
            value, flag = _number(row[name], number, name, problems)
            yield Observation(row["region"], industry, year, name, value, row.get("flag") or flag)


def cbp_year(file_name: str) -> int | None:
    """The year in a County Business Patterns file name (cbp21co.txt → 2021)."""
    match = CBP_FILE_YEAR.search(file_name)
    return 2000 + int(match[1]) if match else None


def _cbp(
    text: str, measure: str, where: dict[str, str], problems: list[Problem], *, year: int | None
) -> Iterator[Observation]:
    """U.S. County Business Patterns as the Census Bureau distributes them (county, state or
    national files; upper- or lower-case headers): every row gives employment (`emp`),
    establishments (`est`) and annual payroll (`ap`, in $1,000, stored as wages in $).
    Regions are `US`, `US` + state FIPS, `US` + state + county FIPS; statewide rows
    (county 999) are left out like Eurostat's Extra-Regio. Industries are NAICS codes without
    their padding (`------` is TOTAL, `31----` is 31, `3113//` is 3113)."""
    if year is None:
        problems.append(Problem(0, "year", "name the year of the file (e.g. cbp21co.txt)"))
        return
    where = {key.lower(): value for key, value in where.items()}
    for number, raw_row in _csv_rows(text, problems):
        row = {key.lower(): value for key, value in raw_row.items()}
        if "naics" not in row or "emp" not in row or "est" not in row:
            problems.append(Problem(1, "header", "County Business Patterns needs naics, emp, est"))
            return
        if row.get("lfo", "-") != where.get("lfo", "-"):
            continue
        if not _dimensions_ok(
            row, {k: v for k, v in where.items() if k != "lfo"}, number, problems
        ):
            continue
        if row.get("fipscty") == "999":
            continue
        region = "US" + row.get("fipstate", "") + row.get("fipscty", "")
        naics = row["naics"]
        industry = "TOTAL" if set(naics) <= {"-"} else None
        if industry is None:
            code = NAICS_CBP.match(naics)
            if code is None:
                problems.append(Problem(number, "naics", f"{naics!r} is not a NAICS code"))
                continue
            industry = code[1]
        flag = row.get("emp_nf", "")
        withheld = flag in CBP_WITHHELD
        for name, column, factor in (
            ("employment", "emp", 1.0),
            ("establishments", "est", 1.0),
            ("wages", "ap", 1000.0),
        ):
            if column not in row:
                continue
            value, _ = _number(row[column] or MISSING, number, column, problems)
            hidden = withheld and name != "establishments"
            yield Observation(
                region,
                industry,
                year,
                name,
                None if hidden or value is None else value * factor,
                (flag if name == "employment" else row.get(f"{column}_nf", "")) or "",
            )


def _check_unique(observations: list[Observation], problems: list[Problem]) -> None:
    seen: set[tuple[str, str, int, str]] = set()
    for observation in observations:
        key = (observation.region, observation.industry, observation.year, observation.measure)
        if key in seen:
            problems.append(
                Problem(
                    0,
                    "cell",
                    f"{observation.region} {observation.industry} {observation.year} appears "
                    "twice: choose one value of the other dimensions with --where",
                )
            )
            return
        seen.add(key)
