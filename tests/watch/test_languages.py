"""The watch pages carry no English in Spanish, Galician, Portuguese and French (the crawl of
tests/core/test_language_crawl.py, seeded with the watch's pages; the items are Spanish data)."""

import json

import pytest

from atclusters.watch import feeds, services
from atclusters.watch.models import Item
from tests.core.test_language_crawl import crawl
from tests.watch.factories import source_added, topic_added

pytestmark = pytest.mark.django_db

FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "language": "es",
    "items": [
        {"id": "1", "url": "https://normativa.example.invalid/envases",
         "title": "El reglamento de envases exige envases reciclables",
         "summary": "Todos los envases serán reciclables en 2030."},
        {"id": "2", "url": "https://normativa.example.invalid/etiquetado",
         "title": "Nuevas reglas de etiquetado de alérgenos",
         "summary": "Cambios en el etiquetado de alérgenos."},
    ],
}  # fmt: skip


@pytest.mark.parametrize("language", ["es", "gl", "pt", "fr"])
def test_watch_pages_have_no_english_left(client, world, language):
    topic_added(world.cluster, name="Envases", mode="environmental", query="envases OR etiquetado")
    source = source_added(world.cluster, name="Normativa")
    services.items_ingest(
        actor=None, source_row=source, feed=feeds.parse(json.dumps(FEED).encode())
    )
    item = Item.objects.order_by("pk").first()
    services.item_curate(actor=None, item=item, status="validated", rating=4)
    services.comment_add(actor=world.manager, item=item, body="<p>Muy útil.</p>")
    bulletin = services.bulletin_create(
        actor=None, cluster=world.cluster, title="Semana 49", items=[item]
    )
    services.subscription_set(
        actor=None, user=world.manager, cluster=world.cluster, subscribed=True
    )
    services.idea_create(actor=None, item=item, title="Envases compartidos", stage="opportunity")
    client.force_login(world.manager)
    seeds = [
        "watch/", f"watch/items/{item.pk}/", "watch/sources/", "watch/topics/", "watch/dashboard/",
        "watch/bulletins/", f"watch/bulletins/new/?cluster={world.cluster.pk}",
        f"watch/bulletins/{bulletin.pk}/", "watch/subscriptions/", "watch/ideas/",
        f"watch/unsubscribe/{services.unsubscribe_token(world.manager.watch_subscriptions.get())}/",
    ]  # fmt: skip
    found = crawl(client, language, seeds)
    assert found == {}, "\n".join(f"{url}\n  " + "\n  ".join(lines) for url, lines in found.items())
