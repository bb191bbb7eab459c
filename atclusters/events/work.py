"""Events' part of "My work" (declared in EventsConfig.my_work): the user's open action items
and registrations."""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from atclusters.core.http import AuthenticatedRequest
from atclusters.events import selectors


def my_work(request: AuthenticatedRequest) -> SafeString:
    actions = list(selectors.open_actions_of(request.user))
    registrations = list(selectors.registrations_of(request.user)[:20])
    if not actions and not registrations:
        return SafeString("")
    return SafeString(
        render_to_string(
            "events/work.html",
            {"actions": actions, "registrations": registrations},
            request=request,
        )
    )
