"""The base of request bodies in the REST API."""

import types
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any, Union, get_args, get_origin

from django.db import models
from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import ValidationInfo, create_model, field_validator, model_validator
from pydantic_core import PydanticCustomError

from atclusters.core import languages
from atclusters.core.entities import Entity

# The JSON types the OpenAPI schema gives each scalar type (a date is a string, YYYY-MM-DD; a
# decimal a number or a string).
JSON_TYPES: dict[type, set[type]] = {
    bool: {bool},
    int: {int, float},  # 2.0 is an integer to JSON Schema; 2.5 is refused by the int itself
    float: {int, float},
    Decimal: {int, float, str},
    str: {str},
    date: {str},
    datetime: {str},
    time: {str},
}
# Model field classes and the type a request gives them in; more specific classes first.
MODEL_TYPES: tuple[tuple[type, type], ...] = (
    (models.BooleanField, bool),
    (models.DecimalField, Decimal),
    (models.IntegerField, int),  # the small, positive and big ones too
    (models.FloatField, float),
    (models.DateTimeField, datetime),
    (models.DateField, date),
    (models.TimeField, time),
)
NAMES = {
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    Decimal: "a number",
    str: "a string",
    date: "a date (YYYY-MM-DD)",
    datetime: "a date and time (ISO 8601)",
    time: "a time (HH:MM)",
}


def _scalar_types(annotation: Any) -> set[type] | None:
    """The scalar types a field takes, or None for what is not only scalars (lists, objects,
    literals), which validate themselves."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _scalar_types(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        scalars: set[type] = set()
        for member in get_args(annotation):
            if member is type(None):
                continue
            member_scalars = _scalar_types(member)
            if member_scalars is None:
                return None
            scalars |= member_scalars
        return scalars
    return {annotation} if annotation in JSON_TYPES else None


def _json_type_of(value: Any) -> type | None:
    for json_type in (bool, int, float, str):  # bool first: True is an int to Python
        if isinstance(value, json_type):
            return json_type
    return None


class InputSchema(Schema):
    """A request body, or an object inside one: a JSON object whose values have the JSON types
    the schema says. ninja's `Schema` is made for output too and reads the attributes of any
    value, so without the first check `false`, `1` or `[]` would pass as an object with every
    field left out (and a PATCH would answer 200); and pydantic's lax mode would turn a number
    into a date (0 → 1970-01-01), 1 or "yes" into true, "3" into 3."""

    @model_validator(mode="before")
    @classmethod
    def _a_json_object(cls, data: Any) -> Any:
        # ninja's own validator has already wrapped the value for attribute access
        value = data._obj if isinstance(data, DjangoGetter) else data
        if not isinstance(value, dict | cls):
            raise PydanticCustomError("json_object", "must be a JSON object")
        return data

    @field_validator("*", mode="before")
    @classmethod
    def _the_json_type_of_the_schema(cls, value: Any, info: ValidationInfo) -> Any:
        field_name = info.field_name
        scalars = _scalar_types(cls.model_fields[field_name].annotation) if field_name else None
        given = _json_type_of(value)
        if scalars is None or given is None:
            return value
        if any(given in JSON_TYPES[scalar] for scalar in scalars):
            return value
        expected = " or ".join(sorted({NAMES[scalar] for scalar in scalars}))
        raise PydanticCustomError("json_type", "must be {expected}", {"expected": expected})


def _api_type(field: Any) -> Any:
    """The JSON-side type of a model field in a request body: a related record by its key (a
    code, a slug), several as a list of keys."""
    if field.many_to_many:
        return list[str]
    if field.is_relation:
        return str
    for model_type, api_type in MODEL_TYPES:
        if isinstance(field, model_type):
            return api_type
    return str


def input_schema(entity: Entity, name: str) -> type[InputSchema]:
    """The request body that updates `entity`: each of its API attributes, optional (a PATCH
    changes what it gives), typed from the model field."""
    attributes = {
        attribute.name: (_api_type(entity.model_field(attribute)) | None, None)
        for attribute in entity.api_attributes()
    }
    return create_model(
        name, __base__=InputSchema, __module__=entity.model.__module__, **attributes
    )  # type: ignore[call-overload, no-any-return]


def per_language_out(
    field: str, resolve: Callable[[str], Callable[[Any], Any]], name: str
) -> type[Schema]:
    """A base for an output schema with `<field>_<code>` for every platform language, each a
    string read by `resolve(<field>_<code>)` (a sanitiser, say)."""
    names = [f"{field}_{code}" for code in languages.CODES]
    return create_model(  # type: ignore[call-overload, no-any-return]
        name,
        __base__=Schema,
        # ninja reads `resolve_<name>` from the class body; create_model puts these there
        __validators__={f"resolve_{each}": staticmethod(resolve(each)) for each in names},
        **dict.fromkeys(names, (str, ...)),
    )
