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
