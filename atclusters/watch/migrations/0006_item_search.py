"""Full-text search of the items on SQLite: an FTS5 index of their title and summary (accents
removed, Unicode words), kept by triggers (https://www.sqlite.org/fts5.html, "External
Content Tables"). PostgreSQL searches with its own text search configurations per language
(selectors.inbox) and needs nothing here.

On SQLite, a later migration that rebuilds `watch_item` (adding or altering a field copies the
table into a new one) drops these triggers with the old table: such a migration must run
DROP then CREATE again (tests/watch/test_search.py fails otherwise)."""

from django.db import migrations

CREATE = [
    "CREATE VIRTUAL TABLE watch_item_fts USING fts5(title, summary, content='watch_item', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER watch_item_fts_insert AFTER INSERT ON watch_item BEGIN "
    "INSERT INTO watch_item_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary); "
    "END",
    "CREATE TRIGGER watch_item_fts_delete AFTER DELETE ON watch_item BEGIN "
    "INSERT INTO watch_item_fts(watch_item_fts, rowid, title, summary) "
    "VALUES ('delete', old.id, old.title, old.summary); END",
    "CREATE TRIGGER watch_item_fts_update AFTER UPDATE OF title, summary ON watch_item BEGIN "
    "INSERT INTO watch_item_fts(watch_item_fts, rowid, title, summary) "
    "VALUES ('delete', old.id, old.title, old.summary); "
    "INSERT INTO watch_item_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary); "
    "END",
    "INSERT INTO watch_item_fts(watch_item_fts) VALUES ('rebuild')",
]
DROP = [
    "DROP TRIGGER IF EXISTS watch_item_fts_update",
    "DROP TRIGGER IF EXISTS watch_item_fts_delete",
    "DROP TRIGGER IF EXISTS watch_item_fts_insert",
    "DROP TABLE IF EXISTS watch_item_fts",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("watch", "0005_full_text")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
