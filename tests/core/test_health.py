"""/healthz (liveness) and /readyz (readiness): JSON for load balancers and probes, 503 naming the
check that fails, the figures behind the checks for the platform admin only (docs/operations.md,
"Health")."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from atclusters.core import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def migrations_asked_afresh():
    """Each test starts in a process that has not yet found the migrations applied."""
    selectors.MIGRATED.clear()
    yield
    selectors.MIGRATED.clear()


@pytest.fixture
def admin(client, world):
    """The platform admin's browser: the figures behind the checks."""
    client.force_login(world.admin)
    return client


def enqueued(status=TaskResultStatus.READY, **fields) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status, task_path="atclusters.core.tasks.outgoing_email_send",
        args_kwargs={"args": [], "kwargs": {"email_id": 1}}, backend_name="default",
        run_after=get_date_max(), **fields,
    )  # fmt: skip


def test_liveness_needs_no_database(client):
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor") as cursor:
        answer = client.get("/healthz")
    assert (answer.status_code, answer.json()) == (200, {"status": "ok"})
    assert not cursor.called
    assert "no-cache" in answer["Cache-Control"]


def test_the_public_is_told_only_whether_each_check_passes(client, settings):
    settings.HEALTH_QUEUE_LAG_SECONDS = 600
    job = enqueued()
    DBTaskResult.objects.filter(pk=job.pk).update(
        enqueued_at=timezone.now() - timedelta(minutes=11)
    )
    answer = client.get("/readyz")
    assert (answer.status_code, answer.json()) == (
        503,
        {
            "status": "fail",
            "checks": {
                "database": {"ok": True},
                "migrations": {"ok": True},
                "queue": {"ok": False},
                "failed_jobs": {"ok": True},
            },
        },
    )
    with mock.patch(
        "atclusters.core.selectors.connection.cursor", side_effect=OperationalError("down")
    ):
        down = client.get("/readyz").json()["checks"]
    assert down["database"] == {"ok": False} and down["queue"] == {"ok": False}


def test_the_migration_graph_is_built_until_the_migrations_are_found_applied(client):
    with mock.patch(
        "atclusters.core.selectors.MigrationExecutor", wraps=selectors.MigrationExecutor
    ) as executor:
        assert client.get("/readyz").status_code == 200
        assert client.get("/readyz").status_code == 200
    assert executor.call_count == 1
    selectors.MIGRATED.clear()
    with mock.patch(
        "atclusters.core.selectors.MigrationExecutor.migration_plan", return_value=[1]
    ) as plan:
        assert client.get("/readyz").status_code == 503
        assert client.get("/readyz").status_code == 503
    assert plan.call_count == 2  # not applied: asked again each time


def test_ready_with_every_check_and_its_figures(admin):
    answer = admin.get("/readyz")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "queue", "failed_jobs"}
    assert body["checks"]["migrations"] == {"ok": True, "unapplied": 0}
    assert body["checks"]["queue"]["lag_seconds"] == 0
    assert body["checks"]["failed_jobs"] == {"ok": True, "last_hour": 0, "limit": 20}


def test_a_queue_that_does_not_move_is_not_ready(admin, settings):
    settings.HEALTH_QUEUE_LAG_SECONDS = 600
    job = enqueued()
    DBTaskResult.objects.filter(pk=job.pk).update(
        enqueued_at=timezone.now() - timedelta(minutes=11)
    )
    answer = admin.get("/readyz")
    assert answer.status_code == 503
    queue = answer.json()["checks"]["queue"]
    assert (queue["ok"], queue["waiting"]) == (False, 1)
    assert 660 <= queue["lag_seconds"] < 700
    # A job scheduled for later is not late.
    DBTaskResult.objects.filter(pk=job.pk).update(run_after=timezone.now() + timedelta(hours=1))
    assert admin.get("/readyz").status_code == 200


def test_jobs_failing_in_numbers_make_it_not_ready(admin, settings):
    settings.HEALTH_FAILED_JOBS_PER_HOUR = 2
    for _ in range(3):
        enqueued(TaskResultStatus.FAILED, finished_at=timezone.now() - timedelta(minutes=5))
    enqueued(TaskResultStatus.FAILED, finished_at=timezone.now() - timedelta(hours=2))
    answer = admin.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["checks"]["failed_jobs"] == {"ok": False, "last_hour": 3, "limit": 2}


def test_without_the_database_readiness_fails_for_everyone_alike(admin):
    """Who asks is read from the database: without it, the admin too is told the checks only."""
    with mock.patch(
        "atclusters.core.selectors.connection.cursor", side_effect=OperationalError("down")
    ):
        answer = admin.get("/readyz")
    assert answer.status_code == 503
    checks = answer.json()["checks"]
    assert checks["database"] == {"ok": False} and checks["queue"] == {"ok": False}


def test_unapplied_migrations_make_it_not_ready(admin):
    with mock.patch(
        "atclusters.core.selectors.MigrationExecutor.migration_plan", return_value=[1, 2]
    ):
        answer = admin.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["checks"]["migrations"] == {"ok": False, "unapplied": 2}
