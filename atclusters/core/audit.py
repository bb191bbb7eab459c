"""The audit log: every write to registry data records who changed what, and how."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models.fields.files import FieldFile

from atclusters.core.models import AuditEntry

Snapshot = dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, (date, datetime, Decimal)):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def snapshot(instance: models.Model) -> Snapshot:
    """Field values of `instance`, many-to-many fields as sorted lists of primary keys."""
    values: Snapshot = {}
    for field in instance._meta.concrete_fields:
        if field.name in {"created_at", "updated_at"}:
            continue
        values[field.name] = _plain(getattr(instance, field.attname))
    if instance.pk:
        for field in instance._meta.many_to_many:
            values[field.name] = sorted(
                str(pk) for pk in getattr(instance, field.name).values_list("pk", flat=True)
            )
    return values


def diff(before: Snapshot, after: Snapshot) -> dict[str, list[Any]]:
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def acting_user(actor: User | AnonymousUser | None) -> User | None:
    """The user to record as the author of a write; None for the command line or anonymous."""
    return actor if actor is not None and actor.is_authenticated else None


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    instance: models.Model,
    changes: dict[str, list[Any]],
    source: str = "web",
) -> AuditEntry | None:
    if action == AuditEntry.Action.UPDATE and not changes:
        return None
    user = acting_user(actor)
    return AuditEntry.objects.create(
        actor=user,
        actor_name=user.get_username() if user else "system",
        action=action,
        model=instance._meta.label_lower,
        object_pk=str(instance.pk),
        object_repr=str(instance)[:200],
        changes=changes,
        source=source,
    )
