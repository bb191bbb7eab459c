"""`atclusters scheduler`: queues the periodic jobs the domains declare (`periodic_jobs` in their AppConfig) once a day at
their hour, or every so many minutes for those that say so, for `atclusters db_worker` to run. Jobs are idempotent (each records what it has
done), so a restart that queues a job twice in a day does no harm."""

import time
from datetime import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.module_loading import import_string

from atclusters.core.domains import periodic_jobs

CHECK_EVERY_SECONDS = 60


class Command(BaseCommand):
    help = (
        "Queue the periodic background jobs (daily at their hour, or every so many minutes) "
        "for the worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="queue every job now and stop (for cron)"
        )

    def handle(self, *args, **options):
        if options["once"]:
            for job in periodic_jobs():
                self._enqueue(job.task)
            return
        queued: dict[str, datetime] = {}
        while True:
            now = timezone.localtime()
            for job in periodic_jobs():
                if job.due(now, queued.get(job.task)):
                    self._enqueue(job.task)
                    queued[job.task] = now
            time.sleep(CHECK_EVERY_SECONDS)

    def _enqueue(self, path: str) -> None:
        result = import_string(path).enqueue()
        self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M} queued {path} ({result.id})")
