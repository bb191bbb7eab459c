"""Writes of the cluster-mapping domain: statistics imports (all-or-nothing, audited)."""

import re
import time
from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, models, transaction
from django.utils import timezone

from atclusters.core import permissions
from atclusters.core.audit import acting_user, audited
from atclusters.core.models import Agency, NutsRegion
from atclusters.core.permissions import PermissionDenied
from atclusters.mapping import imputation, selectors, statfiles
from atclusters.mapping import ratings as rating_rules
from atclusters.mapping.models import (
    Category,
    CategoryScheme,
    Dataset,
    Geography,
    Industries,
    Observation,
    Rating,
    RatingSet,
    RegionGroup,
)
from atclusters.mapping.statfiles import Problem, StatFileError

Actor = User | AnonymousUser | None

# Eurostat's aggregates of countries, kept as comparison bases (EU27_2020, EA20, EFTA...), and
# the Extra-Regio codes of each NUTS level (ESZ, ESZZ, ESZZZ: activity outside any region).
AGGREGATE_REGION = re.compile(r"^(EU\d*(_\d{4})?|EA\d*|EFTA|EEA\d*|[A-Z]{2}Z{1,3})$")


def can_import_statistics(user: Actor) -> bool:
    return user is None or permissions.is_platform_admin(user) or permissions.is_agency_staff(user)


US_REGION = re.compile(r"^US(\d{2}(\d{3})?)?$")
NAICS_CODE = re.compile(r"^(TOTAL|\d{2,6})$")


def _unknown_us_codes(observations: list[statfiles.Observation]) -> list[Problem]:
    problems = [
        Problem(0, "region", f"{code!r} is not US, a state or a county FIPS code")
        for code in sorted({o.region for o in observations})
        if not US_REGION.match(code)
    ]
    return problems + [
        Problem(0, "industry", f"{code!r} is not a NAICS code")
        for code in sorted({o.industry for o in observations})
        if not NAICS_CODE.match(code)
    ]


# NAICS sectors that span two-digit codes; CBP writes each under its first code (31----).
NAICS_SECTOR_OF = {"32": "31", "33": "31", "45": "44", "49": "48"}


def naics_parents(observations: list[statfiles.Observation]) -> dict[str, str]:
    """NAICS codes are hierarchical by their digits: 3116 → 311 → 31 → TOTAL, and 33 → 31."""
    parents = {}
    for code in {o.industry for o in observations} - {"TOTAL"}:
        for length in range(len(code), 1, -1):
            prefix = code[:length]
            parents[prefix] = prefix[:-1] if length > 2 else NAICS_SECTOR_OF.get(prefix, "TOTAL")
    for child, sector in NAICS_SECTOR_OF.items():
        parents.setdefault(child, sector)
    return parents


def _unknown_codes(
    observations: list[statfiles.Observation], nuts_version: int, nace_version: str
) -> list[Problem]:
    regions = set(
        NutsRegion.objects.filter(**{f"in_{nuts_version}": True}).values_list("code", flat=True)
    )
    covered = selectors.nace_classes(nace_version)
    problems = []
    for code in sorted({o.region for o in observations}):
        if code not in regions and not AGGREGATE_REGION.match(code):
            problems.append(Problem(0, "region", f"{code!r} is not a NUTS {nuts_version} code"))
    for code in sorted({o.industry for o in observations}):
        if selectors.classes_of(code, covered) is None:
            problems.append(
                Problem(0, "industry", f"{code!r} is not a NACE Rev. {nace_version} code")
            )
    return problems


OBSERVATION_COLUMNS = (
    "dataset_id", "region", "industry", "year", "measure", "value", "flag", "imputed"
)  # fmt: skip


def _copy_target(model: type[models.Model], columns: Sequence[str]) -> tuple[str, str]:
    # Only the model's own table and column names go into SQL text; values never do.
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), ", ".join(quote(column) for column in columns)


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: list[tuple]) -> None:
    """Straight through the database cursor: for a million rows, bulk_create would spend most of
    its time building SQL, one model instance at a time. PostgreSQL takes them by COPY."""
    table, names = _copy_target(model, columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        for start in range(0, len(rows), 20_000):
            cursor.executemany(sql, rows[start : start + 20_000])


# PostgreSQL's binary COPY needs each column's type by the name psycopg knows it.
BINARY_TYPES = {
    "bigint": "int8",
    "integer": "int4",
    "smallint": "int2",
    "double precision": "float8",
    "boolean": "bool",
    "varchar": "varchar",
}


def insert_frame(model: type[models.Model], frame: pd.DataFrame) -> None:
    """A data frame's rows (columns named as the table's); on PostgreSQL by binary COPY (the
    server parses no text; about twice as fast for a million rows)."""
    for start in range(0, len(frame), 50_000):
        rows = _rows(frame[start : start + 50_000])
        if connection.vendor != "postgresql":
            insert_rows(model, list(frame.columns), rows)
            continue
        table, names = _copy_target(model, list(frame.columns))
        types = [
            BINARY_TYPES[str(model._meta.get_field(name).db_type(connection)).split("(")[0]]
            for name in frame.columns
        ]
        sql = f"COPY {table} ({names}) FROM STDIN WITH (FORMAT binary)"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)


def _rows(frame: pd.DataFrame) -> list[tuple]:
    """The frame's rows as tuples of Python values (None where missing), column by column
    (a row at a time through pandas takes several times longer)."""
    columns = []
    for name in frame.columns:
        values = frame[name].to_numpy(dtype=object)
        values[frame[name].isna().to_numpy()] = None
        columns.append(values)
    return list(zip(*columns, strict=True))


def _names_problems(names: dict[str, str] | None) -> list[Problem]:
    """A name in the platform's other languages: known language codes, short texts."""
    others = {code for code, _name in settings.LANGUAGES} - {"en"}
    return [
        Problem(0, "names", f"{code!r} is not one of {', '.join(sorted(others))} or is too long")
        for code, text in (names or {}).items()
        if code not in others or not isinstance(text, str) or len(text) > 200
    ]


def dataset_import(
    *,
    actor: Actor,
    content: bytes,
    file_name: str,
    fmt: str,
    slug: str,
    name: str = "",
    measure: str = "employment",
    where: dict[str, str] | None = None,
    nuts_version: int = Dataset.NutsVersion.NUTS_2021,
    nace_version: str = "2",
    source: str = "",
    licence: str = "",
    retrieved: date | None = None,
    dry_run: bool = False,
    impute: bool = False,
    year: int | None = None,
    names: dict[str, str] | None = None,
) -> Dataset:
    """Reads, checks and stores a statistics file; nothing is written unless every cell and
    every code is valid. Raises StatFileError with all the problems found. A new import
    replaces the dataset's observations of the measures the file holds (employment and wages
    can come from two files). With `impute`, unpublished cells are estimated (imputation.py)."""
    if not can_import_statistics(actor):
        raise PermissionDenied
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise StatFileError([Problem(0, "file", f"not UTF-8 text ({error.reason})")]) from error
    us = fmt == "cbp"
    observations, problems = statfiles.parse(
        text, fmt, measure=measure, where=where, year=year or statfiles.cbp_year(file_name)
    )
    problems += (
        _unknown_us_codes(observations)
        if us
        else _unknown_codes(observations, nuts_version, nace_version)
    )
    dataset = Dataset.objects.filter(slug=slug).first() or Dataset(slug=slug)
    geography, industries = (
        (Geography.US_FIPS, Industries.NAICS) if us else (Geography.NUTS, Industries.NACE)
    )
    if dataset.pk is not None and (dataset.geography, dataset.industries) != (
        geography,
        industries,
    ):
        problems.append(
            Problem(0, "dataset", f"{slug} holds {dataset.get_geography_display()} figures")
        )
    problems += _names_problems(names)
    if problems:
        raise StatFileError(problems)
    if impute:
        parents = naics_parents(observations) if us else selectors.nace_parents(nace_version)
        observations = imputation.impute(observations, parents)
    dataset.geography, dataset.industries = geography, industries
    if dry_run:
        return dataset
    measures = {o.measure for o in observations}
    with audited(dataset, actor=actor, source="import", only=("revision", "observation_count")):
        dataset.name = name or dataset.name or slug
        dataset.names = names if names is not None else dataset.names
        dataset.source = source or dataset.source
        dataset.licence = licence or dataset.licence
        dataset.retrieved = retrieved or dataset.retrieved
        dataset.nuts_version, dataset.nace_version = nuts_version, nace_version
        dataset.file_format, dataset.file_name = fmt, file_name
        dataset.revision += 1
        dataset.imported_at = timezone.now()
        dataset.imported_by = acting_user(actor)
        dataset.save()
        dataset.observations.filter(measure__in=measures).delete()
        insert_rows(
            Observation,
            OBSERVATION_COLUMNS,
            [
                (dataset.pk, o.region, o.industry, o.year, o.measure, o.value, o.flag, o.imputed)
                for o in observations
            ],
        )
        dataset.observation_count = dataset.observations.count()
        dataset.save(update_fields=["observation_count"])
        ratings_refresh(dataset=dataset)
    return dataset


def _require_owner(actor: Actor, owner: Agency | None) -> None:
    allowed = (
        actor is None
        or permissions.is_platform_admin(actor)
        or (owner is not None and owner.pk in permissions.staff_agency_ids(actor))
    )
    if not allowed:
        raise PermissionDenied


def _industry_classes(
    raw: str, industries: str, covered: dict[str, set[str]]
) -> tuple[str | None, set[str] | None]:
    """The code as stored and what it stands for: NACE classes, or a NAICS code itself (NAICS
    codes overlap when one begins with the other)."""
    if industries == Industries.NAICS:
        code = raw.strip()
        if not re.fullmatch(r"\d{2,6}", code):
            return None, None
        return code, {code}
    industry = statfiles.normalise_industry(raw)
    return industry, selectors.classes_of(industry, covered) if industry else None


def category_scheme_save(
    *,
    actor: Actor,
    slug: str,
    name: str,
    categories: list[dict[str, Any]],
    owner: Agency | None = None,
    nace_version: str = "2",
    industries: str = Industries.NACE,
    names: dict[str, str] | None = None,
) -> CategoryScheme:
    """Creates or replaces a scheme of categories, each `{"code", "name", "industries"}` and
    optionally `"kind"` (traded, the default, or local: never a strong cluster). Industries are
    NACE codes (Eurostat forms accepted); within a category none may contain another. All or
    nothing: raises StatFileError naming every bad row."""
    _require_owner(actor, owner)
    covered = selectors.nace_classes(nace_version) if industries == Industries.NACE else {}
    system = f"NACE Rev. {nace_version}" if industries == Industries.NACE else "NAICS"
    problems: list[Problem] = []
    cleaned = []
    seen_codes: set[str] = set()
    for line, category in enumerate(categories, start=2):
        code, label = str(category.get("code", "")).strip(), str(category.get("name", "")).strip()
        if not code or not label:
            problems.append(Problem(line, "code", "each category needs a code and a name"))
            continue
        if code in seen_codes:
            problems.append(Problem(line, "code", f"{code!r} appears twice"))
        for column, value, limit in (("code", code, 80), ("name", label, 200)):
            if len(value) > limit:
                problems.append(Problem(line, column, f"is longer than {limit} characters"))
            if statfiles.NUL in value:
                problems.append(Problem(line, column, statfiles.NUL_PROBLEM))
        seen_codes.add(code)
        codes, classes = [], []
        for raw in category.get("industries") or []:
            industry, found = _industry_classes(str(raw), industries, covered)
            if industry is None or found is None:
                problems.append(Problem(line, "industries", f"{raw!r} is not a {system} code"))
                continue
            codes.append(industry)
            classes.append(found)
        for first in range(len(classes)):
            for second in range(first + 1, len(classes)):
                a, b = codes[first], codes[second]
                nested = industries == Industries.NAICS and (a.startswith(b) or b.startswith(a))
                if nested or classes[first] & classes[second]:
                    problems.append(
                        Problem(
                            line,
                            "industries",
                            f"{codes[first]} and {codes[second]} overlap: "
                            "employment would be counted twice",
                        )
                    )
        if not codes and not any(p.line == line for p in problems):
            problems.append(Problem(line, "industries", "a category needs industries"))
        kind = str(category.get("kind") or Category.Kind.TRADED).strip().lower()
        if kind not in Category.Kind.values:
            problems.append(Problem(line, "kind", f"{kind!r} is not traded or local"))
        cleaned.append({"code": code, "name": label, "industries": codes, "kind": kind})
    problems += _names_problems(names)
    if problems:
        raise StatFileError(problems)
    scheme = CategoryScheme.objects.filter(slug=slug).first() or CategoryScheme(slug=slug)
    with audited(scheme, actor=actor):
        scheme.name, scheme.owner, scheme.industries = name, owner, industries
        scheme.names = names if names is not None else scheme.names
        scheme.save()
        scheme.categories.all().delete()
        Category.objects.bulk_create(Category(scheme=scheme, **values) for values in cleaned)
        ratings_refresh(scheme=scheme.slug)
    return scheme


def region_group_save(
    *,
    actor: Actor,
    slug: str,
    name: str,
    regions: list[str],
    owner: Agency | None = None,
    names: dict[str, str] | None = None,
) -> RegionGroup:
    """Creates or replaces a group of NUTS regions (of any version and level)."""
    _require_owner(actor, owner)
    codes = [code.strip().upper() for code in regions if code.strip()]
    known = set(NutsRegion.objects.filter(code__in=codes).values_list("code", flat=True))
    problems = [
        Problem(0, "regions", f"{code!r} is not a NUTS code") for code in codes if code not in known
    ]
    if not codes:
        problems.append(Problem(0, "regions", "a group needs regions"))
    problems += _names_problems(names)
    if problems:
        raise StatFileError(problems)
    group = RegionGroup.objects.filter(slug=slug).first() or RegionGroup(slug=slug)
    with audited(group, actor=actor):
        group.name, group.regions, group.owner = name, sorted(set(codes)), owner
        group.names = names if names is not None else group.names
        group.save()
        ratings_refresh()
    return group


RATING_COLUMNS = ("rating_set_id", *rating_rules.RESULT_COLUMNS)


def ratings_compute(rating_set: RatingSet) -> RatingSet:
    """Rates every year and level of the set's dataset and replaces the stored rows."""
    started = time.perf_counter()
    dataset = rating_set.dataset
    revision = dataset.revision
    categories = selectors.categories_of(rating_set.scheme)
    base_regions = selectors.region_group(rating_set.base).regions if rating_set.base else None
    groups = dict(RegionGroup.objects.values_list("slug", "regions"))
    thresholds = selectors.thresholds_in_force()
    local = selectors.local_categories(rating_set.scheme)
    panel = rating_rules.rate_panel(
        selectors.observation_frame(dataset, categories),
        categories,
        base_regions=base_regions,
        groups=groups,
        thresholds=thresholds,
        growth_years=settings.MAPPING_GROWTH_YEARS,
        local=local,
    )
    table = panel.ratings
    with transaction.atomic():
        rating_set.ratings.all().delete()
        # Year after year, as the indexes lead (see Rating.Meta).
        table = table.sort_values(["year", "level", "category", "region"], kind="stable")
        insert_frame(Rating, table.assign(rating_set_id=rating_set.pk)[list(RATING_COLUMNS)])
        with connection.cursor() as cursor:
            # Fresh statistics, or the planner may read a whole set to find one region's rows.
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Rating._meta.db_table)}")
        rating_set.status = RatingSet.Status.DONE
        rating_set.dataset_revision = revision
        rating_set.thresholds = thresholds.as_dict()
        rating_set.row_count = len(table)
        rating_set.years = sorted(int(year) for year in table["year"].unique())
        rating_set.coverage = selectors.records(panel.coverage)
        rating_set.strong_lq_base = rating_rules.strong_lq_base(local)
        rating_set.computed_at = timezone.now()
        rating_set.seconds = round(time.perf_counter() - started, 3)
        rating_set.error = ""
        rating_set.save()
    return rating_set


def ratings_refresh(
    *, dataset: Dataset | None = None, scheme: str | None = None
) -> list[RatingSet]:
    """Queues the recomputation of the rating sets of one dataset or of all, in one category
    scheme or in all: each scheme against the countries and against each region group."""
    from atclusters.mapping import tasks

    datasets = [dataset] if dataset is not None else list(Dataset.objects.all())
    queued = []
    for each in datasets:
        schemes = selectors.schemes_for(each)
        bases = ["", *(selectors.groups_for(each).values_list("slug", flat=True))]
        each.rating_sets.exclude(scheme__in=schemes).delete()
        each.rating_sets.exclude(base__in=bases).delete()
        for each_scheme in [scheme] if scheme in schemes else [] if scheme else schemes:
            for base in bases:
                rating_set, _created = RatingSet.objects.update_or_create(
                    dataset=each,
                    scheme=each_scheme,
                    base=base,
                    defaults={"status": RatingSet.Status.QUEUED},
                )
                tasks.ratings_recompute.enqueue(rating_set_id=rating_set.pk)
                queued.append(rating_set)
    return queued


def ratings_current(dataset: Dataset, *, scheme: str, base: str = "") -> RatingSet:
    """The set of stored ratings, computed here and now when the worker has not done so yet
    (for the command line and the API; the pages show what is stored)."""
    if scheme not in selectors.schemes_for(dataset):
        selectors.categories_of(scheme)
        raise selectors.UnknownName(
            "categories", f"{scheme!r} does not classify {dataset.get_industries_display()} figures"
        )
    if base:
        selectors.region_group(base)
    rating_set, _created = RatingSet.objects.get_or_create(
        dataset=dataset, scheme=scheme, base=base
    )
    if (
        rating_set.status != RatingSet.Status.DONE
        or rating_set.dataset_revision != dataset.revision
    ):
        ratings_compute(rating_set)
    return rating_set
