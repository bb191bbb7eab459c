"""The hub's part of "My work" (declared in FacilitiesConfig.my_work): the user's coming
bookings and, for hub managers, the bookings awaiting their approval."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from atclusters.core.http import AuthenticatedRequest
from atclusters.facilities import selectors
from atclusters.facilities.models import Booking

SHOWN = 5


def _named(bookings) -> list[tuple[Booking, str]]:
    language = get_language() or "en"
    return [(booking, booking.resource.name(language)) for booking in bookings]


def my_work(request: AuthenticatedRequest) -> SafeString:
    coming = (
        selectors.user_bookings(request.user)
        .filter(end__gt=timezone.now(), status__in=Booking.ACTIVE)
        .order_by("start")
    )
    waiting = selectors.approval_queue(request.user)
    if not coming.exists() and not waiting.exists():
        return SafeString("")
    return SafeString(
        render_to_string(
            "facilities/work.html",
            {
                "coming": _named(coming[:SHOWN]),
                "coming_count": coming.count(),
                "waiting": _named(waiting.select_related("resource", "user")[:SHOWN]),
                "waiting_count": waiting.count(),
            },
            request=request,
        )
    )
