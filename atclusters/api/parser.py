"""How the API reads what a request sends, in one place for every endpoint: JSON bodies within
the bounds of every uploaded document (no nesting deeper than tables.JSON_MAX_DEPTH, no key
twice in one object), and no NUL character in any text of a body, a query or a form (PostgreSQL
cannot store it; SQLite would, so the rule is the platform's, not the database's)."""

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from atclusters.core import tables
from atclusters.core.api import ApiValidationError


class BodyRefused(Exception):
    """The request's body is not JSON the API reads (answered 400 with the reason)."""


def _refuse_nul(values: Any) -> None:
    place = tables.nul_place(values)
    if place is not None:
        raise ApiValidationError({place: [tables.nul_message()]})


class BoundedParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        try:
            data = tables.load_json(request.body)
        except tables.TableError as error:
            raise BodyRefused(str(error)) from error
        _refuse_nul(data)
        return data

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        values = super().parse_querydict(data, list_fields, request)
        _refuse_nul(values)
        return values
