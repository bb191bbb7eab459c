"""Background jobs of events (django.tasks)."""

from django.tasks import task


@task()
def meeting_reminders_send() -> int:
    from atclusters.events import services

    return services.meeting_reminders_send()


@task()
def waiting_list_promote(*, event_id: int) -> int:
    """Gives an event's freed or added seats to the first waiting (services.waiting_list_promote);
    returns how many got one."""
    from atclusters.events import services
    from atclusters.events.models import Event

    event = Event.objects.filter(pk=event_id).first()
    return len(services.waiting_list_promote(event=event)) if event else 0
