"""The installation's identity from settings, and its legal pages in five languages."""

import pytest
from django.test import override_settings

from atclusters.core.models import SitePage

pytestmark = pytest.mark.django_db

TITLES = {
    "en": ("Legal notice", "Privacy notice", "Cookies", "Accessibility statement"),
    "es": ("Aviso legal", "Política de privacidad", "Cookies", "Declaración de accesibilidad"),
    "gl": ("Aviso legal", "Política de privacidade", "Cookies", "Declaración de accesibilidade"),
    "pt": ("Aviso legal", "Política de privacidade", "Cookies", "Declaração de acessibilidade"),
    "fr": (
        "Mentions légales",
        "Politique de confidentialité",
        "Cookies",
        "Déclaration d'accessibilité",
    ),
}
PAGES = ("legal-notice", "privacy", "cookies", "accessibility")


@pytest.mark.parametrize("language", list(TITLES))
def test_every_page_links_the_legal_pages_in_the_reader_language(client, language):
    body = client.get(f"/{language}/").text
    footer = body.split('<footer class="bottom">')[1]
    for page, title in zip(PAGES, TITLES[language], strict=True):
        assert f'<a href="/{language}/about/{page}/">{title}</a>' in footer
        page_body = client.get(f"/{language}/about/{page}/").text
        assert f"<h1>{title}</h1>" in page_body


@override_settings(
    SITE_NAME="Clusters Galicia",
    SITE_OPERATOR='{"en": "Galician Innovation Agency", "gl": "Axencia Galega de Innovación"}',
    SITE_CONTACT_EMAIL="clusters@example.gal",
    SITE_OPERATOR_IDENTIFIER="Q1500000X",
    SITE_FUNDING="Co-funded by the European Union — Interreg Atlantic Area",
    DATA_PROTECTION_AUTHORITY="Agencia Española de Protección de Datos",
)
def test_the_operator_named_by_settings_in_the_reader_language(client):
    body = client.get("/gl/").text
    assert "<title>" in body and "· Clusters Galicia</title>" in body
    assert "Clusters Galicia é un servizo de Axencia Galega de Innovación." in body
    assert "Co-funded by the European Union — Interreg Atlantic Area" in body
    # a language the setting does not give falls back to its English text
    assert (
        "Clusters Galicia est un service de Galician Innovation Agency." in client.get("/fr/").text
    )
    notice = client.get("/es/about/legal-notice/").text
    assert "Q1500000X" in notice and "mailto:clusters@example.gal" in notice
    privacy = client.get("/es/about/privacy/").text
    # the controller defaults to the operator, its contact to the site's
    assert "Galician Innovation Agency" in privacy and "mailto:clusters@example.gal" in privacy
    assert "autoridad de control: Agencia Española de Protección de Datos" in privacy


def test_unconfigured_details_are_said_to_be_missing(client):
    notice = client.get("/pt/about/legal-notice/").text
    assert notice.count("O operador desta instalação ainda não o indicou.") == 4
    assert (
        "autorité de protection des données de votre État membre"
        in client.get("/fr/about/privacy/").text
    )


def test_an_administrator_text_replaces_the_default_in_its_languages_only(client):
    SitePage.objects.create(
        slug="privacy",
        title_es="Privacidad de la Axencia",
        body_es='<p>Texto propio.</p><script>alert("x")</script>',
    )
    spanish = client.get("/es/about/privacy/").text
    assert "<h1>Privacidad de la Axencia</h1>" in spanish and "<p>Texto propio.</p>" in spanish
    assert "alert(" not in spanish
    assert "Politique de confidentialité" in client.get("/fr/about/privacy/").text
    assert client.get("/es/about/nothing/").status_code == 404


def test_the_cookie_notice_lists_every_cookie_the_site_sets(client, world):
    client.get("/es/")
    client.post("/es/i18n/setlang/", {"language": "gl", "next": "/gl/"})
    client.force_login(world.staff)
    client.get("/gl/clusters/food/edit/")
    set_by_site = set(client.cookies)
    notice = client.get("/gl/about/cookies/").text
    listed = {
        name
        for name in ("sessionid", "csrftoken", "django_language", "messages")
        if f"<code>{name}</code>" in notice
    }
    assert set_by_site and set_by_site <= listed


@pytest.mark.parametrize(
    ("colour", "css"),
    [("#0a7d3b", ":root { --accent: #0a7d3b; }\n"), ("red;}body{display:none", "")],
)
def test_the_brand_colour_is_a_stylesheet_and_only_a_colour(client, colour, css):
    with override_settings(SITE_ACCENT_COLOUR=colour):
        response = client.get("/brand.css")
        assert response.text == css and response["Content-Type"].startswith("text/css")
        assert ('href="/brand.css"' in client.get("/en/").text) is True
