"""One-file backups of an install: the database and the uploaded files, with a manifest of
checksums (docs/operations.md, "Backups"). SQLite is copied online and consistently with
SQLite's backup API; PostgreSQL with pg_dump / pg_restore (custom format)."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from atclusters.core.models import Agency

FORMAT = "atclusters-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}


class BackupError(Exception):
    """The backup cannot be made or restored; nothing was changed."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _postgres_environment() -> dict[str, str]:
    database = settings.DATABASES["default"]
    values = {
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
        "PGDATABASE": database["NAME"],
    }
    return os.environ | {key: value for key, value in values.items() if value}


def _run(command: list[str]) -> None:
    try:
        # The programs are PostgreSQL's own; the arguments are fixed or come from the settings.
        subprocess.run(  # noqa: S603
            command, env=_postgres_environment(), check=True, capture_output=True, text=True
        )
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL's client tools)") from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()[-500:]}") from error


def _database_copy(target: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    elif connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])
    else:
        raise BackupError(f"no backup for a {connection.vendor} database")


def _migrations() -> dict[str, str]:
    """The newest migration applied, per app: what the backup's schema is."""
    applied: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied[app] = max(applied.get(app, ""), name)
    return dict(sorted(applied.items()))


def backup(output: Path) -> dict:
    """Writes the archive to `output` (written beside it, then renamed: never half a file) and
    returns its manifest."""
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"no backup for a {connection.vendor} database")
    with tempfile.TemporaryDirectory(prefix="atclusters-backup-") as folder:
        work = Path(folder)
        database = work / DATABASE_FILES[connection.vendor]
        _database_copy(database)
        members = {database.name: database}
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            for path in sorted(media.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    members[str(PurePosixPath("media", *path.relative_to(media).parts))] = path
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": connection.vendor,
            "migrations": _migrations(),
            "files": {
                name: {"sha256": _sha256(path), "bytes": path.stat().st_size}
                for name, path in members.items()
            },
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial = output.with_name(output.name + ".partial")
        # The archive holds the whole database (password hashes, tokens): its owner's only.
        partial.touch(mode=0o600)
        partial.chmod(0o600)
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / MANIFEST, arcname=MANIFEST)
            for name, path in members.items():
                archive.add(path, arcname=name)
        partial.replace(output)
    return manifest


@dataclass(frozen=True)
class Contents:
    users: int
    agencies: int

    @property
    def empty(self) -> bool:
        return not (self.users or self.agencies)


def contents() -> Contents:
    """What the install holds besides the reference data that every migrate loads."""
    return Contents(users=User.objects.count(), agencies=Agency.objects.count())


def _safe_name(name: str, database_file: str) -> bool:
    """The database file, or an upload under media/: relative, with no way up or out."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "." in path.parts or str(path) != name:
        return False
    return name == database_file or (len(path.parts) > 1 and path.parts[0] == "media")


def _read(archive: tarfile.TarFile, folder: Path) -> dict:
    """Extracts the archive into `folder` after checking every member against the manifest:
    regular files only, relative names inside the archive, the checksums."""
    try:
        manifest = json.load(archive.extractfile(MANIFEST))  # type: ignore[arg-type]
    except (KeyError, ValueError, tarfile.TarError, OSError, EOFError) as error:
        raise BackupError("not an atclusters backup: no readable manifest.json") from error
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError("not an atclusters backup of a version this platform reads")
    database_file = DATABASE_FILES.get(manifest.get("database", ""), "")
    files = manifest.get("files")
    if not database_file or not isinstance(files, dict) or database_file not in files:
        raise BackupError("not an atclusters backup: the manifest names no database")
    for name in files:
        if not _safe_name(name, database_file):
            raise BackupError(f"unexpected entry in the backup's manifest: {name!r}")
    try:
        members = archive.getmembers()
        for member in members:
            if not member.isfile() or member.name not in {*files, MANIFEST}:
                raise BackupError(f"unexpected entry in the backup: {member.name!r}")
        if {member.name for member in members} != {*files, MANIFEST}:
            raise BackupError("the backup lacks files its manifest lists")
        archive.extractall(folder, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"damaged backup: {error}") from error
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.is_file() or _sha256(path) != expected["sha256"]:
            raise BackupError(f"{name}: missing or its checksum differs (damaged backup)")
    return manifest


def _database_restore(source: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(source) as original:
            original.backup(connection.connection)
        original.close()
    else:
        connection.close()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", f"--dbname={settings.DATABASES['default']['NAME']}",
              str(source)])  # fmt: skip


def restore(archive_path: Path, *, force: bool = False) -> dict:
    """Replaces the database and the uploaded files with the backup's. Refuses an install that
    holds data unless `force`, a backup of another database kind, a damaged archive."""
    if not force and not (held := contents()).empty:
        raise BackupError(
            f"the database holds data ({held.users} users, {held.agencies} agencies): restore "
            "into an empty install, or --force to replace it"
        )
    if not tarfile.is_tarfile(archive_path):
        raise BackupError(f"{archive_path} is not a backup archive (.tar.gz)")
    with (
        tarfile.open(archive_path, "r:gz") as archive,
        tempfile.TemporaryDirectory(prefix="atclusters-restore-") as folder,
    ):
        work = Path(folder)
        manifest = _read(archive, work)
        if manifest["database"] != connection.vendor:
            raise BackupError(
                f"the backup is of a {manifest['database']} database and this install uses "
                f"{connection.vendor}: move between them with dumpdata / loaddata "
                "(docs/operations.md)"
            )
        _database_restore(work / DATABASE_FILES[connection.vendor])
        media = Path(settings.MEDIA_ROOT).resolve()
        for name in manifest["files"]:
            if name.startswith("media/"):
                target = media.joinpath(*PurePosixPath(name).parts[1:])
                if not target.resolve().is_relative_to(media):
                    raise BackupError(f"{name} points outside the uploads folder")
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(work / name, target)
    return manifest
