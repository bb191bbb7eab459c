"""Hostile files sent to the register's imports (issue 16): on the page, through the API and on
the command line, each is refused with an error naming its row and column or saying why the file
cannot be read, and nothing is written (on PostgreSQL as on SQLite)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from atclusters.stateaid.models import Undertaking
from tests.hostile_files import declared_dimension_bomb, nested_json

pytestmark = pytest.mark.django_db

HOSTILE = {
    "nul.csv": (b"id,name,country\nA,Alpha\x00 SL,ES\n", (2, "name")),
    "nul.json": (
        json.dumps([{"id": "A\u0000", "name": "Alpha", "country": "ES"}]).encode(),
        (2, "id"),
    ),
    "repeated.csv": (b"id,name,country,Name\nA,Alpha,ES,Beta\n", (1, "name")),
    "nested.json": (nested_json(), (0, "file")),
    "bomb.xlsx": (declared_dimension_bomb({"A": "id", "B": "name", "C": "country"}), (0, "file")),
}
MESSAGES = {
    "nul.csv": "contains the NUL character",
    "nul.json": "contains the NUL character",
    "repeated.csv": "appears more than once in the header",
    "nested.json": "Invalid JSON: nested deeper than 32 levels.",
    "bomb.xlsx": "Row 1048576 has data in column XFD; the limit is 100 columns.",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_the_api_refuses_hostile_files(client, bearer, world, name):
    content, error = HOSTILE[name]
    for dry_run in ("true", "false"):
        response = client.post(
            f"/api/v1/stateaid/imports/undertakings?dry_run={dry_run}",
            {"file": SimpleUploadedFile(name, content)},
            headers=bearer("staff"),
        )
        assert response.status_code == 200
        body = response.json()
        assert body["ok"] is False
        assert [(e["row"], e["column"]) for e in body["errors"]] == [error]
        assert MESSAGES[name] in body["errors"][0]["message"]
    assert not Undertaking.objects.exists()


def test_the_page_refuses_hostile_files(login, world):
    client = login(world.staff)
    for name, (content, _error) in HOSTILE.items():
        response = client.post(
            "/en/state-aid/import/",
            {"kind": "undertakings", "file": SimpleUploadedFile(name, content), "dry_run": "on"},
        )
        assert response.status_code == 200, name
        assert "nothing was written" in response.text and MESSAGES[name] in response.text, name
    assert not Undertaking.objects.exists()


@pytest.mark.parametrize("name", HOSTILE)
def test_the_command_line_refuses_hostile_files(tmp_path, capsys, name):
    content, error = HOSTILE[name]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as refused:
        call_command("stateaid", "import-undertakings", str(path), "--dry-run", "--json")
    assert refused.value.returncode == 2 and "nothing imported" in str(refused.value)
    report = json.loads(capsys.readouterr().out)
    assert [(e["row"], e["column"]) for e in report["errors"]] == [error]
    assert not Undertaking.objects.exists()
