"""The table of the shared cache (settings.CACHES["shared"]) when it is the database's, so that
`atclusters migrate` makes it like every other table (createcachetable leaves one that exists)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_periodic_runs")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
