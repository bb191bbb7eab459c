"""Full text: a source that asks for it has each new item's linked page read (SSRF-checked,
bounded, from a real local server) and its main text kept, sanitised, and scored."""

import json

import pytest

from atclusters.watch import pages, services
from atclusters.watch.models import Item
from tests.watch.factories import topic_added
from tests.webserver import send

pytestmark = pytest.mark.django_db

PAGE = """<!doctype html><html><head><meta charset="iso-8859-1"><title>Envases</title>
<script>document.write("tracking")</script><style>p { color: red }</style></head><body>
<header><p>Diario Agroalimentario, la web del sector</p></header>
<nav><ul><li>Portada, Empresas, Mercados, Opinión, Contacto</li></ul></nav>
<article><h1>Una conservera lanza envases compostables</h1>
<p>La empresa de Vigo probará la <b>vida útil</b> de sus conservas en envases compostables.</p>
<p>Los ensayos de <a href="javascript:alert(1)">alta presión</a> empiezan en enero.<script>x()</script></p>
<aside><p>Lea también: otras noticias del sector</p></aside>
<p>Corto.</p></article>
<footer><p>Todos los derechos reservados, Diario Agroalimentario</p></footer></body></html>"""


def test_the_main_text_of_a_page():
    text = pages.main_text(PAGE.encode("iso-8859-1"))
    assert text.split("\n\n") == [
        "Una conservera lanza envases compostables",
        "La empresa de Vigo probará la vida útil de sus conservas en envases compostables.",
        "Los ensayos de alta presión empiezan en enero.",
    ]
    assert len(pages.main_text(PAGE.encode("iso-8859-1"), limit=60)) <= 60
    # No article: the body's paragraphs; nothing readable: no text.
    assert pages.main_text(b"<p>Four words are enough here</p>") == "Four words are enough here"
    assert pages.main_text(b"\x00\xff<<<>>>") == ""


def test_a_full_text_source_reads_the_linked_pages(world, feed_server, local_allowed):
    topic_added(world.cluster, query='"alta presión"')
    feed = {
        "version": "https://jsonfeed.org/version/1.1", "language": "es",
        "items": [
            {"id": "1", "url": feed_server.url("/news/1"), "title": "Envases compostables",
             "summary": "Una conservera de Vigo."},
            {"id": "2", "url": feed_server.url("/news/2"), "title": "Otra noticia",
             "summary": "Sin página."},
            {"id": "3", "url": "http://10.0.0.1/news/3", "title": "Una más",
             "summary": "En una red privada."},
        ],
    }  # fmt: skip
    feed_server.routes["/feed"] = lambda h: send(h, 200, json.dumps(feed).encode())
    feed_server.routes["/news/1"] = lambda h: send(
        h, 200, PAGE.encode("iso-8859-1"), Content_Type="text/html; charset=iso-8859-1"
    )
    source = services.source_add(
        actor=None, cluster=world.cluster, name="Diario", url=feed_server.url("/feed"),
        full_text=True, source="test",
    )  # fmt: skip
    report = services.source_fetch(source_row=source)
    assert (len(report.new), report.error) == (3, "")
    read = Item.objects.get(title="Envases compostables")
    assert "empiezan en enero" in read.text and "<" not in read.text
    assert "Lea también" not in read.text and "tracking" not in read.text
    # The page's words count for the topics: "alta presión" is only in the page.
    assert read.matches.get().explanation["terms"] == ["alta presión"]
    # A missing page (404) and a private address give no text; the items keep their summary.
    assert set(Item.objects.exclude(pk=read.pk).values_list("text", flat=True)) == {""}
    requested = [request["path"] for request in feed_server.requests]
    assert requested == ["/feed", "/news/1", "/news/2"]
