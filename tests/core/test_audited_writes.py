"""Every write of every domain's services goes through the one audited write helper
(core.audit.audited): a model write in a services.py outside an `audited(...)` block fails here,
unless the function is listed below with the reason its writes are not the platform's records."""

import ast
from pathlib import Path

import pytest

import atclusters
from atclusters.core.audit import audited, audited_create
from atclusters.core.models import Agency, AuditEntry, Country

# Any receiver: these only exist on models, managers and querysets.
MODEL_WRITES = {
    "save",
    "delete",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
# Also dict and set methods: a write only on a relation or a queryset (`a.b.set(...)`,
# `X.objects.filter(...).update(...)`), not on a local variable.
RELATION_WRITES = {"update", "set", "add", "remove", "clear"}

# (app, function): why its writes are not audited. The platform's machinery, not its records.
EXEMPT = {
    ("core", "api_token_authenticate"): "the token's time of last use, not a change by anyone",
    ("core", "email_queue"): "the outbox; the write that sends an email is audited itself",
    ("core", "periodic_jobs_queue"): "the scheduler's record of the periods it has queued",
    ("core", "worker_heartbeat_record"): "a worker's liveness",
    ("core", "worker_heartbeat_end"): "a worker's liveness",
    ("core", "stale_jobs_sweep"): "dead workers' liveness rows and expired emails (the jobs it "
    "requeues are audited by hand: only those still in the attempt seen stale change)",
    ("cooperation", "digests_send"): "when each user's digest was last sent",
    ("benchmarking", "deadline_reminders_send"): "when a round's reminder was last sent",
    ("stateaid", "_lock"): "the row that serialises a Member State's grants, not a record",
    ("benchmarking", "peer_comparison_show"): "the pool row that serialises releases (the views "
    "it shows are audited in _peer_view)",
    ("mapping", "ratings_compute"): "results derived from audited datasets, recomputed at will",
    ("mapping", "ratings_refresh"): "results derived from audited datasets, recomputed at will",
    ("mapping", "ratings_current"): "results derived from audited datasets, recomputed at will",
    ("watch", "_fetch_state_save"): "the fetcher's bookkeeping on a source (validators, times, "
    "errors); the items it takes in are audited",
    ("watch", "_fetch_claim"): "the fetcher's lease on a source, so two runs do not fetch it "
    "at once",
    ("watch", "_matches_file"): "scores derived from the audited items and topics, "
    "recomputed whenever a topic changes",
    ("watch", "_epo_token_forget"): "the shared cache's copy of the OPS access token, not a record",
    ("watch", "_epo_token"): "the shared cache's copy of the OPS access token, not a record",
}


def _is_audited_block(node: ast.With) -> bool:
    for item in node.items:
        call = item.context_expr
        if isinstance(call, ast.Call):
            func = call.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name == "audited":
                return True
    return False


def _is_write(call: ast.Call) -> bool:
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr in MODEL_WRITES:
        return True
    return func.attr in RELATION_WRITES and not isinstance(func.value, ast.Name)


def unaudited_writes(source: str) -> list[tuple[str, int, str]]:
    """(function, line, method) of each write outside an audited block, in module-level
    functions."""
    found: list[tuple[str, int, str]] = []

    def visit(node: ast.AST, function: str, inside: bool) -> None:
        if isinstance(node, ast.With) and _is_audited_block(node):
            inside = True
        if isinstance(node, ast.Call) and _is_write(node) and not inside:
            found.append((function, node.lineno, node.func.attr))  # type: ignore[attr-defined]
        for child in ast.iter_child_nodes(node):
            visit(child, function, inside)

    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            visit(node, node.name, False)
    return found


SERVICES = sorted(Path(atclusters.__file__).parent.glob("*/services.py"))


def test_the_check_sees_the_platforms_services():
    assert {path.parent.name for path in SERVICES} >= {
        "core",
        "registry",
        "mapping",
        "stateaid",
        "benchmarking",
        "cooperation",
    }


@pytest.mark.parametrize("path", SERVICES, ids=lambda path: path.parent.name)
def test_every_service_write_is_audited(path):
    app = path.parent.name
    unaudited = [
        f"{app}/services.py:{line} {function}: .{method}() outside audited(...)"
        for function, line, method in unaudited_writes(path.read_text(encoding="utf-8"))
        if (app, function) not in EXEMPT
    ]
    assert unaudited == []


def test_every_exemption_still_names_a_function_that_writes():
    writing = {
        (path.parent.name, function)
        for path in SERVICES
        for function, _line, _method in unaudited_writes(path.read_text(encoding="utf-8"))
    }
    assert set(EXEMPT) - writing == set()


def test_the_check_flags_writes_outside_the_helper_and_passes_those_inside():
    source = """
def posting_close(*, actor, posting):
    posting.save(update_fields=["status"])
    Posting.objects.filter(pk=posting.pk).update(status="closed")
    posting.sectors.set([])
    fields = {}
    fields.update(status="closed")


def posting_reopen(*, actor, posting):
    with audited(posting, actor=actor):
        posting.save()
        posting.sectors.set([])
"""
    assert unaudited_writes(source) == [
        ("posting_close", 3, "save"),
        ("posting_close", 4, "update"),
        ("posting_close", 5, "set"),
    ]


@pytest.mark.django_db
def test_the_helper_records_creation_update_and_deletion():
    country = Country.objects.get(code="ES")
    agency = audited_create(
        Agency(slug="igape", name="IGAPE", country=country), actor=None, source="api"
    )
    with audited(agency, actor=None) as same:
        same.name = "Instituto Galego de Promoción Económica"
        same.save()
    with audited(agency, actor=None) as unchanged:
        unchanged.save()
    pk = agency.pk
    with audited(agency, actor=None) as gone:
        gone.delete()
    entries = list(AuditEntry.objects.filter(model="core.agency", object_pk=str(pk)).order_by("pk"))
    assert [(entry.action, entry.source) for entry in entries] == [
        ("create", "api"),
        ("update", "web"),
        ("delete", "web"),
    ]
    assert entries[0].changes["name"] == [None, "IGAPE"]
    assert entries[1].changes == {"name": ["IGAPE", "Instituto Galego de Promoción Económica"]}
    assert entries[2].changes["slug"] == ["igape", None]
