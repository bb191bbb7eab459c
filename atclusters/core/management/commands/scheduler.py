"""`atclusters scheduler`: queues the periodic jobs the domains declare (`periodic_jobs` in their
AppConfig) once a day from their hour, or once in every interval of so many minutes, for
`atclusters db_worker` to run. Each job is queued once per period whichever scheduler gets there
first (core.services.periodic_jobs_queue): several schedulers, or one restarted, never queue a
job twice for the same period."""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.module_loading import import_string

from atclusters.core import services
from atclusters.core.domains import periodic_jobs

CHECK_EVERY_SECONDS = 60


class Command(BaseCommand):
    help = (
        "Queue the periodic background jobs (daily from their hour, or every so many minutes) "
        "for the worker, each once per period however many schedulers run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="queue every job now and stop (for cron)"
        )

    def handle(self, *args, **options):
        if options["once"]:
            for job in periodic_jobs():
                result = import_string(job.task).enqueue()
                self._said(f"queued {job.task} ({result.id})")
            return
        while True:
            for task in services.periodic_jobs_queue(now=timezone.localtime()):
                self._said(f"queued {task}")
            time.sleep(CHECK_EVERY_SECONDS)

    def _said(self, line: str) -> None:
        self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M} {line}")
