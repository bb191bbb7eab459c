"""Full-text search of the items on PostgreSQL: one GIN index per text search configuration,
partial on the items of that configuration's languages ('simple' for the others), over the
expression the search selector matches (watch/search.py writes both, so they cannot drift
apart). SQLite has its FTS5 table (0006) and needs nothing here."""

from django.db import migrations

from atclusters.watch import search


def _create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for config in search.POSTGRES_INDEXED:
        schema_editor.execute(search.postgres_index_sql(config))


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for config in search.POSTGRES_INDEXED:
        schema_editor.execute(f"DROP INDEX IF EXISTS watch_item_fts_{config}")


class Migration(migrations.Migration):
    dependencies = [("watch", "0006_item_search")]

    operations = [migrations.RunPython(_create, _drop)]
