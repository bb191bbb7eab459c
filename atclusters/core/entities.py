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
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

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


def length_errors(instance: models.Model) -> dict[str, str]:
    """Field → message for each text of the row longer than its column allows: PostgreSQL
    would refuse the row with a database error (SQLite keeps it whole), so a service says which
    field first."""
    return {
        field.name: gettext("is longer than %(max)s characters") % {"max": field.max_length}
        for field in instance._meta.concrete_fields
        if isinstance(field, models.CharField)
        and field.max_length
        and isinstance(value := getattr(instance, field.attname), str)
        and len(value) > field.max_length
    }


class PerLanguage:
    """One model field per platform language, `<name>_<code>`, declared as one class attribute:

        name_texts = PerLanguage("name", models.CharField, _("name"), required=("en",),
                                 max_length=200)

    gives `name_en`, `name_es`, … labelled "name (English)", "name (Spanish)", …; a language added
    to core/languages.py gives the model its field (and a migration). The fields are made when the
    class body runs, so they keep their place among the model's fields, as if written one by one
    (the migrations see the same fields)."""

    def __init__(
        self,
        name: str,
        field_class: type[models.Field],
        label: str | Promise,
        *,
        required: tuple[str, ...] = (),
        **options: object,
    ):
        self.fields = {
            f"{name}_{code}": field_class(
                format_lazy("{} {}", label, gettext_lazy(languages.IN_LABEL[code])),
                blank=code not in required,
                **options,  # type: ignore[arg-type]
            )
            for code in languages.CODES
        }

    def contribute_to_class(self, cls: type[models.Model], name: str) -> None:
        for field_name, field in self.fields.items():
            cls.add_to_class(field_name, field)
