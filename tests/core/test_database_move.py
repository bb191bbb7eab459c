"""The move from the SQLite default to PostgreSQL that docs/operations.md ("When to leave
SQLite") prescribes, run as an operator would, on the demo: every row of every model arrives,
and the platform answers on the new database. Processes of their own (two databases at once);
once per CI run, in the SQLite suite, when a PostgreSQL server answers."""

import json
import os
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.db import connection

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")

# The documented command: what migrate recreates (content types, permissions) is referred to by
# natural keys, and what belongs to one installation's running processes is left behind.
DUMP = [
    "dumpdata",
    "--natural-foreign",
    "--natural-primary",
    "--exclude=contenttypes",
    "--exclude=auth.permission",
    "--exclude=sessions",
    "--exclude=django_tasks_database",
]

COUNTS = """
import json
from django.apps import apps
print(json.dumps({m._meta.label: m._default_manager.count() for m in apps.get_models()}))
"""


def run(environment: dict[str, str], *arguments: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "atclusters", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def counts(environment: dict[str, str]) -> dict[str, int]:
    return json.loads(run(environment, "shell", "-c", COUNTS).strip().splitlines()[-1])


@pytest.fixture
def postgres_database():
    try:
        admin = psycopg.connect(POSTGRES, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip("no PostgreSQL server answers at BENCH_POSTGRES_URL")
    name = f"atclusters_move_{uuid.uuid4().hex[:8]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield POSTGRES.rsplit("/", 1)[0] + f"/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(connection.vendor != "sqlite", reason="run once, in the SQLite suite")
def test_the_demo_moves_from_sqlite_to_postgresql_whole(tmp_path, postgres_database):
    base = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    base |= {"DEBUG": "1", "ATCLUSTERS_VAR_DIR": str(tmp_path)}
    sqlite = base | {"DATABASE_URL": f"sqlite:///{tmp_path / 'atclusters.sqlite3'}"}
    postgres = base | {"DATABASE_URL": postgres_database}
    run(sqlite, "demo", "--no-serve")
    dump = tmp_path / "move.json"
    run(sqlite, *DUMP, "--output", str(dump))

    run(postgres, "migrate", "--no-input")
    # Emptied of what the migrations filled (reference data), which the dump holds too; flush
    # makes the content types and permissions again.
    run(postgres, "flush", "--no-input")
    run(postgres, "loaddata", str(dump))

    left_behind = ("contenttypes.", "auth.Permission", "sessions.", "django_tasks_database.")
    before = {k: v for k, v in counts(sqlite).items() if not k.startswith(left_behind)}
    after = {k: v for k, v in counts(postgres).items() if not k.startswith(left_behind)}
    assert after == before
    assert before["registry.ClusterOrganisation"] >= 80
    assert before["stateaid.Grant"] > 0
    # New rows get fresh keys: loaddata moved PostgreSQL's sequences past the loaded ones.
    run(
        postgres,
        "shell",
        "-c",
        "from atclusters.core.models import Agency; "
        "Agency.objects.create(slug='after-move', name='After the move', country_id='ES')",
    )
