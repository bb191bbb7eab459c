"""Loading the shipped reference data (atclusters/data/) into the database, idempotently."""

import csv
import functools
import json
from collections.abc import Iterator
from pathlib import Path

from django.db import transaction

from atclusters.core.models import Country, NaceActivity, NutsChange, NutsRegion, Term

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PACKAGE_DIR / "data"
NUTS2_BOUNDARIES = DATA_DIR / "nuts2_2021.geojson"


def _rows(name: str) -> Iterator[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


@transaction.atomic
def reference_load() -> dict[str, int]:
    """Create or update every reference row; returns how many rows of each kind exist."""
    Country.objects.bulk_create(
        [
            Country(
                code=r["code"],
                name=r["name"],
                nuts_code={"GR": "EL", "GB": "UK"}.get(r["code"], r["code"]),
            )
            for r in _rows("countries.csv")
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "nuts_code"],
    )
    regions = list(_rows("nuts_regions.csv"))
    NutsRegion.objects.bulk_create(
        [
            NutsRegion(
                code=r["code"],
                name=r["name"],
                level=int(r["level"]),
                country_code=r["country_code"],
                in_2016=r["in_2016"] == "1",
                in_2021=r["in_2021"] == "1",
                in_2024=r["in_2024"] == "1",
            )
            for r in regions
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "level", "country_code", "in_2016", "in_2021", "in_2024"],
    )
    known = {r["code"] for r in regions}
    parents = [
        NutsRegion(code=r["code"], parent_id=r["parent"] if r["parent"] in known else None)
        for r in regions
    ]
    NutsRegion.objects.bulk_update(parents, ["parent"], batch_size=500)
    NutsChange.objects.all().delete()
    NutsChange.objects.bulk_create(
        NutsChange(
            code_2021=r["code_2021"],
            code_2024=r["code_2024"],
            level=int(r["level"]),
            label=r["label"],
            change=r["change"],
        )
        for r in _rows("nuts_changes_2021_2024.csv")
    )
    _load_nace(NaceActivity.Version.REV2, "nace_rev2.csv")
    _load_nace(NaceActivity.Version.REV2_1, "nace_rev2_1.csv")
    for row in _rows("taxonomies.csv"):
        Term.objects.get_or_create(
            kind=row["kind"], slug=row["slug"], defaults={"name": row["name"]}
        )
    _load_labels()
    return {
        "countries": Country.objects.count(),
        "nuts_regions": NutsRegion.objects.count(),
        "nuts_changes": NutsChange.objects.count(),
        "nace_activities": NaceActivity.objects.count(),
        "taxonomy_terms": Term.objects.count(),
    }


def reference_load_on_first_migrate(*, plan=None, using: str = "default", **_kwargs) -> None:
    """Loads the reference data when `migrate` has just created the core tables, so that a fresh
    install has its countries, regions and NACE classes without a second command. It runs after
    every migration of the run (the models' whole schema exists), unlike a data migration,
    which would run today's loader on yesterday's schema; a flush (as between tests) passes no
    plan and loads nothing."""
    if using == "default" and any(
        migration.app_label == "core" and migration.name == "0001_initial" and not backwards
        for migration, backwards in plan or ()
    ):
        reference_load()


def _load_labels() -> None:
    labels: dict[str, dict[str, dict[str, str]]] = {}
    for r in _rows("reference_labels.csv"):
        labels.setdefault(r["table"], {}).setdefault(r["code"], {})[r["lang"]] = r["name"]
    countries = list(Country.objects.all())
    for country in countries:
        country.names = labels.get("country", {}).get(country.code, {})
    Country.objects.bulk_update(countries, ["names"])
    # NUTS names are published in the regions' own languages; only the level-0 ones are English.
    by_nuts_code = {c.nuts_code: c.names for c in countries}
    regions = list(NutsRegion.objects.filter(level=0))
    for region in regions:
        region.names = by_nuts_code.get(region.code, {})
    NutsRegion.objects.bulk_update(regions, ["names"])
    activities = list(NaceActivity.objects.all())
    for activity in activities:
        activity.names = labels.get(f"nace{activity.version}", {}).get(activity.code, {})
    NaceActivity.objects.bulk_update(activities, ["names"], batch_size=500)
    # Terms are editable: a translation an administrator wrote is kept.
    terms = list(Term.objects.all())
    for term in terms:
        term.names = labels.get("term", {}).get(f"{term.kind}:{term.slug}", {}) | term.names
    Term.objects.bulk_update(terms, ["names"])


def _load_nace(version: str, filename: str) -> None:
    rows = list(_rows(filename))
    NaceActivity.objects.bulk_create(
        [
            NaceActivity(version=version, code=r["code"], level=int(r["level"]), name=r["name"])
            for r in rows
        ],
        update_conflicts=True,
        unique_fields=["version", "code"],
        update_fields=["level", "name"],
    )
    ids = dict(NaceActivity.objects.filter(version=version).values_list("code", "id"))
    activities = [NaceActivity(id=ids[r["code"]], parent_id=ids.get(r["parent"])) for r in rows]
    NaceActivity.objects.bulk_update(activities, ["parent"], batch_size=500)


@functools.cache
def nuts2_features() -> list[dict]:
    """The shipped NUTS 2 boundaries as GeoJSON features (read once per process)."""
    return json.loads(NUTS2_BOUNDARIES.read_text(encoding="utf-8"))["features"]
