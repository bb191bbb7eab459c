"""Reading feeds (atclusters/watch/feeds.py) from recorded files: RSS, Atom and JSON Feed into
plain-text entries; hostile XML refused."""

import io
from datetime import UTC, datetime

import pytest

from atclusters.watch import feeds
from tests.watch.conftest import FEEDS


def test_rss():
    feed = feeds.parse((FEEDS / "rss.xml").read_bytes())
    assert feed.title == "Food technology news (demo)" and feed.language == "en"
    first = feed.entries[0]
    assert first.title == "Edible coatings extend the shelf life of fresh fish by five days"
    assert first.url.endswith("edible-coatings-fish?utm_source=rss&utm_medium=feed")
    assert first.summary.startswith("A chitosan-based edible coating") and "<" not in first.summary
    assert first.published == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    assert first.tags == ("packaging",)
    assert len(feed.entries) == 5


def test_atom_with_its_language():
    feed = feeds.parse((FEEDS / "atom.xml").read_bytes())
    assert [e.language for e in feed.entries] == ["pt", "pt", "pt"]
    assert feed.entries[0].url == "https://criativas.demo.atclusters.invalid/producao-virtual-porto"
    assert feed.entries[0].published == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def test_json_feed():
    feed = feeds.parse((FEEDS / "jsonfeed.json").read_bytes())
    assert feed.language == "es" and len(feed.entries) == 3
    first = feed.entries[0]
    assert first.title == "Nuevas reglas de etiquetado de alérgenos en alimentos envasados"
    assert first.tags == ("etiquetado", "alérgenos")
    assert first.published == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def test_markup_is_removed_and_scripts_dropped():
    body = b"""<rss version="2.0"><channel><title>t</title><item>
      <title>A &lt;b&gt;bold&lt;/b&gt; title</title><link>https://example.org/x</link>
      <description>&lt;p onclick="x()"&gt;Hello&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; bye&lt;/p&gt;</description>
    </item></channel></rss>"""
    entry = feeds.parse(body).entries[0]
    assert entry.title == "A bold title"
    assert entry.summary == "Hello & bye"


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml"])
def test_entity_declarations_are_refused(name):
    with pytest.raises(feeds.FeedError, match="refused"):
        feeds.parse((FEEDS / name).read_bytes())


def test_bytes_that_name_a_file_are_not_read_as_a_path():
    with pytest.raises(feeds.FeedError):
        feeds.parse(b"/etc/passwd")


@pytest.mark.parametrize(
    "body", [b"{}", b'{"version": "1"}', b"{not json", b"<html><body>no feed</body></html>"]
)
def test_what_is_not_a_feed(body):
    with pytest.raises(feeds.FeedError):
        feeds.parse(body)


def test_the_number_of_entries_is_bounded():
    items = "".join(
        f"<item><title>t{n}</title><link>https://example.org/{n}</link></item>" for n in range(600)
    )
    feed = feeds.parse(
        io.BytesIO(f'<rss version="2.0"><channel>{items}</channel></rss>'.encode()).read()
    )
    assert len(feed.entries) == feeds.MAX_ENTRIES
