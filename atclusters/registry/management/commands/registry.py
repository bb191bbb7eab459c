import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from atclusters.core import tables
from atclusters.core.models import Agency
from atclusters.registry import importers


class Command(BaseCommand):
    help = "Import or export registry data: clusters, organisations, memberships, agreements."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        importing = commands.add_parser(
            "import", help="import a CSV, XLSX or JSON file (all or nothing)"
        )
        importing.add_argument("kind", choices=importers.KINDS)
        importing.add_argument("file", type=Path)
        importing.add_argument(
            "--dry-run", action="store_true", help="check every row, write nothing"
        )
        importing.add_argument("--json", action="store_true", help="print the report as JSON")
        importing.add_argument(
            "--agency", help="agency slug for cluster rows without an agency column"
        )
        exporting = commands.add_parser("export", help="export everything as CSV, XLSX or JSON")
        exporting.add_argument("kind", choices=importers.KINDS)
        exporting.add_argument("--format", choices=tables.FORMATS, default="csv")
        exporting.add_argument(
            "-o", "--output", type=Path, help="file to write (default: standard output)"
        )
        template = commands.add_parser("template", help="write an import template")
        template.add_argument("kind", choices=importers.KINDS)
        template.add_argument("--format", choices=tables.FORMATS, default="csv")
        template.add_argument("-o", "--output", type=Path)

    def handle(self, *args, **options):
        getattr(self, f"_{options['action']}")(options)

    def _import(self, options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(slug=options["agency"]).first()
            if agency is None:
                raise CommandError(f"unknown agency {options['agency']!r}")
        importer = importers.importer_for(options["kind"], actor=None, default_agency=agency)
        report = importer.run(path.read_bytes(), path.name, dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        elif report.ok:
            verb = "checked (nothing written)" if report.dry_run else "imported"
            self.stdout.write(
                f"{path.name}: {report.rows} rows {verb}: {report.created} created, "
                f"{report.updated} updated, {report.unchanged} unchanged"
            )
        else:
            self.stderr.write(f"{path.name}: {len(report.errors)} errors; nothing was written")
            for error in report.errors:
                self.stderr.write(f"  {error}")
        if not report.ok:
            sys.exit(2)

    def _write(self, content: bytes, output: Path | None) -> None:
        if output is None:
            sys.stdout.buffer.write(content)
        else:
            output.write_bytes(content)
            self.stderr.write(f"wrote {output} ({len(content):,} bytes)")

    def _export(self, options):
        self._write(
            importers.importer_for(options["kind"], actor=None).export(options["format"]),
            options["output"],
        )

    def _template(self, options):
        self._write(
            importers.importer_for(options["kind"], actor=None).template(options["format"]),
            options["output"],
        )
