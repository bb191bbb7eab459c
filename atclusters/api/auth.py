from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from atclusters.core.services import api_token_authenticate


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a personal API token (see /accounts/tokens/)."""

    def authenticate(self, request: HttpRequest, token: str):
        return api_token_authenticate(raw=token)


# Writes: a token, or the browser session with its CSRF token.
WRITE_AUTH = [TokenAuth(), SessionAuth(csrf=True)]


def reader(request: HttpRequest):
    """The user on whose behalf a read runs: token holder, session user, or anonymous public.
    A token that is present but wrong is an error, never a silent downgrade to public. Resolved
    once per request (list responses ask for every item)."""
    if "_reader" in request.__dict__:
        return request.__dict__["_reader"]
    request.__dict__["_reader"] = user = _resolve_reader(request)
    return user


def _resolve_reader(request: HttpRequest):
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, raw = header.partition(" ")
        user = api_token_authenticate(raw=raw.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            raise AuthenticationError
        return user
    return request.user if request.user.is_authenticated else AnonymousUser()
