"""The import framework every domain's importers build on. An import checks every row, reports
every error with its row number and column, and writes nothing unless the whole file is valid;
`Row` reads typed values and records an error against the column instead of stopping."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from atclusters.core import tables
from atclusters.core.audit import snapshot
from atclusters.core.entities import Entity
from atclusters.core.models import Agency
from atclusters.core.permissions import AnyUser, PermissionDenied

M = TypeVar("M", bound=Model)


def import_limits() -> tables.Limits:
    """What an upload may hold (docs/configuration.md)."""
    return tables.Limits(
        bytes=settings.IMPORT_MAX_BYTES,
        rows=settings.IMPORT_MAX_ROWS,
        columns=settings.IMPORT_MAX_COLUMNS,
        unpacked_bytes=settings.IMPORT_MAX_UNPACKED_BYTES,
    )


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "ok": self.ok,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [
                {"row": e.row, "column": e.column, "message": e.message} for e in self.errors
            ],
        }


class RowInvalid(Exception):
    pass


class Row:
    """One data row: typed getters that record an error against the column and carry on."""

    def __init__(self, number: int, values: dict[str, str], errors: list[RowError]):
        self.number = number
        self.values = values
        self.errors = errors
        self.failed = False

    def error(self, column: str, message: str) -> None:
        self.failed = True
        self.errors.append(RowError(self.number, column, message))

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.values.get(column, "").strip()
        if required and not value:
            self.error(column, _("is required"))
        if max_length and len(value) > max_length:
            self.error(column, _("is longer than %(max)s characters") % {"max": max_length})
        return value

    def integer(self, column: str, *, minimum: int | None = None, maximum: int | None = None):
        value = self.text(column)
        if not value:
            return None
        try:
            number = int(value)
        except ValueError:
            self.error(column, _("%(value)r is not a whole number") % {"value": value})
            return None
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            self.error(
                column,
                _("%(number)s is outside %(min)s–%(max)s")
                % {"number": number, "min": minimum, "max": maximum},
            )
        return number

    def decimal(self, column: str) -> Decimal | None:
        value = self.text(column).replace(",", ".")
        if not value:
            return None
        try:
            return Decimal(value)
        except InvalidOperation:
            self.error(column, _("%(value)r is not a number") % {"value": value})
            return None

    def date(self, column: str, *, required: bool = False) -> date | None:
        value = self.text(column, required=required)
        if not value:
            return None
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            self.error(column, _("%(value)r is not a date (use YYYY-MM-DD)") % {"value": value})
            return None

    def boolean(self, column: str) -> bool:
        value = self.text(column).lower()
        if value in {"", "0", "false", "no", "n"}:
            return False
        if value in {"1", "true", "yes", "y"}:
            return True
        self.error(column, _("%(value)r is not yes/no") % {"value": value})
        return False

    def choice(
        self, column: str, choices: Iterable[tuple[str, Any]], *, required: bool = False
    ) -> str:
        value = self.text(column, required=required)
        if not value:
            return ""
        for key, label in choices:
            if value.lower() in {str(key).lower(), str(label).lower()}:
                return key
        allowed = ", ".join(str(key) for key, _ in choices if key)
        self.error(
            column,
            _("unknown value %(value)r; allowed: %(allowed)s")
            % {"value": value, "allowed": allowed},
        )
        return ""

    def field(self, column: str, field: models.Field) -> Any:
        """The cell read as the model field takes it: its choices, its type, its length, its
        bounds; required where the field may not be blank and has no default."""
        required = not field.blank and not field.has_default()
        if field.choices:
            return self.choice(column, field.flatchoices, required=required)  # type: ignore[arg-type]
        if isinstance(field, models.BooleanField):
            return self.boolean(column)
        if isinstance(field, models.DecimalField | models.FloatField):
            return self.decimal(column)
        if isinstance(field, models.IntegerField):
            minimum, maximum = _bounds(field)
            return self.integer(column, minimum=minimum, maximum=maximum)
        if isinstance(field, models.DateField):
            return self.date(column, required=required)
        return self.text(column, required=required, max_length=field.max_length)

    def lookup(self, column: str, table: dict[str, Any], what: str, *, required: bool = False):
        value = self.text(column, required=required)
        if not value:
            return None
        found = table.get(value.lower())
        if found is None:
            self.error(column, _("unknown %(what)s %(value)r") % {"what": what, "value": value})
        return found

    def many(self, column: str, table: dict[str, Any], what: str, allowed: Iterable[str]) -> list:
        found = []
        for item in (part.strip() for part in self.text(column).split(";")):
            if not item:
                continue
            match = table.get(item.lower())
            if match is None:
                self.error(
                    column,
                    _("unknown %(what)s %(value)r; allowed: %(allowed)s")
                    % {"what": what, "value": item, "allowed": ", ".join(allowed)},
                )
            else:
                found.append(match)
        return found


def _bounds(field: models.Field) -> tuple[int | None, int | None]:
    """The narrowest range the field's validators allow (its own and the database's)."""
    minimum = [v.limit_value for v in field.validators if isinstance(v, MinValueValidator)]
    maximum = [v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)]
    return (max(minimum) if minimum else None), (min(maximum) if maximum else None)  # type: ignore[type-var]


def read_plain(row: Row, entity: Entity, *, own: Iterable[str] = ()) -> dict[str, Any]:
    """The entity's columns that hold a value of their own (not a reference to another record),
    each read as its model field says (`Row.field`), by model field name. The importer reads the
    columns named in `own` itself. An empty cell for a field with a default is left out: an
    update keeps what is stored, a creation takes the default."""
    references = {attribute.name for attribute in entity.references()}
    data: dict[str, Any] = {}
    for attribute in entity.attributes:
        if not attribute.column or attribute.name in references or attribute.name in own:
            continue
        field = entity.model_field(attribute)
        value = row.field(attribute.name, field)
        if value in ("", None) and field.has_default() and field.get_default() not in ("", None):
            continue
        data[attribute.field] = value
    return data


class Importer:
    kind: ClassVar[str]
    # The file's columns; an importer whose columns depend on its record (an event's
    # registration questions) sets them in __init__.
    columns: list[str]
    required_columns: ClassVar[set[str]]
    # Model field → column, so validation errors from the model name the file's column.
    field_columns: ClassVar[dict[str, str]] = {}

    # What the file may hold; None: the upload limits (import_limits). A trusted caller (the
    # command line) may allow more, e.g. CORDIS's full files.
    limits: tables.Limits | None = None

    def __init__(self, *, actor: AnyUser | None, default_agency: Agency | None = None):
        self.actor = actor
        self.default_agency = default_agency

    def prepare(self) -> None:
        """Loads the lookup tables once per import."""

    def apply(self, row: Row) -> tuple[str, Model]:
        raise NotImplementedError

    def export_queryset(self) -> QuerySet:
        raise NotImplementedError

    def export_row(self, instance: Any) -> dict[str, Any]:
        raise NotImplementedError

    def template_row(self) -> dict[str, str]:
        raise NotImplementedError

    def export(self, fmt: str) -> bytes:
        rows = [self.export_row(item) for item in self.export_queryset()]
        return tables.write_table(self.columns, rows, fmt)

    def template(self, fmt: str) -> bytes:
        return tables.write_table(self.columns, [self.template_row()], fmt)

    def _upsert(
        self,
        existing: M | None,
        create: Callable[[], M],
        update: Callable[[M], M],
    ) -> tuple[str, M]:
        if existing is None:
            return "created", create()
        before = snapshot(existing)
        instance = update(existing)
        return ("unchanged" if snapshot(instance) == before else "updated"), instance

    def run(self, content: bytes, filename: str, *, dry_run: bool = False) -> ImportReport:
        report = ImportReport(kind=self.kind, dry_run=dry_run)
        rows = self.read(content, filename, report)
        if rows is None:
            return report
        self.prepare()
        with transaction.atomic():
            for index, values in enumerate(rows, start=2):
                self._apply_row(Row(index, values, report.errors), report)
            if report.errors or dry_run:
                transaction.set_rollback(True)
        return report

    def read(
        self, content: bytes, filename: str, report: ImportReport
    ) -> list[dict[str, str]] | None:
        """The file's rows, counted in `report`, once the file reads and its header has every
        required column and no unknown one; None with the errors in `report` otherwise."""
        try:
            header, rows = tables.read_table(
                content, filename, limits=self.limits or import_limits()
            )
        except tables.DuplicateColumns as error:
            for column in error.columns:
                report.errors.append(RowError(1, column, _("appears more than once in the header")))
            return None
        except tables.TableError as error:
            report.errors.append(RowError(0, "file", str(error)))
            return None
        missing = sorted(self.required_columns - set(header))
        unknown = sorted(set(header) - {column.lower() for column in self.columns})
        for column in missing:
            report.errors.append(RowError(1, column, _("required column is missing")))
        for column in unknown:
            report.errors.append(
                RowError(
                    1,
                    column,
                    _("unknown column; expected: %(columns)s")
                    % {"columns": ", ".join(self.columns)},
                )
            )
        if report.errors:
            return None
        report.rows = len(rows)
        return rows

    def _check_row_rules(self, row: Row, instance: Model) -> None:
        """Runs the model's own row rules early, so they are reported with the row's other errors."""
        try:
            instance.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    row.error(self.field_columns.get(name, name), message)

    @staticmethod
    def refuse_nul(row: Row) -> None:
        # PostgreSQL cannot store NUL in text (SQLite would): refuse it here, for every column
        # of every importer, before any write is tried.
        for column, value in row.values.items():
            if tables.NUL in value:
                row.error(column, tables.nul_message())

    def _apply_row(self, row: Row, report: ImportReport) -> None:
        self.refuse_nul(row)
        if row.failed:
            return
        try:
            with transaction.atomic():
                outcome, _instance = self.apply(row)
        except RowInvalid:
            return
        except PermissionDenied:
            row.error("row", _("you may not change this record"))
            return
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = self.field_columns.get(name, name if name != "__all__" else "row")
                for message in messages:
                    row.error(column, message)
            return
        setattr(report, outcome, getattr(report, outcome) + 1)
