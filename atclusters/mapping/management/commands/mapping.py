import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from atclusters.core import tables
from atclusters.core.importing import import_limits
from atclusters.core.models import Agency
from atclusters.mapping import selectors, services, statfiles
from atclusters.mapping.models import Dataset, RatingSet
from atclusters.mapping.ratings import DEFAULT_STAR_METHOD, STAR_METHODS


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key or not value:
        raise ValueError(text)
    return key, value


class Command(BaseCommand):
    help = (
        "Cluster mapping: import regional statistics (Eurostat TSV, SDMX-CSV, tidy CSV, U.S. "
        "County Business Patterns), define categories and region groups, read the ratings."
    )

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
        importing.add_argument(
            "--impute",
            action="store_true",
            help="estimate unpublished cells (European Cluster Observatory method), marked imputed",
        )
        importing.add_argument(
            "--year", type=int, help="year of a County Business Patterns file (default: its name)"
        )
        rating = commands.add_parser(
            "ratings", help="cluster stars and strong-cluster flags of the regions of one level"
        )
        rating.add_argument("--dataset", required=True)
        rating.add_argument("--year", type=int, required=True)
        rating.add_argument("--level", type=int, choices=[0, 1, 2, 3], required=True)
        portfolio = commands.add_parser(
            "portfolio", help="one region's categories: size, specialisation, growth, stars"
        )
        portfolio.add_argument("--dataset", required=True)
        portfolio.add_argument("--region", required=True, help="NUTS code or region group")
        portfolio.add_argument(
            "--year", type=int, help="default: the newest complete year with figures"
        )
        for each in (rating, portfolio):
            each.add_argument(
                "--categories", default="a10", help="category scheme: a10 (default) or a stored one"
            )
            each.add_argument("--base", help="region group to compare with (default: countries)")
            each.add_argument(
                "--stars",
                choices=list(STAR_METHODS),
                default=DEFAULT_STAR_METHOD,
                help="star method: eco (European Cluster Observatory: size, specialisation, "
                "focus; default) or eocic (European Cluster Panorama: size, specialisation, "
                "productivity)",
            )
            each.add_argument("--json", action="store_true", help="JSON instead of CSV")
        recompute = commands.add_parser(
            "recompute", help="recompute the stored ratings now (after changing thresholds)"
        )
        recompute.add_argument("--dataset", help="default: every dataset")
        schemes = commands.add_parser(
            "categories", help="store a category scheme from a CSV: code,name,industries"
        )
        schemes.add_argument("file", type=Path)
        schemes.add_argument("--scheme", required=True, help="scheme identifier (slug)")
        schemes.add_argument("--name", required=True)
        schemes.add_argument("--agency", help="owning agency (slug); default: the platform")
        schemes.add_argument(
            "--industries", choices=["nace", "naics"], default="nace", help="classification"
        )
        group = commands.add_parser("region-group", help="store a group of NUTS regions")
        group.add_argument("slug")
        group.add_argument("--name", required=True)
        group.add_argument("--regions", required=True, help="NUTS codes, comma-separated")
        group.add_argument("--agency", help="owning agency (slug); default: the platform")

    def handle(self, *args, **options):
        getattr(self, f"_{options['action'].replace('-', '_')}")(options)

    def _dataset(self, options) -> Dataset:
        dataset = Dataset.objects.filter(slug=options["dataset"]).first()
        if dataset is None:
            raise CommandError(f"unknown dataset {options['dataset']!r}", returncode=2)
        return dataset

    def _rating_set(self, options) -> RatingSet:
        try:
            return services.ratings_current(
                self._dataset(options), scheme=options["categories"], base=options["base"] or ""
            )
        except selectors.UnknownName as error:
            raise CommandError(f"--{error.field}: {error}", returncode=2) from error

    def _write(self, options, document: dict, rows: list[dict]) -> None:
        """JSON: the document and its rows. CSV: the rows; an incomplete year's note goes to
        standard error, so that the table stays a table."""
        if options["json"]:
            self.stdout.write(json.dumps({**document, "rows": rows}, ensure_ascii=False, indent=1))
            return
        columns = list(dict.fromkeys(column for row in rows for column in row))
        self.stdout.write(tables.write_table(columns, rows, "csv").decode(), ending="")
        if not document["complete"]:
            self.stderr.write(
                f"note: {document['year']} is an incomplete year (its comparison base covers "
                f"{document['coverage']:.0%} of the neighbouring years'): its location "
                "quotients, stars and strong clusters are not comparable with other years"
            )

    def _header(self, rating_set: RatingSet, options, year: int) -> dict:
        return {
            "dataset": rating_set.dataset.slug,
            "revision": rating_set.dataset_revision,
            "categories": rating_set.scheme,
            "base": rating_set.base or "the dataset's countries",
            "thresholds": rating_set.thresholds,
            "computed_at": rating_set.computed_at.isoformat() if rating_set.computed_at else None,
            "stars_method": options["stars"],
            "strong_lq_base": rating_set.strong_lq_base,
            "year": year,
            **selectors.year_status(rating_set, year),
            "newest_complete_year": selectors.newest_complete_year(rating_set),
            "years": rating_set.coverage,
        }

    def _ratings(self, options):
        rating_set = self._rating_set(options)
        table = selectors.stored_ratings(
            rating_set, year=options["year"], level=options["level"], stars=options["stars"]
        )
        if table.empty:
            raise CommandError(
                f"--year: {rating_set.dataset.slug} has no level-{options['level']} figures "
                f"for {options['year']}",
                returncode=2,
            )
        header = self._header(rating_set, options, options["year"])
        self._write(options, {**header, "level": options["level"]}, selectors.records(table))

    def _portfolio(self, options):
        rating_set = self._rating_set(options)
        region = selectors.region_key(options["region"])
        try:
            year = selectors.rated_year(rating_set, region, options["year"])
        except selectors.UnknownName as error:
            raise CommandError(f"--{error.field}: {error}", returncode=2) from error
        portfolio = selectors.region_portfolio(
            rating_set, region=region, year=year, stars=options["stars"]
        )
        document = {
            **self._header(rating_set, options, year),
            "region": region,
            "total_growth": portfolio["total_growth"],
            "strongest": [row["category"] for row in portfolio["strongest"]],
            "emerging": [row["category"] for row in portfolio["emerging"]],
        }
        self._write(options, document, portfolio["rows"])

    def _recompute(self, options):
        datasets = [self._dataset(options)] if options["dataset"] else Dataset.objects.all()
        for dataset in datasets:
            for rating_set in dataset.rating_sets.all():
                services.ratings_compute(rating_set)
                self.stdout.write(
                    f"{dataset.slug} {rating_set.scheme} {rating_set.base or '-'}: "
                    f"{rating_set.row_count} rows in {rating_set.seconds} s"
                )

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
        try:
            _header, rows = tables.read_table(path.read_bytes(), path.name, limits=import_limits())
        except tables.TableError as error:
            raise CommandError(f"{path.name}: nothing stored: {error}", returncode=2) from error
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
                industries=options["industries"],
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
                impute=options["impute"],
                year=options["year"],
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
