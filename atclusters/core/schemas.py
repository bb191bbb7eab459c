"""The base of request bodies in the REST API."""

from typing import Any

from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import model_validator
from pydantic_core import PydanticCustomError


class InputSchema(Schema):
    """A request body, or an object inside one: a JSON object. ninja's `Schema` is made for
    output too and reads the attributes of any value, so without this check `false`, `1` or `[]`
    would pass as an object with every field left out (and a PATCH would answer 200)."""

    @model_validator(mode="before")
    @classmethod
    def _a_json_object(cls, data: Any) -> Any:
        # ninja's own validator has already wrapped the value for attribute access
        value = data._obj if isinstance(data, DjangoGetter) else data
        if not isinstance(value, dict | cls):
            raise PydanticCustomError("json_object", "must be a JSON object")
        return data
