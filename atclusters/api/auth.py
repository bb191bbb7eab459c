from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from atclusters.core.services import api_token_authenticate


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a personal API token (see /accounts/tokens/)."""

    def authenticate(self, request: HttpRequest, token: str):
        return api_token_authenticate(raw=token)


class LoggedInSessionAuth(SessionAuth):
    """The session of a logged-in browser, which must send its CSRF token (403 without it). A
    request with no login is not refused here but passed on, so that a write without any
    credentials is answered 401 with a challenge rather than 403 for a missing CSRF token."""

    def __call__(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


# Writes: a token, or the logged-in browser session with its CSRF token.
WRITE_AUTH = [TokenAuth(), LoggedInSessionAuth(csrf=True)]


def bearer_challenge(request: HttpRequest) -> str:
    """The `WWW-Authenticate` value of a 401 (RFC 6750, section 3): a bearer token was sent and
    is wrong, or none was sent (then no error code)."""
    scheme, _, _token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return 'Bearer realm="atclusters", error="invalid_token"'
    return 'Bearer realm="atclusters"'


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
