"""The interface ships complete in five languages."""

from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "atclusters" / "locale"
LANGUAGES = ["es", "gl", "pt", "fr"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_po_file_is_complete(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert po.percent_translated() == 100
    assert not po.fuzzy_entries()
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled = {entry.msgid: entry.msgstr for entry in mo}
    for entry in po.translated_entries():
        if not entry.msgid_plural:
            assert compiled.get(entry.msgid) == entry.msgstr, (
                f"{language}: .mo is stale; run make messages"
            )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("es", "Directorio de clústeres"),
        ("gl", "Directorio de clústeres"),
        ("pt", "Diretório de clusters"),
        ("fr", "Annuaire des clusters"),
    ],
)
@pytest.mark.django_db
def test_pages_render_in_each_language(client, language, expected):
    client.cookies["django_language"] = language
    assert expected in client.get(reverse("cluster_list")).text
    with translation.override(language):
        assert translation.gettext("Cluster directory") == expected
