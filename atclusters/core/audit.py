"""The audit log: every write records who changed what, and how.

Services write inside `audited(...)`, the one audited write helper: it snapshots the row before,
lets the service write it (and its dependent rows), and records the change after, in the same
transaction. tests/core/test_audited_writes.py fails for a write in any services.py outside it."""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

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


def _field_values(instance: models.Model) -> Snapshot:
    return {
        field.name: _plain(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.name not in {"created_at", "updated_at"}
    }


def snapshot(instance: models.Model) -> Snapshot:
    """Field values of `instance`, many-to-many fields as sorted lists of primary keys."""
    values = _field_values(instance)
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


@contextmanager
def audited[M: models.Model](
    instance: M,
    *,
    actor: User | AnonymousUser | None,
    source: str = "web",
    action: str | None = None,
    before: Snapshot | None = None,
    changes: dict[str, list[Any]] | None = None,
    only: tuple[str, ...] | None = None,
) -> Iterator[M]:
    """Write `instance` (and what hangs on it: its many-to-many links, its child rows) inside
    the block; the audit entry records the difference, as a creation when the row was new, a
    deletion when it is gone, an update otherwise (none when nothing changed). Everything in
    the block and the entry commit together or not at all. `before`: the row as stored, when
    the caller has already changed the instance's fields; `changes`: what to record instead of
    the difference, when the row's own fields would not say what happened; `only`: the fields
    whose difference is worth recording (a dataset's revision, not its every attribute)."""
    creating = instance._state.adding
    if before is None:
        before = {} if creating else snapshot(instance)
    pk = instance.pk
    with transaction.atomic():
        yield instance
        if action is None:
            if instance.pk is None and not creating:
                action = AuditEntry.Action.DELETE
            else:
                action = AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE
        if action == AuditEntry.Action.DELETE:
            after: Snapshot = {}
            instance.pk = pk  # the entry names the row that was deleted
        else:
            after = snapshot(instance)
        if only is not None:
            before = {key: before.get(key) for key in only}
            after = {key: after.get(key) for key in only}
        audit_record(
            actor=actor,
            action=action,
            instance=instance,
            changes=diff(before, after) if changes is None else changes,
            source=source,
        )
        if action == AuditEntry.Action.DELETE:
            instance.pk = None


def audited_create[M: models.Model](
    instance: M, *, actor: User | AnonymousUser | None, source: str = "web"
) -> M:
    """Inserts the new `instance`, audited (`Model.objects.create`, through the helper)."""
    with audited(instance, actor=actor, source=source) as created:
        created.save(force_insert=True)
    return created


def audited_bulk_create[M: models.Model](
    model: type[M],
    instances: Iterable[M],
    *,
    actor: User | AnonymousUser | None,
    source: str = "web",
    batch_size: int | None = None,
) -> list[M]:
    """`model.objects.bulk_create(instances)` with one creation entry per row, written in bulk
    too (the demo creates thousands of members at once). `batch_size`: rows per INSERT, for
    writes of hundreds of thousands."""
    user = acting_user(actor)
    with transaction.atomic():
        created = model._default_manager.bulk_create(instances, batch_size=batch_size)
        empty_links: Snapshot = {field.name: [] for field in model._meta.many_to_many}
        _entries_insert(
            [
                _entry(user, AuditEntry.Action.CREATE, model, str(instance.pk), str(instance),
                       source, diff({}, {**_field_values(instance), **empty_links}))
                for instance in created
            ],
            batch_size,
        )  # fmt: skip
    return created


def audited_bulk_insert(
    model: type[models.Model],
    rows: Sequence[dict[str, Any]],
    *,
    keys: Sequence[str],
    actor: User | AnonymousUser | None,
    source: str = "web",
    batch_size: int = 1000,
) -> None:
    """New rows of `model` (attribute name → value; a field left out takes its default, an
    `auto_now_add` one the time), inserted without a model instance each, by one prepared
    statement per batch (`executemany`), with **one creation entry per batch** naming its rows by
    their `keys` (one per row, in order): `{"created": [key, …]}`. For imports of hundreds of
    thousands of rows whose values are those of a file the caller names in `source`
    (bench/funding.py: the row-by-row entries were a third of a CORDIS import's time)."""
    if len(keys) != len(rows):
        raise ValueError("one key per row")
    at = timezone.now()
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    fixed = {
        field.attname: at if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False)
        else field.get_default()
        for field in fields
    }  # fmt: skip
    quote = connection.ops.quote_name
    # Only the model's own table and column names, quoted; the values go as parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(str(field.column)) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    user = acting_user(actor)
    plural = str(model._meta.verbose_name_plural)
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            cursor.executemany(
                sql,
                [
                    [field.get_db_prep_save(row.get(field.attname, fixed[field.attname]),
                                            connection) for field in fields]
                    for row in batch
                ],
            )  # fmt: skip
            named = list(keys[start : start + batch_size])
            entry = _entry(
                user, AuditEntry.Action.CREATE, model, f"{named[0]}…{named[-1]}",
                f"{len(named)} {plural}", source, {"created": named},
            )  # fmt: skip
            _entries_insert([entry], None)


def audited_bulk_update[M: models.Model](
    model: type[M],
    changes: Iterable[tuple[M, dict[str, Any]]],
    *,
    actor: User | AnonymousUser | None,
    source: str = "web",
    batch_size: int | None = None,
) -> list[M]:
    """Each stored instance given its new field values (attribute names), written with
    `bulk_update` and one update entry per row that changed, in bulk too; the rows that
    changed are returned. Many-to-many links are not these writes' business."""
    user = acting_user(actor)
    changed: list[M] = []
    entries: list[dict[str, Any]] = []
    fields: set[str] = set()
    for instance, values in changes:
        before = _field_values(instance)
        for name, value in values.items():
            setattr(instance, name, value)
        difference = diff(before, _field_values(instance))
        if not difference:
            continue
        changed.append(instance)
        fields.update(values)
        entries.append(
            _entry(user, AuditEntry.Action.UPDATE, model, str(instance.pk), str(instance), source,
                   difference)
        )  # fmt: skip
    if changed:
        with transaction.atomic():
            model._default_manager.bulk_update(changed, sorted(fields), batch_size=batch_size)
            _entries_insert(entries, batch_size)
    return changed


def _entry(
    user: User | None, action: str, model: type[models.Model], pk: str, text: str,
    source: str, changes: dict[str, list[Any]] | dict[str, list[str]],
) -> dict[str, Any]:  # fmt: skip
    """An audit entry of a bulk write, as the values of its columns (`_entries_insert`): the
    row's key and text, or a batch's."""
    return {
        "actor_id": user.pk if user else None,
        "actor_name": user.get_username() if user else "system",
        "action": action,
        "model": model._meta.label_lower,
        "object_pk": pk[:64],
        "object_repr": text[:200],
        "changes": changes,
        "source": source,
    }


def _entries_insert(entries: list[dict[str, Any]], batch_size: int | None) -> None:
    """The entries of a bulk write inserted with one prepared statement (`executemany`), each
    value prepared by its field as the ORM would: `bulk_create` builds every row's SQL in
    Python, most of the time of an import of 200,000 rows (bench/funding.py)."""
    at = timezone.now()
    fields = [field for field in AuditEntry._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    # Only the model's own table and column names, quoted; the values go as parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(AuditEntry._meta.db_table),
        ", ".join(quote(str(field.column)) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [
        [field.get_db_prep_save(entry.get(field.attname, at), connection) for field in fields]
        for entry in entries
    ]
    step = batch_size or len(rows) or 1
    with connection.cursor() as cursor:
        for start in range(0, len(rows), step):
            cursor.executemany(sql, rows[start : start + step])
