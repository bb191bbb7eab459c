"""Request types for views, so type checking knows what middleware adds."""

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedRequest(HtmxRequest):
    """For views behind login_required."""

    user: User


class ApiRequest(HttpRequest):
    """A django-ninja request after authentication: `auth` is the acting user."""

    auth: Any


def partial_wanted(request: HtmxRequest) -> bool:
    """An htmx request for a page's fragment; not when htmx restores a page from history, which
    needs the whole page. (Every response varies on HX-Request: core/middleware.py.)"""
    return bool(request.htmx) and not request.htmx.history_restore_request
