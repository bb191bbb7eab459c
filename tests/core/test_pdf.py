"""The PDF renderer (atclusters/core/pdf.py) reads our static files, logos and data: URIs, and
fetches nothing else: a URL in a document (an image, a stylesheet) is left out, the PDF still
renders, and no request reaches the server it names (a real local server, tests/webserver.py)."""

import base64
from pathlib import Path

import pytest
from django.template import engines

from atclusters.core import pdf
from tests.webserver import send

ICON = Path(pdf.__file__).parent.parent / "static" / "atclusters" / "icon-192.png"
IMAGE = b"/Subtype /Image"
SITE = "https://clusters.example"


@pytest.fixture(autouse=True)
def site(settings):
    """Relative references resolve against SITE_URL."""
    settings.SITE_URL = SITE


def _render(source: str, **context) -> bytes:
    return pdf.pdf_from_html(engines["django"].from_string(source).render(context))


def test_urls_are_refused_and_static_files_are_read(feed_server):
    feed_server.routes["/logo.png"] = lambda h: send(h, 200, ICON.read_bytes())
    feed_server.routes["/style.css"] = lambda h: send(h, 200, b"p{color:red}")
    document = _render(
        "{% load static %}<link rel='stylesheet' href='{{ css }}'><p>Bulletin</p>"
        "<img src='{{ remote }}'><img src='{% static 'atclusters/icon-192.png' %}'>",
        remote=feed_server.url("/logo.png"), css=feed_server.url("/style.css"),
    )  # fmt: skip
    assert document.startswith(b"%PDF-")
    assert feed_server.requests == []
    # The icon is drawn (an image and its alpha mask), the remote image is not.
    assert document.count(IMAGE) == 2


def test_a_document_with_only_a_url_renders_without_it(feed_server):
    document = _render("<p>Bulletin</p><img src='{{ remote }}'>", remote=feed_server.url("/x"))
    assert document.startswith(b"%PDF-") and IMAGE not in document
    assert feed_server.requests == []


def test_data_uris_are_read():
    data = "data:image/png;base64," + base64.b64encode(ICON.read_bytes()).decode()
    assert IMAGE in _render("<img src='{{ data }}'>", data=data)


def test_a_stylesheet_is_read_from_static_files():
    css = ICON.parent / "site.css"
    assert pdf.local_file(f"{SITE}/static/atclusters/site.css") == (css.read_bytes(), "text/css")


def test_logos_are_read_and_other_media_refused(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos" / "gc.png").write_bytes(ICON.read_bytes())
    (tmp_path / "agreements").mkdir()
    (tmp_path / "agreements" / "secret.png").write_bytes(ICON.read_bytes())
    assert IMAGE in _render("<img src='/media/logos/gc.png'>")
    for url in ("/media/agreements/secret.png", "/media/logos/../agreements/secret.png"):
        assert IMAGE not in _render(f"<img src='{url}'>")
        with pytest.raises(pdf.RefusedURL):
            pdf.local_file(SITE + url)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        f"{SITE}/static/../../settings.py",
        f"{SITE}/static/%2e%2e/%2e%2e/settings.py",
        "http://other.example/static/atclusters/site.css",
        "ftp://clusters.example/static/atclusters/site.css",
    ],
)
def test_other_references_are_refused(url):
    with pytest.raises(pdf.RefusedURL):
        pdf.local_file(url)


def test_static_files_under_a_cdn_static_url_are_read_from_disk_and_nothing_is_fetched(
    feed_server, settings
):
    """With STATIC_URL on a CDN, `{% static %}` names the CDN: the PDF still has its images and
    stylesheets, read by path from the static files, and the CDN is never asked; any other
    address on that host, or elsewhere, is refused as before."""
    settings.STATIC_URL = "https://cdn.example.org/static/"
    feed_server.routes["/logo.png"] = lambda h: send(h, 200, ICON.read_bytes())
    document = _render(
        "{% load static %}<link rel='stylesheet' href='{% static 'atclusters/site.css' %}'>"
        "<p>Bulletin</p><img src='{% static 'atclusters/icon-192.png' %}'><img src='{{ remote }}'>",
        remote=feed_server.url("/logo.png"),
    )
    assert document.count(IMAGE) == 2 and feed_server.requests == []
    css = ICON.parent / "site.css"
    cdn = "https://cdn.example.org/static/atclusters/site.css"
    assert pdf.local_file(cdn) == (css.read_bytes(), "text/css")
    for url in (
        "https://cdn.example.org/other/atclusters/site.css",
        "https://cdn.example.org/static/../../settings.py",
        "http://cdn.example.org/static/atclusters/site.css",
        f"{SITE}/static/atclusters/site.css",  # the site no longer serves them
    ):
        with pytest.raises(pdf.RefusedURL):
            pdf.local_file(url)
