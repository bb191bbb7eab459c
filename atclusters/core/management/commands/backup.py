import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from atclusters.core import backups


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files into one archive with a manifest of "
        "checksums (SQLite online through its backup API; PostgreSQL with pg_dump)."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="the archive to write (.tar.gz)")
        parser.add_argument("--json", action="store_true", help="print the manifest as JSON")

    def handle(self, *args, **options):
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"--output: no folder {output.parent}", returncode=2)
        try:
            manifest = backups.backup(output)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(manifest, indent=2))
        else:
            size = sum(item["bytes"] for item in manifest["files"].values())
            self.stdout.write(
                f"{output}: {manifest['database']} database and "
                f"{len(manifest['files']) - 1} uploaded files, {size:,} bytes before compression"
            )
