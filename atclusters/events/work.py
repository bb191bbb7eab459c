"""Events' part of "My work" (declared in EventsConfig.my_work): the user's open action items,
registrations and training record (certificates)."""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from atclusters.core.http import AuthenticatedRequest
from atclusters.events import selectors


def my_work(request: AuthenticatedRequest) -> SafeString:
    actions = list(selectors.open_actions_of(request.user))
    registrations = list(selectors.registrations_of(request.user)[:20])
    certificates = list(selectors.certificates_of(request.user))
    if not actions and not registrations and not certificates:
        return SafeString("")
    return SafeString(
        render_to_string(
            "events/work.html",
            {"actions": actions, "registrations": registrations, "certificates": certificates},
            request=request,
        )
    )
