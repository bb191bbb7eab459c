"""Full-text search of the items on PostgreSQL: a GIN index of each item's title and summary in
its language's text search configuration ('simple' for an item of none of the five), the
expression the search selector matches (watch/search.py writes both, so they cannot drift
apart). SQLite has its FTS5 table (0006) and needs nothing here."""

from django.db import migrations

from atclusters.watch import search


def _create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(search.postgres_index_sql())


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {search.POSTGRES_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("watch", "0006_item_search")]

    operations = [migrations.RunPython(_create, _drop)]
