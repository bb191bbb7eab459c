"""Background jobs of the kernel (django.tasks; run by `atclusters db_worker`)."""

import logging

from django.core.mail import EmailMultiAlternatives
from django.tasks import task

from atclusters.core.models import OutgoingEmail

logger = logging.getLogger(__name__)


@task()
def outgoing_email_send(*, email_id: int) -> None:
    """Sends a queued email and deletes it, sent or not: a failure is logged and left on the
    failed job (the person asks again), never kept with its link in the database."""
    outgoing = OutgoingEmail.objects.filter(pk=email_id).first()
    if outgoing is None:  # sent by an earlier attempt that stopped before finishing
        return
    message = EmailMultiAlternatives(
        outgoing.subject, outgoing.body, outgoing.from_email, outgoing.to
    )
    if outgoing.html:
        message.attach_alternative(outgoing.html, "text/html")
    try:
        message.send()
    except Exception:
        logger.exception("could not send %s to %s", outgoing.subject, ", ".join(outgoing.to))
        raise
    finally:
        outgoing.delete()
