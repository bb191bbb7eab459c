"""Searching the items: SQLite's FTS5 index (kept by triggers), PostgreSQL's full-text search
in the item's language (run with DATABASE_URL set), and the filters by source and date."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from atclusters.watch import feeds, search, selectors, services
from atclusters.watch.models import Item
from tests.watch.factories import source_added

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def entry(n: int, title: str, summary: str, language: str) -> feeds.Entry:
    return feeds.Entry(
        title=title, url=f"https://news.example.org/{n}", summary=summary, language=language
    )


@pytest.fixture
def items(world):
    news = source_added(world.cluster)
    papers = source_added(world.cluster, name="Papers")
    services.items_ingest(
        actor=None, source_row=news, now=NOW,
        feed=feeds.Feed(title="", language="", entries=[
            entry(1, "Envases compostables para conservas", "Una conservera prueba envases.", "es"),
            entry(2, "Compostable packaging for canned fish", "Trays and lids tested.", "en"),
            entry(3, "Emballages pour le poisson frais", "Un essai de barquettes.", "fr"),
        ]),
    )  # fmt: skip
    services.items_ingest(
        actor=None, source_row=papers, now=datetime(2026, 11, 2, tzinfo=UTC),
        feed=feeds.Feed(title="", language="", entries=[
            entry(4, "Sensores de humedad para el riego", "Viñedos atlánticos.", "es"),
        ]),
    )  # fmt: skip
    return news, papers


def titles(world, **filters) -> list[str]:
    found = selectors.inbox(world.admin, selectors.InboxFilter(**filters))
    return sorted(item.title[:20] for item in found)


def test_words_find_their_other_forms_and_phrases_and_exclusions(world, items):
    # "envase" finds "envases" (a prefix on SQLite, the Spanish stemmer on PostgreSQL).
    assert titles(world, text="envase") == ["Envases compostables"]
    assert titles(world, text="compostable") == ["Compostable packagin", "Envases compostables"]
    assert titles(world, text='"canned fish"') == ["Compostable packagin"]
    assert titles(world, text="compostable -fish") == ["Envases compostables"]
    assert titles(world, text="poisson frais") == ["Emballages pour le p"]
    assert titles(world, text="atlánticos") == ["Sensores de humedad "]
    if connection.vendor == "sqlite":  # FTS5's tokenizer removes accents
        assert titles(world, text="atlanticos") == ["Sensores de humedad "]
    # Operators of FTS5's own syntax in the words are read as words.
    assert titles(world, text='title: NEAR( "*') == []


def test_a_renamed_item_is_found_by_its_new_words(world, items):
    item = selectors.inbox(world.admin, selectors.InboxFilter(text="riego")).get()
    item.title = "Soil moisture sensors"
    item.save()
    assert titles(world, text="riego") == []
    assert titles(world, text="moisture") == ["Soil moisture sensor"]


def test_filters_by_source_and_date(world, items):
    _news, papers = items
    assert titles(world, source=papers.pk) == ["Sensores de humedad "]
    assert len(titles(world, since=datetime(2026, 12, 1, tzinfo=UTC))) == 3
    assert titles(world, until=datetime(2026, 12, 1, tzinfo=UTC)) == ["Sensores de humedad "]


SEARCHES = {
    "envase": ["Envases compostables"],
    "compostable": ["Compostable packagin", "Envases compostables"],
    '"canned fish"': ["Compostable packagin"],
    "compostable -fish": ["Envases compostables"],
    "poisson frais": ["Emballages pour le p"],
    "sensores riego": ["Sensores de humedad "],
    "sensores fish": [],
}


@pytest.mark.parametrize("candidates", [5000, 1, 0])
def test_a_page_of_few_candidates_is_the_page_of_the_walk(world, items, monkeypatch, candidates):
    """Whether the items having the words are few enough to be taken from the index first
    (PostgreSQL, selectors.SEARCH_CANDIDATES) or the newest items are walked, the search
    finds the same items, and the other filters still apply."""
    monkeypatch.setattr(selectors, "SEARCH_CANDIDATES", candidates)
    for words, expected in SEARCHES.items():
        assert titles(world, text=words) == expected, words
    _news, papers = items
    assert titles(world, text="compostable", source=papers.pk) == []
    assert titles(world, text="sensores", source=papers.pk) == ["Sensores de humedad "]
    assert titles(world, text="compostable", until=datetime(2026, 12, 1, tzinfo=UTC)) == []


def test_fts5_query_quotes_every_word():
    assert search.fts5_query('envase "canned fish" -military') == (
        '("envase"* AND "canned fish"*) NOT "military"*'
    )
    assert search.fts5_query("-only") == ""
    assert search.fts5_query('title: NEAR( "*') == '"title"* AND "NEAR"*'


def test_the_api_searches_and_filters(client, bearer, world, items):
    _news, papers = items

    def titles(query: str) -> list[str]:
        answer = client.get(f"/api/v1/watch/items?{query}", headers=bearer("admin"))
        assert answer.status_code == 200, answer.content
        return [item["title"][:20] for item in answer.json()["items"]]

    assert titles("q=envase") == ["Envases compostables"]
    assert titles(f"source={papers.pk}") == ["Sensores de humedad "]
    assert titles("until=2026-11-30") == ["Sensores de humedad "]
    assert len(titles("since=2026-12-07")) == 3
    assert client.get("/api/v1/watch/items?since=yesterday").status_code == 422


def _fts_rows(text: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM watch_item_fts WHERE watch_item_fts MATCH %s ORDER BY rowid",
            [search.fts5_query(text)],
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's")
def test_the_index_follows_inserts_updates_and_deletes_after_every_migration(world, items):
    """The test database is built by every migration: a later one that rebuilt `watch_item`
    (SQLite copies the table to alter it) and dropped the triggers with the old table, without
    creating them again (0006_item_search), would leave new items out of the search."""
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                       ["watch_item"])  # fmt: skip
        assert sorted(row[0] for row in cursor.fetchall()) == [
            "watch_item_fts_delete", "watch_item_fts_insert", "watch_item_fts_update",
        ]  # fmt: skip
    news, _papers = items
    services.items_ingest(
        actor=None, source_row=news, now=NOW,
        feed=feeds.Feed(title="", language="", entries=[
            entry(5, "Algas para bioplásticos", "Un polímero de algas.", "es"),
        ]),
    )  # fmt: skip
    added = Item.objects.get(title__startswith="Algas")
    assert _fts_rows("bioplásticos") == [added.pk]
    assert titles(world, text="bioplásticos") == ["Algas para bioplásti"]
    added.title = "Seaweed polymers"
    added.save()
    assert _fts_rows("bioplásticos") == [] and _fts_rows("seaweed") == [added.pk]
    added.delete()
    assert _fts_rows("seaweed") == [] and _fts_rows("polímero") == []
    with connection.cursor() as cursor:  # the index matches the table, row for row
        cursor.execute(
            "INSERT INTO watch_item_fts(watch_item_fts, rank) VALUES ('integrity-check', 1)"
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN index")
def test_postgresql_searches_on_the_index(world, items, monkeypatch):
    """Migration 0007's GIN index is the one the search reads: the few items having the words
    are read from it (once per language configuration), and the condition of the newest-first
    walk, when many have them, scans it too when sequential scans are forbidden."""
    sql, count = search.postgres_candidates_sql()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", ["compostable"] * count + [10])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert plan.count(f"Bitmap Index Scan on {search.POSTGRES_INDEX}") == 5, plan
    # The rows read are kept by their language only, no vector computed again.
    filters = [line for line in plan.splitlines() if line.strip().startswith("Filter")]
    assert filters and not any("to_tsvector" in line for line in filters), plan
    monkeypatch.setattr(selectors, "SEARCH_CANDIDATES", 0)  # every search a walk
    found = selectors.inbox(world.admin, selectors.InboxFilter(text="compostable"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # not the newest-first walk
        sql, params = found.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert plan.count(f"Bitmap Index Scan on {search.POSTGRES_INDEX}") == 5, plan
    # An item of no known language is searched with 'simple': its words unstemmed.
    assert titles(world, text="package") == ["Compostable packagin"]  # English stems
    item = found.get(language="en")
    item.language = ""
    item.save()
    assert titles(world, text="packaging") == ["Compostable packagin"]
    assert titles(world, text="package") == []
