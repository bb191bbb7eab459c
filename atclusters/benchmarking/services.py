"""Writes of the benchmarking domain. `actor=None` is the trusted command line."""

from typing import Any

from django.db import transaction

from atclusters.benchmarking import frameworks, selectors
from atclusters.benchmarking.models import Framework, Indicator
from atclusters.core.audit import audit_record, snapshot
from atclusters.core.models import AuditEntry
from atclusters.registry.permissions import AnyUser, PermissionDenied, is_platform_admin

# Document key → model field, for the optional indicator fields.
OPTIONAL_FIELDS = {
    "unit": "unit",
    "min": "minimum",
    "max": "maximum",
    "choices": "choices",
    "higher_is_better": "higher_is_better",
    "threshold": "threshold",
    "weight": "weight",
    "computed": "computed",
}


def framework_import(
    *, actor: AnyUser, document: dict[str, Any], source: str = "web"
) -> tuple[str, Framework]:
    """Stores a checked framework document as a new version. The same version again:
    unchanged if identical, refused if different (stored versions never change)."""
    if not is_platform_admin(actor):
        raise PermissionDenied
    problems = frameworks.check(document)
    if problems:
        raise frameworks.FrameworkError(problems)
    existing = Framework.objects.filter(slug=document["slug"], version=document["version"]).first()
    if existing is not None:
        if selectors.framework_document(existing) == selectors.normalised(document):
            return "unchanged", existing
        raise frameworks.FrameworkError(
            [
                f"version: {document['slug']} version {document['version']} is stored with "
                "other content; give the changed framework a new version"
            ]
        )
    with transaction.atomic():
        framework = Framework.objects.create(
            slug=document["slug"],
            version=document["version"],
            name=document["name"],
            areas=document["areas"],
            label_rules=document.get("label_rules") or {},
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        Indicator.objects.bulk_create(
            Indicator(
                framework=framework,
                position=position,
                code=item["code"],
                area=item["area"],
                type=item["type"],
                label=item["label"],
                help=item["help"],
                **{field: item[key] for key, field in OPTIONAL_FIELDS.items() if key in item},
            )
            for position, item in enumerate(document["indicators"])
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            instance=framework,
            changes={key: [None, value] for key, value in snapshot(framework).items()},
            source=source,
        )
    return "created", framework
