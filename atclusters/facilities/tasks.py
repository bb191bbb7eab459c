"""Background jobs of the hub (django.tasks)."""

from django.tasks import task


@task()
def booking_email_send(*, booking_id: int) -> None:
    from atclusters.facilities import services
    from atclusters.facilities.models import Booking

    services.booking_email(Booking.objects.select_related("resource", "user").get(pk=booking_id))
