"""One description per entity: the fields a user gives for a record, declared once next to its
model, from which the edit form, the import file's columns and the API's input schema derive
(core.schemas.input_schema). The types, lengths, choices and labels come from the model fields;
the declaration says only which fields, in which order, under which name outside the database,
and where each one appears (docs/architecture.md, "One description per entity").

Adding a field: the model field (and its migration), then one `Attribute` in the declaration.
Adding a language: core/languages.py; `per_language` gives every declared text its new field."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models

from atclusters.core import languages


@dataclass(frozen=True)
class Attribute:
    field: str  # the model field
    # Its name in import files and the API, where it is not the field's (a NUTS region is
    # given by its code: "nuts_code").
    key: str = ""
    form: bool = True  # on the edit form
    column: bool = True  # a column of the import and export files
    api: bool = True  # in the API's input schema

    @property
    def name(self) -> str:
        return self.key or self.field


def per_language(field: str, **where: bool) -> tuple[Attribute, ...]:
    """`<field>_<code>` for every platform language, in the languages' order."""
    return tuple(Attribute(f"{field}_{code}", **where) for code in languages.CODES)  # type: ignore[arg-type]


class Entity:
    """A model and the attributes a user gives for it, in the order they are shown."""

    def __init__(self, model: type[models.Model], attributes: Iterable[Attribute]):
        self.model = model
        self.attributes = tuple(attributes)

    def model_field(self, attribute: Attribute) -> models.Field:
        return self.model._meta.get_field(attribute.field)  # type: ignore[return-value]

    def form_fields(self) -> list[str]:
        return [a.field for a in self.attributes if a.form]

    def columns(self) -> list[str]:
        return [a.name for a in self.attributes if a.column]

    def field_columns(self) -> dict[str, str]:
        """Model field → file column, where they differ (for errors the model raises)."""
        return {a.field: a.key for a in self.attributes if a.column and a.key}

    def api_attributes(self) -> list[Attribute]:
        return [a for a in self.attributes if a.api]

    def references(self) -> list[Attribute]:
        """The attributes that name other records (a country, sectors): each API and importer
        looks them up by its own key."""
        return [a for a in self.attributes if self.model_field(a).is_relation]

    def many_to_many(self) -> tuple[str, ...]:
        """The fields holding several related records (set after the row is saved)."""
        return tuple(a.field for a in self.attributes if self.model_field(a).many_to_many)

    def empty_value(self, attribute: Attribute) -> str | None:
        """What an emptied field holds: None where the column takes NULL, else ''."""
        return None if self.model_field(attribute).null else ""
