"""Writes of the cluster-mapping domain: statistics imports (all-or-nothing, audited)."""

import re
from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone

from atclusters.core.audit import audit_record
from atclusters.core.models import AuditEntry, NaceActivity, NutsRegion
from atclusters.mapping import statfiles
from atclusters.mapping.models import Dataset, Observation
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


def _unknown_codes(
    observations: list[statfiles.Observation], nuts_version: int, nace_version: str
) -> list[Problem]:
    regions = set(
        NutsRegion.objects.filter(**{f"in_{nuts_version}": True}).values_list("code", flat=True)
    )
    activities = set(
        NaceActivity.objects.filter(version=nace_version).values_list("code", flat=True)
    )

    def industry_known(code: str) -> bool:
        if code == "TOTAL" or code in activities:
            return True
        ends = SECTION_RANGE.match(code) or DIVISION_RANGE.match(code)
        return ends is not None and {ends[1], ends[2]} <= activities

    problems = []
    for code in sorted({o.region for o in observations}):
        if code not in regions and not AGGREGATE_REGION.match(code):
            problems.append(Problem(0, "region", f"{code!r} is not a NUTS {nuts_version} code"))
    for code in sorted({o.industry for o in observations}):
        if not industry_known(code):
            problems.append(
                Problem(0, "industry", f"{code!r} is not a NACE Rev. {nace_version} code")
            )
    return problems


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
        Observation.objects.bulk_create(
            (
                Observation(
                    dataset=dataset,
                    region=o.region,
                    industry=o.industry,
                    year=o.year,
                    measure=o.measure,
                    value=o.value,
                    flag=o.flag,
                )
                for o in observations
            ),
            batch_size=5000,
        )
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
