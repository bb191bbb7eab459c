"""The languages of the platform, in one place: settings.LANGUAGES, the description fields'
languages, the API's language parameters, the framework texts and the text analysers all derive
from this list. Pure Python, so that pure modules may use it too.

Adding a language: a line in LANGUAGES and in IN_LABEL here, its translations (locale/), the
migrations `makemigrations` then writes (each per-language model field, core.entities.PerLanguage,
gains the language's column; the forms, import columns and API schemas follow), and the one
piece that cannot be derived: a stemmer and stop words in cooperation/text.py."""

from typing import TYPE_CHECKING, Literal


def gettext_noop(message: str) -> str:
    """Marks a name for makemessages; settings.py translates it lazily."""
    return message


LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en", gettext_noop("English")),
    ("es", gettext_noop("Spanish")),
    ("gl", gettext_noop("Galician")),
    ("pt", gettext_noop("Portuguese")),
    ("fr", gettext_noop("French")),
)
CODES: tuple[str, ...] = tuple(code for code, _name in LANGUAGES)
# The language in a field's label, "name (English)": some languages write it in lower case
# there ("nombre (inglés)"). core.entities.PerLanguage labels each language's field with it.
IN_LABEL: dict[str, str] = {
    "en": gettext_noop("(English)"),
    "es": gettext_noop("(Spanish)"),
    "gl": gettext_noop("(Galician)"),
    "pt": gettext_noop("(Portuguese)"),
    "fr": gettext_noop("(French)"),
}

# A language code in an API schema: the OpenAPI document lists the codes.
if TYPE_CHECKING:
    Code = str
else:
    Code = Literal[CODES]
