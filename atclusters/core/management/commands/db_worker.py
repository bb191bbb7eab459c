"""`atclusters db_worker`: django-tasks-db's worker, which here also records that it is alive and,
with each heartbeat, queues again the jobs of workers that died while running them
(docs/operations.md, "Background jobs")."""

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from atclusters.core import services

logger = logging.getLogger(__name__)


class Command(db_worker.Command):
    help = (
        "Run the background worker: it runs the queued jobs, records that it is alive every "
        "TASKS_HEARTBEAT_SECONDS and queues again the jobs of workers that died."
    )

    def handle(self, *args, **options):
        only_restarts_the_worker = (
            options["reload"]
            and not options["batch"]
            and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        )
        if only_restarts_the_worker:  # the code reloader's parent: the worker is its child
            return super().handle(*args, **options)
        with heartbeat(options["worker_id"]):
            return super().handle(*args, **options)


@contextmanager
def heartbeat(worker_id: str) -> Iterator[None]:
    """Records the worker before it takes its first job, then from a thread every
    TASKS_HEARTBEAT_SECONDS (also while a long job runs), sweeping stale jobs each time; the
    record goes when the worker stops cleanly."""
    record = partial(
        services.worker_heartbeat_record,
        worker_id=worker_id,
        hostname=socket.gethostname(),
        pid=os.getpid(),
    )
    record(now=timezone.now())
    stop = threading.Event()
    beating = threading.Thread(
        target=_beat, args=(record, worker_id, stop), name=f"heartbeat {worker_id}", daemon=True
    )
    beating.start()
    try:
        yield
    finally:
        stop.set()
        beating.join(timeout=settings.TASKS_HEARTBEAT_SECONDS)
        services.worker_heartbeat_end(worker_id=worker_id)


def _beat(record: Callable[..., None], worker_id: str, stop: threading.Event) -> None:
    while not stop.wait(settings.TASKS_HEARTBEAT_SECONDS):
        close_old_connections()
        try:
            now = timezone.now()
            record(now=now)
            services.stale_jobs_sweep(now=now)
        except DatabaseError:  # a busy or unreachable database: try again at the next beat
            logger.warning("worker %s: heartbeat not recorded", worker_id, exc_info=True)
    connections.close_all()
