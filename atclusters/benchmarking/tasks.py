"""Background jobs of benchmarking (django.tasks; queued daily by `atclusters scheduler`)."""

from django.tasks import task
from django.utils import timezone

from atclusters.benchmarking import services


@task()
def deadline_reminders() -> int:
    return services.deadline_reminders_send(today=timezone.localdate())
