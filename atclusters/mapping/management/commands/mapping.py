import csv
import io
import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from atclusters.core.models import Agency
from atclusters.mapping import ratings, selectors, services, statfiles
from atclusters.mapping.models import Dataset


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key or not value:
        raise ValueError(text)
    return key, value


class Command(BaseCommand):
    help = "Cluster mapping: import regional statistics (Eurostat TSV, SDMX-CSV, tidy CSV)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        importing = commands.add_parser(
            "import", help="import a statistics file as a dataset (all or nothing)"
        )
        importing.add_argument("file", type=Path)
        importing.add_argument("--format", choices=statfiles.FORMATS, required=True)
        importing.add_argument("--dataset", required=True, help="dataset identifier (slug)")
        importing.add_argument("--name", default="", help="dataset name (default: the slug)")
        importing.add_argument("--measure", choices=statfiles.MEASURES, default="employment")
        importing.add_argument(
            "--nuts-version", type=int, choices=Dataset.NutsVersion.values, default=2021
        )
        importing.add_argument("--nace-version", choices=["2", "2.1"], default="2")
        importing.add_argument(
            "--where",
            type=_key_value,
            action="append",
            default=[],
            metavar="DIMENSION=VALUE",
            help="keep rows with this value of another dimension (e.g. wstatus=EMP); repeatable",
        )
        importing.add_argument("--source", default="", help="where the file comes from")
        importing.add_argument("--licence", default="", help="its terms of reuse")
        importing.add_argument("--retrieved", type=date.fromisoformat, help="YYYY-MM-DD")
        importing.add_argument(
            "--dry-run", action="store_true", help="check every cell and code, write nothing"
        )
        rating = commands.add_parser(
            "ratings", help="cluster stars and strong-cluster flags of the regions of one level"
        )
        rating.add_argument("--dataset", required=True)
        rating.add_argument("--year", type=int, required=True)
        rating.add_argument("--level", type=int, choices=[0, 1, 2, 3], required=True)
        rating.add_argument(
            "--categories", default="a10", help="category scheme: a10 (default) or a stored one"
        )
        rating.add_argument("--base", help="region group to compare with (default: countries)")
        schemes = commands.add_parser(
            "categories", help="store a category scheme from a CSV: code,name,industries"
        )
        schemes.add_argument("file", type=Path)
        schemes.add_argument("--scheme", required=True, help="scheme identifier (slug)")
        schemes.add_argument("--name", required=True)
        schemes.add_argument("--agency", help="owning agency (slug); default: the platform")
        group = commands.add_parser("region-group", help="store a group of NUTS regions")
        group.add_argument("slug")
        group.add_argument("--name", required=True)
        group.add_argument("--regions", required=True, help="NUTS codes, comma-separated")
        group.add_argument("--agency", help="owning agency (slug); default: the platform")
        rating.add_argument("--json", action="store_true", help="JSON instead of CSV")

    def handle(self, *args, **options):
        getattr(self, f"_{options['action'].replace('-', '_')}")(options)

    def _ratings(self, options):
        dataset = Dataset.objects.filter(slug=options["dataset"]).first()
        if dataset is None:
            raise CommandError(f"unknown dataset {options['dataset']!r}", returncode=2)
        try:
            table = selectors.region_ratings(
                dataset,
                year=options["year"],
                level=options["level"],
                scheme=options["categories"],
                base=options["base"],
            )
        except selectors.UnknownName as error:
            raise CommandError(str(error), returncode=2) from error
        if table.empty:
            raise CommandError(
                f"{dataset.slug} has no level-{options['level']} figures for {options['year']}",
                returncode=2,
            )
        if not options["json"]:
            self.stdout.write(table.to_csv(index=False, float_format="%.10g"), ending="")
            return
        document = {
            "dataset": dataset.slug,
            "year": options["year"],
            "level": options["level"],
            "categories": options["categories"],
            "base": options["base"] or "the dataset's countries",
            "thresholds": ratings.Thresholds().as_dict(),
            "rows": selectors.records(table),
        }
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=1))

    def _agency(self, options) -> Agency | None:
        if not options["agency"]:
            return None
        agency = Agency.objects.filter(slug=options["agency"]).first()
        if agency is None:
            raise CommandError(f"unknown agency {options['agency']!r}", returncode=2)
        return agency

    def _categories(self, options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=2)
        rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
        categories = [
            {**row, "industries": [c for c in (row.get("industries") or "").split(";") if c]}
            for row in rows
        ]
        try:
            scheme = services.category_scheme_save(
                actor=None,
                slug=options["scheme"],
                name=options["name"],
                categories=categories,
                owner=self._agency(options),
            )
        except statfiles.StatFileError as error:
            raise CommandError(f"{path.name}: nothing stored:\n{error}", returncode=2) from error
        self.stdout.write(f"{scheme.slug}: {scheme.categories.count()} categories")

    def _region_group(self, options):
        try:
            group = services.region_group_save(
                actor=None,
                slug=options["slug"],
                name=options["name"],
                regions=options["regions"].split(","),
                owner=self._agency(options),
            )
        except statfiles.StatFileError as error:
            raise CommandError(f"nothing stored:\n{error}", returncode=2) from error
        self.stdout.write(f"{group.slug}: {len(group.regions)} regions")

    def _import(self, options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=2)
        try:
            dataset = services.dataset_import(
                actor=None,
                content=path.read_bytes(),
                file_name=path.name,
                fmt=options["format"],
                slug=options["dataset"],
                name=options["name"],
                measure=options["measure"],
                where=dict(options["where"]),
                nuts_version=options["nuts_version"],
                nace_version=options["nace_version"],
                source=options["source"],
                licence=options["licence"],
                retrieved=options["retrieved"],
                dry_run=options["dry_run"],
            )
        except statfiles.StatFileError as error:
            raise CommandError(
                f"{path.name}: nothing imported; {len(error.problems)} problem(s):\n{error}",
                returncode=2,
            ) from error
        if options["dry_run"]:
            self.stdout.write(f"{path.name}: valid (nothing written)")
        else:
            self.stdout.write(
                f"{path.name}: dataset {dataset.slug} revision {dataset.revision}, "
                f"{dataset.observation_count} observations"
            )
