"""Cooperation's part of "My work" (declared in CooperationConfig.my_work)."""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from atclusters.cooperation import selectors
from atclusters.core.http import AuthenticatedRequest


def my_work(request: AuthenticatedRequest) -> SafeString:
    work = selectors.my_work(user=request.user)
    if not work:
        return SafeString("")
    return SafeString(render_to_string("cooperation/work.html", {"work": work}, request=request))
