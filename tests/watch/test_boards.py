"""Public boards: a curator makes a topic public, and anyone reads its validated items on the
website, in its Atom feed and through the site search; never the items to review or rejected,
another topic's, a draft cluster's, nor the curators' ratings, tags and comments; text from
the feeds stays text."""

import json

import pytest
from defusedxml import ElementTree as ET
from django.contrib.auth.models import AnonymousUser

from atclusters.core.permissions import PermissionDenied
from atclusters.watch import feeds, selectors, services
from atclusters.watch.models import Item
from tests.watch.factories import source_added, topic_added

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def json_feed(items: list[tuple[str, str, str]]) -> bytes:
    return json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Vineyards", "language": "en",
        "items": [
            {"id": link, "url": link, "title": title, "content_html": summary}
            for title, link, summary in items
        ],
    }).encode()  # fmt: skip


@pytest.fixture
def board(world):
    """The cluster's public "Sensors" board: one item validated (with a rating, a tag and a
    comment, and markup in its title and summary), one to review, one rejected; a validated
    item filed under a private topic only."""
    source = source_added(world.cluster)
    feed = feeds.parse(json_feed([
        ('<img src=x onerror="alert(1)">Soil sensors for vineyards',
         "https://news.example.org/1",
         "<p>Trials of sensors &lt;script&gt;alert(2)&lt;/script&gt; in Rías Baixas.</p>"),
        ("Sensors that nobody has checked yet", "https://news.example.org/2", "Unchecked."),
        ("Sensors the curators rejected", "https://news.example.org/3", "Off topic."),
        ("Irrigation schedules for albariño", "https://news.example.org/4", "Private topic."),
    ]))  # fmt: skip
    services.items_ingest(actor=None, source_row=source, feed=feed)
    topic = topic_added(world.cluster, name="Sensors", query="sensors")
    topic_added(world.cluster, name="Irrigation", query="irrigation")
    by_title = {item.title[:12]: item for item in Item.objects.all()}
    validated = by_title["Soil sensors"]
    services.item_curate(
        actor=world.manager, item=validated, status="validated", rating=5, tags=["secret-tag"]
    )
    services.comment_add(actor=world.manager, item=validated, body="Private remark.")
    services.item_curate(actor=world.manager, item=by_title["Sensors the "], status="rejected")
    services.item_curate(actor=world.manager, item=by_title["Irrigation s"], status="validated")
    services.topic_set_public(actor=world.manager, topic=topic, public=True)
    return topic, validated


def test_anyone_reads_the_validated_items_of_a_public_board_only(world, board, client):
    topic, validated = board
    assert list(selectors.board_items(topic=topic)) == [validated]
    listing = client.get("/en/technology-watch/").content.decode()
    assert f'href="/en/technology-watch/{topic.pk}/"' in listing and "Irrigation" not in listing
    page = client.get(f"/en/technology-watch/{topic.pk}/")
    content = page.content.decode()
    assert page.status_code == 200 and "Soil sensors for vineyards" in content
    for private in ("nobody has checked", "curators rejected", "albariño", "secret-tag",
                    "Private remark", "5/5"):  # fmt: skip
        assert private not in content
    # The feed's markup was removed when the item was taken in; what looked like markup in
    # its text is shown as text.
    assert "onerror" not in content and "<script>alert" not in content
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in content
    # Words narrow the board without reaching beyond it.
    assert (
        "Soil sensors"
        in client.get(f"/en/technology-watch/{topic.pk}/?q=vineyards").content.decode()
    )
    assert "No item." in client.get(f"/en/technology-watch/{topic.pk}/?q=checked").content.decode()


def test_the_boards_atom_feed(world, board, client):
    topic, _validated = board
    answer = client.get(f"/en/technology-watch/{topic.pk}.atom")
    assert answer["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(answer.content)
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Soil sensors for vineyards"]
    assert entries[0].find(f"{ATOM}link").get("href") == "https://news.example.org/1"
    assert entries[0].findall(f"{ATOM}category") == []  # the curators' tags stay theirs
    assert b"<script>" not in answer.content and b"secret-tag" not in answer.content
    assert "<script>alert(2)</script>" in entries[0].findtext(f"{ATOM}summary")


def test_private_topics_and_draft_clusters_have_no_board(world, board, client):
    topic, _validated = board
    private = topic_added(world.cluster, name="Other", query="sensors")
    assert client.get(f"/en/technology-watch/{private.pk}/").status_code == 404
    assert client.get(f"/en/technology-watch/{private.pk}.atom").status_code == 404
    hidden = topic_added(world.draft, name="Draft board", query="sensors")
    services.topic_set_public(actor=world.manager, topic=hidden, public=True)
    assert client.get(f"/en/technology-watch/{hidden.pk}/").status_code == 404
    services.topic_set_public(actor=world.manager, topic=topic, public=False)
    assert client.get(f"/en/technology-watch/{topic.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.topic_set_public(actor=world.rep, topic=topic, public=True)


def test_the_site_search_finds_public_items_for_anyone_and_nothing_private(world, board):
    topic, validated = board
    anonymous = AnonymousUser()
    found = selectors.site_search(user=anonymous, query="sensors")
    assert [(r.title, r.url) for r in found] == [
        ("Soil sensors for vineyards", f"/en/technology-watch/{topic.pk}/#item-{validated.pk}")
    ]
    assert selectors.site_search(user=anonymous, query="albariño") == []
    assert selectors.site_search(user=anonymous, query="checked") == []
    # A curator finds the same item once, on its own page.
    mine = selectors.site_search(user=world.manager, query="vineyards")
    assert [r.url for r in mine] == [f"/en/watch/items/{validated.pk}/"]
