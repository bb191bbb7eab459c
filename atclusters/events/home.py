"""Events' section of the home page (declared in EventsConfig.home_sections)."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from atclusters.events import selectors


def upcoming(request: HttpRequest) -> SafeString:
    events = selectors.upcoming_events(request.user)[:5]
    if not events:
        return SafeString("")
    return SafeString(
        render_to_string("events/home_section.html", {"events": events}, request=request)
    )
