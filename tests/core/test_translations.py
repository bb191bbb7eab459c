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
    with translation.override(language):
        url = reverse("cluster_list")
    assert url == f"/{language}/clusters/"
    assert expected in client.get(url).text
    with translation.override(language):
        assert translation.gettext("Cluster directory") == expected


@pytest.mark.django_db
def test_a_url_without_language_redirects_to_the_cookie_then_the_browser_language(client):
    assert client.get("/clusters/?country=ES").headers["Location"] == "/en/clusters/?country=ES"
    response = client.get("/clusters/", headers={"accept-language": "gl,es;q=0.8"})
    assert response.headers["Location"] == "/gl/clusters/"
    client.cookies["django_language"] = "pt"
    response = client.get("/clusters/", headers={"accept-language": "gl,es;q=0.8"})
    assert response.headers["Location"] == "/pt/clusters/"


@pytest.mark.django_db
def test_switching_language_keeps_the_page_and_its_filters(client):
    response = client.post(
        "/es/i18n/setlang/", {"language": "fr", "next": "/es/clusters/?country=ES&sort=name"}
    )
    assert response.headers["Location"] == "/fr/clusters/?country=ES&sort=name"
    assert client.get(response.headers["Location"]).wsgi_request.LANGUAGE_CODE == "fr"


@pytest.mark.django_db
def test_every_page_names_its_canonical_url_and_its_translations(client, world):
    body = client.get("/gl/clusters/food/").text
    assert '<link rel="canonical" href="http://testserver/gl/clusters/food/">' in body
    for code in ("en", "es", "gl", "pt", "fr"):
        link = f'<link rel="alternate" hreflang="{code}" href="http://testserver/{code}/clusters/food/">'
        assert link in body
    assert (
        '<link rel="alternate" hreflang="x-default" href="http://testserver/clusters/food/">'
        in body
    )
