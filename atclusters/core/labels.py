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


# Spanish and Galician alphabets have ñ as a letter of its own after n (RAE, Ortografía 2010,
# 4.1; RAG, Normas ortográficas 2003, 1.1); elsewhere it is an n with a tilde. Mapping it to
# "n" + the last code point puts it after every "n…" and before "o".
_LETTERS = {"es": {"ñ": "n\U0010ffff"}, "gl": {"ñ": "n\U0010ffff"}}


def collation_key(text: str, language: str | None = None) -> tuple[str, str]:
    """Sort key in the reader's language: case and accents are ignored first ("AgroCluster"
    before "ASINCAR", "Álava" among the A's, "États-Unis" among the E's), as the Unicode
    Collation Algorithm's primary strength does, with the letters a language adds (ñ in
    Spanish and Galician); ties are broken by the text itself. No ICU in the environment: this
    is the documented normalisation (docs/portal.md)."""
    folded = unicodedata.normalize("NFC", text).casefold()
    for letter, key in _LETTERS.get(language or reader_language(), {}).items():
        folded = folded.replace(letter, key)
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c)
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


def fields_sorted(form: forms.BaseForm, *names: str) -> None:
    """`choices_sorted` on each named field of `form` (call it once the querysets are set)."""
    for name in names:
        choices_sorted(form.fields[name])
