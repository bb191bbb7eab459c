"""Emails of the services domain, sent by the background worker once the write has committed:
a request received (to the provider's contacts), accepted, declined or delivered (to the
member's representatives), a claim decided (to the claimant's representatives)."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


def _link(name: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name)


@task()
def request_email(request_id: int, event: str) -> None:
    from atclusters.services.models import ServiceRequest

    request = ServiceRequest.objects.select_related("service__agency", "service__cluster").get(
        pk=request_id
    )
    service = request.service
    if event == "received":
        staff = service.cluster.managers.all() if service.cluster else service.agency.staff.all()
        recipients = [user.email for user in staff if user.email]
        page = "service_queue"
    else:
        recipients = [
            user.email for user in request.organisation.representatives.all() if user.email
        ]
        page = "service_my_requests"
    if not recipients:
        return
    with translation.override("en"):
        subjects = {
            "received": _("New request for “%(service)s”"),
            "accepted": _("Your request for “%(service)s” was accepted"),
            "declined": _("Your request for “%(service)s” was declined"),
            "delivered": _("“%(service)s” was delivered: please rate it"),
        }
        body = f"{request.organisation.name}: {service.name_en}\n"
        if request.decision_reason:
            body += f"\n{request.decision_reason}\n"
        if event == "delivered" and request.aid_eur:
            body += "\n" + _(
                "This service is de minimis aid of EUR %(aid)s, recorded in the register."
            ) % {"aid": request.aid_eur}
        send_mail(
            subject=subjects[event] % {"service": service.name_en},
            message=body + "\n" + _link(page) + "\n",
            from_email=None,
            recipient_list=recipients,
        )


@task()
def claim_email(claim_id: int) -> None:
    from atclusters.services.models import Claim

    claim = Claim.objects.select_related("programme", "organisation").get(pk=claim_id)
    recipients = [user.email for user in claim.organisation.representatives.all() if user.email]
    if not recipients:
        return
    with translation.override("en"):
        status = claim.get_status_display()
        send_mail(
            subject=_("Your claim to “%(programme)s”: %(status)s")
            % {"programme": claim.programme.name_en, "status": status},
            message=(claim.reason or "")
            + "\n"
            + (_("Discount: EUR %(aid)s") % {"aid": claim.aid_eur} if claim.aid_eur else "")
            + "\n"
            + _link("service_my_requests")
            + "\n",
            from_email=None,
            recipient_list=recipients,
        )
