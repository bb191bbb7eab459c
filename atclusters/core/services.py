import hashlib
import logging
import secrets
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.tasks import TaskResultStatus
from django.tasks.signals import task_finished
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from atclusters.core import selectors, tasks
from atclusters.core.audit import audit_record, audited, audited_create
from atclusters.core.domains import periodic_jobs
from atclusters.core.models import (
    ApiToken,
    AuditEntry,
    OutgoingEmail,
    PeriodicRun,
    UserLanguage,
    WorkerHeartbeat,
)

logger = logging.getLogger(__name__)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token and its secret; the secret is shown once and never stored."""
    raw = "atc_" + secrets.token_urlsafe(32)
    token = audited_create(
        ApiToken(user=user, name=name, digest=_digest(raw), prefix=raw[:8]), actor=user
    )
    return token, raw


TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


def api_token_authenticate(*, raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # At most one write a minute per token: every read taking SQLite's write lock would
    # serialise the API's readers (docs/operations.md).
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_revoke(*, user: User, token_id: int) -> bool:
    """Whether the user had a token with this id (now revoked)."""
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        return False
    with audited(token, actor=user):
        token.delete()
    return True


def user_language_remember(*, user: User, language: str) -> None:
    """Keeps the language the user works in (core.selectors.user_language), for what is
    written to them later; a language the platform does not offer is ignored."""
    if language not in dict(settings.LANGUAGES):
        return
    kept = UserLanguage.objects.filter(user=user).first()
    if kept is None:
        audited_create(UserLanguage(user=user, language=language), actor=user)
    elif kept.language != language:
        with audited(kept, actor=user):
            kept.language = language
            kept.save(update_fields=["language"])


def email_queue(*, message: EmailMessage) -> OutgoingEmail:
    """Keeps a rendered message for the background worker, which sends and then deletes it: a
    slow or absent mail server neither delays nor breaks the request that wrote it."""
    html = next(
        (
            str(content)
            for content, mimetype in getattr(message, "alternatives", [])
            if mimetype == "text/html"
        ),
        "",
    )
    body = str(message.body)
    if message.content_subtype == "html":
        html, body = body, strip_tags(body)
    outgoing = OutgoingEmail.objects.create(
        subject=str(message.subject),
        body=body,
        html=html,
        from_email=message.from_email,
        to=list(message.to),
    )
    transaction.on_commit(lambda: tasks.outgoing_email_send.enqueue(email_id=outgoing.pk))
    return outgoing


def worker_heartbeat_record(*, worker_id: str, hostname: str, pid: int, now: datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"last_seen_at": now},
        create_defaults={
            "hostname": hostname,
            "pid": pid,
            "started_at": now,
            "last_seen_at": now,
        },
    )


def periodic_jobs_queue(*, now: datetime) -> list[str]:
    """Queue each periodic job whose period has come and that no scheduler has queued for it
    yet; the tasks queued. The period's row and the job's are written in one transaction, and
    the unique (task, slot) decides between schedulers racing for the same period."""
    queued = []
    for job in periodic_jobs():
        slot = job.slot(now)
        if slot is None or PeriodicRun.objects.filter(task=job.task, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(task=job.task, slot=slot)
                result = import_string(job.task).enqueue()
                run.task_result_id = str(result.id)
                run.save(update_fields=["task_result_id"])
        except IntegrityError:
            continue  # another scheduler queued it for this period
        queued.append(job.task)
    return queued


def worker_heartbeat_end(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


class WorkerLost(Exception):
    """Recorded as the error of a job whose worker died while running it, each time it was
    started (TASKS_MAX_ATTEMPTS)."""


@dataclass
class Sweep:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _finished_announce(job: DBTaskResult) -> None:
    """Sends django.tasks' `task_finished` for a job failed by the sweep, as the worker does for
    a job that raised, so that what a domain records about its jobs (a rating set "being
    computed") follows the job's end however it came."""
    job.refresh_from_db()
    try:
        result = job.task_result
    except ImportError:  # the job's task no longer exists: nobody is listening for it
        return
    task_finished.send(sender=type(job.task.get_backend()), task_result=result)


def stale_jobs_sweep(*, now: datetime) -> Sweep:
    """Every job whose worker died while running it (`selectors.jobs_stale`) is queued again,
    or marked failed with `WorkerLost` once it has been started TASKS_MAX_ATTEMPTS times; the
    rows of the dead workers go, and so do emails left unsent past a reset link's validity.
    Jobs therefore run at least once and may run again after a crash: they are written to be
    idempotent. Safe when several workers sweep at once: a job changes only while it is still
    in the attempt that was seen stale."""
    swept = Sweep()
    for job in selectors.jobs_stale(now=now):
        attempts = len(job.worker_ids)
        worker = job.worker_ids[-1] if job.worker_ids else "unknown"
        attempt = DBTaskResult.objects.filter(
            pk=job.pk, status=TaskResultStatus.RUNNING, started_at=job.started_at
        )
        if attempts < settings.TASKS_MAX_ATTEMPTS:
            status = TaskResultStatus.READY
            changed = attempt.update(status=status, started_at=None)
            outcome = swept.requeued
        else:
            status = TaskResultStatus.FAILED
            error = WorkerLost(
                f"worker {worker} stopped while running this job, "
                f"attempt {attempts} of {settings.TASKS_MAX_ATTEMPTS}"
            )
            changed = attempt.update(
                status=status,
                finished_at=now,
                return_value=None,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback="".join(traceback.format_exception_only(error)),
            )
            outcome = swept.failed
        if not changed:
            continue
        outcome.append(str(job.pk))
        audit_record(
            actor=None,
            action=AuditEntry.Action.UPDATE,
            instance=job,
            changes={"status": [TaskResultStatus.RUNNING, status]},
            source="worker",
        )
        if status == TaskResultStatus.FAILED:
            _finished_announce(job)
        logger.log(
            logging.WARNING if status == TaskResultStatus.READY else logging.ERROR,
            "job %s (%s): worker %s stopped while running it (attempt %d of %d); %s",
            job.pk,
            job.task_path,
            worker,
            attempts,
            settings.TASKS_MAX_ATTEMPTS,
            "queued again" if status == TaskResultStatus.READY else "failed",
        )
    WorkerHeartbeat.objects.filter(
        last_seen_at__lt=now - timedelta(seconds=settings.TASKS_LEASE_SECONDS)
    ).delete()
    # An email whose job failed for good (its worker died each time) would keep its reset link
    # forever: once the link has expired, nothing is left worth sending.
    OutgoingEmail.objects.filter(
        created_at__lt=now - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    ).delete()
    return swept
