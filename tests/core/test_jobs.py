"""Background jobs survive a worker that dies: the sweep queues again the jobs of a worker that
has gone silent, a bounded number of times, then marks them failed where platform admins see
them. Rows in the job table here; tests/core/test_worker.py kills real workers."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from atclusters.core import services
from atclusters.core.checks import jobs_timing_check
from atclusters.core.models import AuditEntry, OutgoingEmail, WorkerHeartbeat

pytestmark = pytest.mark.django_db

NOW = timezone.now()
LEASE = timedelta(minutes=5)  # the default TASKS_LEASE_SECONDS


def job(status=TaskResultStatus.RUNNING, *, workers=(), started=None, **fields) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        task_path="atclusters.core.tasks.outgoing_email_send",
        args_kwargs={"args": [], "kwargs": {"email_id": 1}},
        backend_name="default",
        run_after=get_date_max(),
        worker_ids=list(workers),
        started_at=started,
        **fields,
    )


def heard_from(worker_id: str, when) -> WorkerHeartbeat:
    return WorkerHeartbeat.objects.create(
        worker_id=worker_id, hostname="host", pid=1, started_at=when, last_seen_at=when
    )


def test_a_job_whose_worker_went_silent_is_queued_again_and_audited(caplog):
    heard_from("dead", NOW - LEASE - timedelta(seconds=1))
    lost = job(workers=["dead"], started=NOW - timedelta(minutes=10))
    swept = services.stale_jobs_sweep(now=NOW)
    assert swept == services.Sweep(requeued=[str(lost.pk)], failed=[])
    lost.refresh_from_db()
    assert (lost.status, lost.started_at, lost.worker_ids) == ("READY", None, ["dead"])
    entry = AuditEntry.objects.get(object_pk=str(lost.pk))
    assert (entry.actor_name, entry.source, entry.changes) == (
        "system",
        "worker",
        {"status": ["RUNNING", "READY"]},
    )
    assert (
        f"job {lost.pk} (atclusters.core.tasks.outgoing_email_send): worker dead stopped while "
        "running it (attempt 1 of 3); queued again"
    ) in caplog.text
    assert not WorkerHeartbeat.objects.exists()  # the dead worker's row goes


def test_a_job_of_a_worker_never_heard_from_is_stale_after_the_lease():
    lost = job(workers=["gone"], started=NOW - LEASE - timedelta(seconds=1))
    assert services.stale_jobs_sweep(now=NOW).requeued == [str(lost.pk)]


def test_a_live_workers_long_job_and_a_job_just_started_are_left_alone():
    heard_from("alive", NOW - timedelta(seconds=20))
    long_job = job(workers=["alive"], started=NOW - timedelta(hours=2))
    # A worker without a heartbeat (an older version, started by hand) gets the lease.
    just_started = job(workers=["no-heartbeat"], started=NOW - LEASE + timedelta(seconds=5))
    queued = job(TaskResultStatus.READY)
    assert services.stale_jobs_sweep(now=NOW) == services.Sweep()
    assert [
        DBTaskResult.objects.get(pk=each.pk).status for each in (long_job, just_started, queued)
    ] == ["RUNNING", "RUNNING", "READY"]
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]
    assert not AuditEntry.objects.exists()


def test_after_its_last_attempt_the_job_is_marked_failed(caplog):
    lost = job(workers=["w1", "w2", "w3"], started=NOW - timedelta(hours=1))
    assert services.stale_jobs_sweep(now=NOW).failed == [str(lost.pk)]
    lost.refresh_from_db()
    assert (lost.status, lost.finished_at) == ("FAILED", NOW)
    assert lost.exception_class_path == "atclusters.core.services.WorkerLost"
    assert lost.traceback == (
        "atclusters.core.services.WorkerLost: worker w3 stopped while running this job, "
        "attempt 3 of 3\n"
    )
    assert "(attempt 3 of 3); failed" in caplog.text
    # Nothing left to sweep: the job is done with.
    assert services.stale_jobs_sweep(now=NOW + LEASE) == services.Sweep()


def test_an_email_left_unsent_goes_once_its_reset_link_has_expired():
    def email(age: timedelta) -> OutgoingEmail:
        kept = OutgoingEmail.objects.create(
            subject="Password Reset Email", body="https://…/key/", from_email="a@b", to=["c@d"]
        )
        OutgoingEmail.objects.filter(pk=kept.pk).update(created_at=NOW - age)
        return kept

    expired = email(timedelta(days=3, seconds=1))  # PASSWORD_RESET_TIMEOUT: three days
    waiting = email(timedelta(days=2))
    services.stale_jobs_sweep(now=NOW)
    assert list(OutgoingEmail.objects.values_list("pk", flat=True)) == [waiting.pk]
    assert not OutgoingEmail.objects.filter(pk=expired.pk).exists()


@override_settings(TASKS_MAX_ATTEMPTS=1)
def test_the_number_of_attempts_is_a_setting():
    lost = job(workers=["w1"], started=NOW - timedelta(hours=1))
    assert services.stale_jobs_sweep(now=NOW).failed == [str(lost.pk)]


# The page reads the clock: held at NOW, which was taken when this module was imported, minutes
# before this test may run in a long suite.
@time_machine.travel(NOW, tick=False)
def test_platform_admins_see_workers_stuck_and_failed_jobs(login, world):
    heard_from("worker-on-duty", NOW - timedelta(seconds=10))
    job(workers=["killed"], started=NOW - timedelta(hours=1))
    job(TaskResultStatus.READY, enqueued_at=NOW)  # created now, so not waiting long yet
    waiting = job(TaskResultStatus.READY)
    DBTaskResult.objects.filter(pk=waiting.pk).update(enqueued_at=NOW - timedelta(hours=3))
    job(
        TaskResultStatus.FAILED,
        workers=["worker-on-duty"],
        finished_at=NOW - timedelta(days=1),
        exception_class_path="smtplib.SMTPConnectError",
        traceback="Traceback (most recent call last):\n  ...\nConnectionRefusedError: [Errno 111]\n",
    )
    job(TaskResultStatus.FAILED, finished_at=NOW - timedelta(days=31), traceback="Old: long ago")
    page = login(world.admin).get(reverse("jobs"))
    assert page.status_code == 200
    health = page.context["health"]
    assert [worker.worker_id for worker in health.workers] == ["worker-on-duty"]
    assert [(row.worker, row.attempts) for row in health.stale] == [("killed", 1)]
    assert [row.id for row in health.waiting] == [str(waiting.pk)]
    assert [row.error for row in health.failed] == ["ConnectionRefusedError: [Errno 111]"]
    text = page.text
    assert "its worker stopped while running it" in text and "waiting for a worker" in text
    assert "Old: long ago" not in text
    assert reverse("admin:django_tasks_database_dbtaskresult_change", args=[waiting.pk]) in text
    dashboard = login(world.admin).get(reverse("dashboard")).text
    assert "Stuck jobs: 2" in dashboard and "Failed in the last 30 days: 1" in dashboard


def test_no_live_worker_is_said_plainly(login, world):
    heard_from("long-dead", NOW - timedelta(hours=1))
    page = login(world.admin).get(reverse("jobs")).text
    assert "No worker has been heard from in the last 5 minutes" in page


def test_the_jobs_page_is_for_platform_admins_only(login, world):
    assert login(world.staff).get(reverse("jobs")).status_code == 403
    assert login(None).get(reverse("jobs")).status_code == 302
    assert "Background jobs" not in login(world.staff).get(reverse("dashboard")).text


@pytest.mark.parametrize(
    ("heartbeat", "lease", "attempts", "expected"),
    [
        (30, 300, 3, []),
        (30, 60, 3, ["core.E002"]),
        (0, 300, 3, ["core.E001"]),
        (30, 90, 0, ["core.E003"]),
    ],
)
def test_the_timing_is_checked_at_start_up(heartbeat, lease, attempts, expected):
    with override_settings(
        TASKS_HEARTBEAT_SECONDS=heartbeat, TASKS_LEASE_SECONDS=lease, TASKS_MAX_ATTEMPTS=attempts
    ):
        assert [error.id for error in jobs_timing_check(None)] == expected


def test_the_worker_command_is_the_one_with_the_heartbeat():
    from django.core.management import get_commands

    assert get_commands()["db_worker"] == "atclusters.core"
    call_command("check")
