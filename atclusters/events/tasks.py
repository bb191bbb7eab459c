"""Background jobs of events (django.tasks)."""

from django.tasks import task


@task()
def meeting_reminders_send() -> int:
    from atclusters.events import services

    return services.meeting_reminders_send()
