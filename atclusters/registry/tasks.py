"""Background jobs of the registry (django.tasks; run by `atclusters db_worker`)."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from atclusters.registry.models import Invitation


@task()
def invitation_email_send(*, invitation_id: int, base_url: str, language: str) -> None:
    invitation = Invitation.objects.select_related("cluster", "agency").get(pk=invitation_id)
    with translation.override(language):
        link = base_url.rstrip("/") + reverse("invitation_accept", args=[invitation.token])
        send_mail(
            subject=_("You are invited to manage %(cluster)s on atclusters")
            % {"cluster": invitation.cluster.name},
            message=_(
                "%(agency)s invites you to manage the profile of %(cluster)s.\n\n"
                "Open this link to accept (valid for %(days)s days):\n%(link)s\n"
            )
            % {
                "agency": invitation.agency.name,
                "cluster": invitation.cluster.name,
                "days": settings.INVITATION_MAX_AGE_DAYS,
                "link": link,
            },
            from_email=None,
            recipient_list=[invitation.email],
        )
