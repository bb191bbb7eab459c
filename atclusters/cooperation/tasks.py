"""Background jobs of cooperation (django.tasks; the digest is queued daily by the scheduler)."""

from django.tasks import task
from django.utils import timezone


@task()
def interest_email_send(*, interest_id: int, base_url: str) -> None:
    from atclusters.cooperation import services
    from atclusters.cooperation.models import Interest

    interest = Interest.objects.select_related("posting__created_by", "user").get(pk=interest_id)
    services.interest_email(interest, base_url)


@task()
def posting_digests() -> int:
    from atclusters.cooperation import services

    return services.digests_send(now=timezone.now())
