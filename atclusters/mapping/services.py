"""Writes of the cluster-mapping domain: statistics imports (all-or-nothing, audited)."""

import re
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, transaction
from django.utils import timezone

from atclusters.core.audit import audit_record
from atclusters.core.models import Agency, AuditEntry, NaceActivity, NutsRegion
from atclusters.mapping import statfiles
from atclusters.mapping.models import (
    Category,
    CategoryScheme,
    Dataset,
    Observation,
    RegionGroup,
)
from atclusters.mapping.statfiles import Problem, StatFileError
from atclusters.registry import permissions
from atclusters.registry.permissions import PermissionDenied

Actor = User | AnonymousUser | None

# Eurostat's aggregates of countries, kept as comparison bases (EU27_2020, EA20, EFTA...), and
# the Extra-Regio codes of each NUTS level (ESZ, ESZZ, ESZZZ: activity outside any region).
AGGREGATE_REGION = re.compile(r"^(EU\d*(_\d{4})?|EA\d*|EFTA|EEA\d*|[A-Z]{2}Z{1,3})$")
SECTION_RANGE = re.compile(r"^([A-U])[-_]([A-U])$")
DIVISION_RANGE = re.compile(r"^C(\d\d)[-_]C(\d\d)$")


def can_import_statistics(user: Actor) -> bool:
    return user is None or permissions.is_platform_admin(user) or permissions.is_agency_staff(user)


def _nace_classes(nace_version: str) -> dict[str, set[str]]:
    """Every NACE code of the version → the classes (4th level) it contains."""
    rows = NaceActivity.objects.filter(version=nace_version).values_list(
        "code", "level", "parent__code"
    )
    parents = {code: parent for code, _level, parent in rows}
    covered: dict[str, set[str]] = {code: set() for code in parents}
    for code, level, _parent in rows:
        if level != NaceActivity.Level.CLASS:
            continue
        ancestor: str | None = code
        while ancestor is not None:
            covered[ancestor].add(code)
            ancestor = parents.get(ancestor)
    return covered


def _classes_of(code: str, covered: dict[str, set[str]]) -> set[str] | None:
    """The classes an industry code (plain or Eurostat aggregate) stands for; None if unknown."""
    if code == "TOTAL":
        return set().union(*covered.values())
    if code in covered:
        return covered[code]
    ends = SECTION_RANGE.match(code) or DIVISION_RANGE.match(code)
    if ends is None or not {ends[1], ends[2]} <= covered.keys():
        return None
    width = 1 if SECTION_RANGE.match(code) else 2
    return set().union(
        *(
            classes
            for key, classes in covered.items()
            if len(key) == width and ends[1] <= key <= ends[2]
        )
    )


def _unknown_codes(
    observations: list[statfiles.Observation], nuts_version: int, nace_version: str
) -> list[Problem]:
    regions = set(
        NutsRegion.objects.filter(**{f"in_{nuts_version}": True}).values_list("code", flat=True)
    )
    covered = _nace_classes(nace_version)
    problems = []
    for code in sorted({o.region for o in observations}):
        if code not in regions and not AGGREGATE_REGION.match(code):
            problems.append(Problem(0, "region", f"{code!r} is not a NUTS {nuts_version} code"))
    for code in sorted({o.industry for o in observations}):
        if _classes_of(code, covered) is None:
            problems.append(
                Problem(0, "industry", f"{code!r} is not a NACE Rev. {nace_version} code")
            )
    return problems


OBSERVATION_COLUMNS = (
    "dataset_id", "region", "industry", "year", "measure", "value", "flag", "imputed"
)  # fmt: skip


def _insert_observations(dataset: Dataset, observations: list[statfiles.Observation]) -> None:
    """Straight through the database cursor: for a million rows, bulk_create would spend most of
    its time building SQL, one model instance at a time."""
    quote = connection.ops.quote_name
    # Only the model's own table and column names go into the text; values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(Observation._meta.db_table),
        ", ".join(quote(column) for column in OBSERVATION_COLUMNS),
        ", ".join(["%s"] * len(OBSERVATION_COLUMNS)),
    )
    rows = [
        (dataset.pk, o.region, o.industry, o.year, o.measure, o.value, o.flag, False)
        for o in observations
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20_000):
            cursor.executemany(sql, rows[start : start + 20_000])


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
) -> Dataset:
    """Reads, checks and stores a statistics file; nothing is written unless every cell and
    every code is valid. Raises StatFileError with all the problems found."""
    if not can_import_statistics(actor):
        raise PermissionDenied
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise StatFileError([Problem(0, "file", f"not UTF-8 text ({error.reason})")]) from error
    observations, problems = statfiles.parse(text, fmt, measure=measure, where=where)
    problems += _unknown_codes(observations, nuts_version, nace_version)
    if problems:
        raise StatFileError(problems)
    dataset = Dataset.objects.filter(slug=slug).first() or Dataset(slug=slug)
    if dry_run:
        return dataset
    with transaction.atomic():
        before = {"revision": dataset.revision, "observation_count": dataset.observation_count}
        created = dataset.pk is None
        dataset.name = name or dataset.name or slug
        dataset.source = source or dataset.source
        dataset.licence = licence or dataset.licence
        dataset.retrieved = retrieved or dataset.retrieved
        dataset.nuts_version, dataset.nace_version = nuts_version, nace_version
        dataset.file_format, dataset.file_name = fmt, file_name
        dataset.revision += 1
        dataset.observation_count = len(observations)
        dataset.imported_at = timezone.now()
        dataset.imported_by = actor if actor is not None and actor.is_authenticated else None
        dataset.save()
        dataset.observations.all().delete()
        _insert_observations(dataset, observations)
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
            instance=dataset,
            changes={
                key: [before[key], getattr(dataset, key)]
                for key in ("revision", "observation_count")
            },
            source="import",
        )
    return dataset


def _require_owner(actor: Actor, owner: Agency | None) -> None:
    allowed = (
        actor is None
        or permissions.is_platform_admin(actor)
        or (owner is not None and owner.pk in permissions.staff_agency_ids(actor))
    )
    if not allowed:
        raise PermissionDenied


def category_scheme_save(
    *,
    actor: Actor,
    slug: str,
    name: str,
    categories: list[dict[str, Any]],
    owner: Agency | None = None,
    nace_version: str = "2",
) -> CategoryScheme:
    """Creates or replaces a scheme of categories, each `{"code", "name", "industries"}`.
    Industries are NACE codes (Eurostat forms accepted); within a category none may contain
    another. All or nothing: raises StatFileError naming every bad row."""
    _require_owner(actor, owner)
    covered = _nace_classes(nace_version)
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
        seen_codes.add(code)
        industries, classes = [], []
        for raw in category.get("industries") or []:
            industry = statfiles.normalise_industry(str(raw))
            found = _classes_of(industry, covered) if industry else None
            if industry is None or found is None:
                problems.append(
                    Problem(line, "industries", f"{raw!r} is not a NACE Rev. {nace_version} code")
                )
                continue
            industries.append(industry)
            classes.append(found)
        for first in range(len(classes)):
            for second in range(first + 1, len(classes)):
                if classes[first] & classes[second]:
                    problems.append(
                        Problem(
                            line,
                            "industries",
                            f"{industries[first]} and {industries[second]} overlap: "
                            "employment would be counted twice",
                        )
                    )
        if not industries and not any(p.line == line for p in problems):
            problems.append(Problem(line, "industries", "a category needs industries"))
        cleaned.append({"code": code, "name": label, "industries": industries})
    if problems:
        raise StatFileError(problems)
    with transaction.atomic():
        scheme, _created = CategoryScheme.objects.update_or_create(
            slug=slug, defaults={"name": name, "owner": owner}
        )
        scheme.categories.all().delete()
        Category.objects.bulk_create(Category(scheme=scheme, **values) for values in cleaned)
    return scheme


def region_group_save(
    *, actor: Actor, slug: str, name: str, regions: list[str], owner: Agency | None = None
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
    if problems:
        raise StatFileError(problems)
    group, _created = RegionGroup.objects.update_or_create(
        slug=slug, defaults={"name": name, "regions": sorted(set(codes)), "owner": owner}
    )
    return group
