"""Reads of the kernel: the state of the background jobs and of the workers that run them, and
the platform's readiness (/readyz)."""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q, QuerySet
from django_tasks_db.models import DBTaskResult, get_date_max

from atclusters.core.models import UserLanguage, WorkerHeartbeat


def _lease_start(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.TASKS_LEASE_SECONDS)


def workers_alive(*, now: datetime) -> QuerySet[WorkerHeartbeat]:
    return WorkerHeartbeat.objects.filter(last_seen_at__gte=_lease_start(now))


def jobs_stale(*, now: datetime) -> list[DBTaskResult]:
    """Running jobs whose worker has not been heard from for the lease (TASKS_LEASE_SECONDS):
    it died with the job in hand. A job started within the lease is never stale, so that a
    worker without a heartbeat (another version, started by hand) is given the lease too."""
    alive = set(workers_alive(now=now).values_list("worker_id", flat=True))
    running = DBTaskResult.objects.running().filter(started_at__lt=_lease_start(now))
    return [job for job in running if not job.worker_ids or job.worker_ids[-1] not in alive]


def jobs_waiting(*, now: datetime) -> QuerySet[DBTaskResult]:
    """Jobs due for longer than the lease that no worker has taken: no worker is running."""
    since = _lease_start(now)
    return (
        DBTaskResult.objects.ready()
        .filter(enqueued_at__lt=since)
        .filter(Q(run_after=get_date_max()) | Q(run_after__lt=since))
        .order_by("enqueued_at")
    )


def jobs_failed(*, since: datetime) -> QuerySet[DBTaskResult]:
    return DBTaskResult.objects.failed().filter(finished_at__gte=since).order_by("-finished_at")


@dataclass(frozen=True)
class JobRow:
    """One job as the platform admin's page shows it."""

    id: str
    name: str
    at: datetime | None
    attempts: int
    worker: str
    error: str

    @classmethod
    def of(cls, job: DBTaskResult) -> "JobRow":
        lines = [line for line in job.traceback.splitlines() if line.strip()]
        return cls(
            id=str(job.pk),
            name=job.task_name,
            at=job.finished_at or job.started_at or job.enqueued_at,
            attempts=len(job.worker_ids),
            worker=job.worker_ids[-1] if job.worker_ids else "",
            error=lines[-1][:300] if lines else "",
        )


FAILED_JOBS_SHOWN_DAYS = 30


@dataclass(frozen=True)
class JobsHealth:
    workers: list[WorkerHeartbeat]
    stale: list[JobRow]
    waiting: list[JobRow]
    failed: list[JobRow]
    failed_days: int = FAILED_JOBS_SHOWN_DAYS

    @property
    def stuck(self) -> list[JobRow]:
        return self.stale + self.waiting


def jobs_health(*, now: datetime, limit: int = 100) -> JobsHealth:
    """What a platform admin checks: the live workers, the jobs stuck (a dead worker's, or
    waiting with no worker to take them) and the jobs failed in the last 30 days."""
    since = now - timedelta(days=FAILED_JOBS_SHOWN_DAYS)
    return JobsHealth(
        workers=list(workers_alive(now=now)),
        stale=[JobRow.of(job) for job in jobs_stale(now=now)[:limit]],
        waiting=[JobRow.of(job) for job in jobs_waiting(now=now)[:limit]],
        failed=[JobRow.of(job) for job in jobs_failed(since=since)[:limit]],
    )


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: dict[str, object]


def _database() -> Check:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return Check(False, {"error": type(error).__name__})
    return Check(True, {"ms": round((time.perf_counter() - started) * 1000, 1)})


# The databases (by alias and name) whose migrations this process found all applied. Building
# Django's migration graph reads every migration file: once the answer is yes it stays yes for
# the code this process runs (new code comes with a new process), so it is not asked again.
MIGRATED: set[tuple[str, str]] = set()


def _migrations() -> Check:
    key = (connection.alias, str(connection.settings_dict["NAME"]))
    if key in MIGRATED:
        return Check(True, {"unapplied": 0})
    executor = MigrationExecutor(connection)
    unapplied = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    if unapplied == 0:
        MIGRATED.add(key)
    return Check(unapplied == 0, {"unapplied": unapplied})


def _queue(now: datetime) -> Check:
    """How long the oldest due job has waited (0 when none waits)."""
    oldest = DBTaskResult.objects.ready().order_by("enqueued_at").first()
    lag = 0.0
    if oldest is not None:
        due = oldest.enqueued_at if oldest.run_after == get_date_max() else oldest.run_after
        lag = max(0.0, (now - max(due, oldest.enqueued_at)).total_seconds())
    return Check(
        lag <= settings.HEALTH_QUEUE_LAG_SECONDS,
        {
            "lag_seconds": round(lag),
            "waiting": DBTaskResult.objects.ready().count(),
            "limit_seconds": settings.HEALTH_QUEUE_LAG_SECONDS,
            "workers_alive": workers_alive(now=now).count(),
        },
    )


def _failed(now: datetime) -> Check:
    count = jobs_failed(since=now - timedelta(hours=1)).count()
    return Check(
        count <= settings.HEALTH_FAILED_JOBS_PER_HOUR,
        {"last_hour": count, "limit": settings.HEALTH_FAILED_JOBS_PER_HOUR},
    )


def readiness(*, now: datetime) -> dict[str, Check]:
    """What a load balancer asks before sending requests: the database answers, every migration
    is applied, the job queue moves and jobs do not fail in numbers. Without the database the
    other checks cannot run and are reported as not done."""
    database = _database()
    if not database.ok:
        skipped = Check(False, {"error": "database unreachable"})
        return {
            "database": database,
            "migrations": skipped,
            "queue": skipped,
            "failed_jobs": skipped,
        }
    return {
        "database": database,
        "migrations": _migrations(),
        "queue": _queue(now),
        "failed_jobs": _failed(now),
    }


def user_language(user: User) -> str:
    """The language to write to `user` in: the one they last signed in with, else the
    platform's default (settings.LANGUAGE_CODE)."""
    kept = UserLanguage.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
    return kept or settings.LANGUAGE_CODE
