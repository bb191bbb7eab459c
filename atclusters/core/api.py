"""The API kit every domain's router uses: the error answers it documents, paging, and the
exception for input the API itself refuses."""

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import BeforeValidator

from atclusters.core.errors import DomainError

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: Any) -> Any:
    """A day is written YYYY-MM-DD: pydantic would also read "0" as 1 January 1970."""
    if isinstance(value, str) and not ISO_DAY.fullmatch(value):
        raise ValueError("a day is written YYYY-MM-DD")
    return value


# A day in a query string, as the OpenAPI schema says (format: date), nothing else.
IsoDay = Annotated[date, BeforeValidator(_iso_day)]


class ErrorOut(Schema):
    detail: Any


READ_ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class Pagination(LimitOffsetPagination):
    """limit/offset paging; the offset is bounded so it always fits the database's integers."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500)
        offset: int = Field(0, ge=0, le=1_000_000_000)


class ImportErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportOut(Schema):
    """What an import over the API answers (core.importing's report)."""

    kind: str
    ok: bool
    dry_run: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    errors: list[ImportErrorOut]


class Documents:
    """A queryset whose rows become documents only for the page asked: `Pagination` counts it
    in the database and slices it there, and `document` turns the page's rows into the answer."""

    def __init__(self, queryset: QuerySet, document: Callable[[Any], dict]):
        self.queryset, self.document = queryset, document

    def all(self) -> QuerySet:
        return self.queryset

    def __getitem__(self, page: slice) -> list[dict]:
        return [self.document(row) for row in self.queryset[page]]


class ApiValidationError(DomainError):
    """Input the API itself refuses (an unknown slug, a malformed value), with every message of
    every field: answered 422 with `{"detail": {field: [message, ...]}}` like any DomainError."""

    def __init__(self, detail: dict[str, list[str]]):
        field, messages = next(iter(detail.items()))
        super().__init__(field, messages[0])
        self._detail = detail

    @property
    def errors(self) -> dict[str, str]:
        return {field: " ".join(messages) for field, messages in self._detail.items()}

    @property
    def detail(self) -> dict[str, list[str]]:
        return self._detail
