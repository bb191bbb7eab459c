from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from atclusters.core import backups


class Command(BaseCommand):
    help = (
        "Restore a backup made by `atclusters backup` into this install: the database and the "
        "uploaded files. Refuses an install that holds data unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the backup (.tar.gz)")
        parser.add_argument(
            "--force", action="store_true", help="replace the data this install holds"
        )

    def handle(self, *args, **options):
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"no file {archive}", returncode=2)
        try:
            manifest = backups.restore(archive, force=options["force"])
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"restored the backup of {manifest['created_at']}; run `atclusters migrate` if "
            "this version of the platform is newer than the backup"
        )
