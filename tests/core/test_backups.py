"""`atclusters backup` and `atclusters restore`: the database and the uploaded files round-trip
through one archive; a restore refuses an install with data (unless --force), a damaged
archive, and entries outside the archive (docs/operations.md, "Backups")."""

import hashlib
import io
import json
import tarfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from atclusters.core import backups
from atclusters.core.reference import reference_load
from tests.factories import world_build

pytestmark = pytest.mark.django_db(transaction=True)

SNAPSHOT = ("auth.user", "core.agency", "registry.clusterorganisation", "registry.membership")


def snapshot() -> str:
    out = StringIO()
    call_command("dumpdata", *SNAPSHOT, "--indent=1", stdout=out)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    logo = settings.MEDIA_ROOT / "logos" / "food.png"
    logo.parent.mkdir(parents=True)
    logo.write_bytes(b"\x89PNG fake logo")
    return logo


def test_a_backup_restores_into_an_empty_install(tmp_path, media):
    reference_load()  # an earlier transactional test may have emptied the tables
    world_build()
    before = snapshot()
    archive = tmp_path / "backup.tar.gz"
    out = StringIO()
    call_command("backup", "-o", str(archive), "--json", stdout=out)
    manifest = json.loads(out.getvalue())
    assert manifest["files"]["media/logos/food.png"]["bytes"] == 14
    assert manifest["migrations"]["facilities"].startswith("00")

    with pytest.raises(CommandError, match="holds data"):
        call_command("restore", str(archive), stdout=StringIO())

    call_command("flush", "--no-input")
    media.unlink()
    assert backups.contents().empty
    call_command("restore", str(archive), stdout=StringIO())
    assert snapshot() == before
    assert media.read_bytes() == b"\x89PNG fake logo"


def _tampered(source, target, change):
    with tarfile.open(source, "r:gz") as original, tarfile.open(target, "w:gz") as copy:
        for member in original.getmembers():
            data = original.extractfile(member).read()
            member, data = change(member, data)
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))


def test_a_damaged_or_hostile_archive_is_refused_and_nothing_changes(tmp_path, media):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "-o", str(archive), stdout=StringIO())

    def damage(member, data):
        return member, (b"x" + data[1:]) if member.name.startswith("media/") else data

    damaged = tmp_path / "damaged.tar.gz"
    _tampered(archive, damaged, damage)
    with pytest.raises(CommandError, match="checksum differs"):
        call_command("restore", str(damaged), "--force", stdout=StringIO())

    def escape(member, data):
        if member.name.startswith("media/"):
            member.name = "../../outside.png"
        return member, data

    hostile = tmp_path / "hostile.tar.gz"
    _tampered(archive, hostile, escape)
    with pytest.raises(CommandError, match="unexpected entry"):
        call_command("restore", str(hostile), "--force", stdout=StringIO())
    assert not (tmp_path.parent / "outside.png").exists()

    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    with pytest.raises(CommandError, match="not a backup archive"):
        call_command("restore", str(not_a_backup), "--force", stdout=StringIO())


def _rewritten(source, target, manifest_change, extra=()):
    """A copy of the backup whose manifest is changed, with `extra` (name, bytes) members."""
    with tarfile.open(source, "r:gz") as original, tarfile.open(target, "w:gz") as copy:
        for member in original.getmembers():
            data = original.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest_change(manifest)
                data = json.dumps(manifest).encode()
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
        for name, data in extra:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            copy.addfile(info, io.BytesIO(data))


def test_a_manifest_naming_files_outside_the_uploads_or_no_database_is_refused(tmp_path, media):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "-o", str(archive), stdout=StringIO())
    assert archive.stat().st_mode & 0o777 == 0o600  # the whole database: the owner's only
    payload = b"console.log('owned')"
    digest = {"sha256": hashlib.sha256(payload).hexdigest(), "bytes": len(payload)}

    def climb(manifest):
        manifest["files"]["media/../static/site.js"] = digest

    escaping = tmp_path / "escaping.tar.gz"
    _rewritten(archive, escaping, climb, extra=[("static/site.js", payload)])
    with pytest.raises(CommandError, match="unexpected entry"):
        call_command("restore", str(escaping), "--force", stdout=StringIO())

    def no_database(manifest):
        del manifest["files"]["database.sqlite3" if "database.sqlite3" in manifest["files"]
                              else "database.dump"]  # fmt: skip

    headless = tmp_path / "headless.tar.gz"
    _rewritten(archive, headless, no_database)
    with pytest.raises(CommandError, match="names no database"):
        call_command("restore", str(headless), "--force", stdout=StringIO())
