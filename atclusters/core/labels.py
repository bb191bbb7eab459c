"""Reference-data labels in the reader's language, and sorting names the way that reader would."""

import unicodedata
from collections.abc import Callable, Iterable

from django import forms
from django.utils.translation import get_language

# A name known in Spanish but not in Galician (a term an administrator translated into Spanish
# only) is closer to a Galician reader than English; every NACE title has its Galician one.
FALLBACKS = {"gl": ("es",)}


def reader_language() -> str:
    return (get_language() or "en").split("-")[0]


def localised(name: str, names: dict[str, str], language: str | None = None) -> str:
    """`name` (English) in `language` (default: the active one) when a translation is known."""
    language = language or reader_language()
    for candidate in (language, *FALLBACKS.get(language, ())):
        if names.get(candidate):
            return names[candidate]
    return name


def collation_key(text: str) -> tuple[str, str]:
    """Sort key ignoring case and accents first ("AgroCluster" before "ASINCAR", "Área" by A)."""
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c)
    )
    return folded, text


def sorted_by_label[T](items: Iterable[T], label: Callable[[T], str]) -> list[T]:
    return sorted(items, key=lambda item: collation_key(label(item)))


def choices_sorted(field: forms.Field) -> None:
    """Shows a choice field's options by their label in the reader's collation; the database
    would sort them by the English name, by case or by code. The empty choice stays first."""
    assert isinstance(field, forms.ChoiceField)
    choices = list(field.choices)  # type: ignore[arg-type]
    empty = [choice for choice in choices if choice[0] in ("", None)]
    rest = [choice for choice in choices if choice[0] not in ("", None)]
    field.widget.choices = empty + sorted(rest, key=lambda choice: collation_key(str(choice[1])))  # type: ignore[attr-defined]
