import hashlib
import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import InterfaceError, OperationalError, connections
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.csrf import get_token
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.template.response import SimpleTemplateResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from atclusters.core.models import AuditEntry
from atclusters.core.permissions import roles_read_once

logger = logging.getLogger(__name__)

NUL = "\x00"
NUL_MARKERS = (b"\x00", b"\\u0000", b"%00")


class RequestRolesMiddleware:
    """Each user's roles are read once per request (core.permissions.roles_read_once)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with roles_read_once():
            return self.get_response(request)


class RejectNulCharactersMiddleware:
    """NUL characters cannot be stored in PostgreSQL text and never belong in user input.
    A path holding one names nothing (404). A page request carrying one in its query string, its
    body or a field of its multipart form is refused with 400 before any view; the API refuses it itself, naming the field
    (atclusters/api/parser.py), so API requests pass on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = request.path.startswith("/api/")
        if NUL in request.path:
            if api:
                return JsonResponse({"detail": "Not Found"}, status=404)
            raise Http404
        if api:
            return self.get_response(request)
        query = request.META.get("QUERY_STRING", "").encode()
        textual = request.content_type in {"application/json", "application/x-www-form-urlencoded"}
        body = request.body if textual else b""
        # A multipart form's fields, as parsed (CsrfViewMiddleware parses them next anyway):
        # views that read request.POST directly get no form validation.
        fields = request.POST.lists() if request.content_type == "multipart/form-data" else []
        if any(marker in query or marker in body for marker in NUL_MARKERS) or any(
            NUL in name or NUL in value for name, values in fields for value in values
        ):
            return HttpResponseBadRequest("NUL characters are not allowed in input.")
        return self.get_response(request)


def request_too_large(path: str, limit: int) -> HttpResponse:
    message = _("The request is too large: at most %(size)s may be sent at once.") % {
        "size": filesizeformat(limit)
    }
    if path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


class RequestSizeLimitMiddleware:
    """Answers 413 to a request whose declared body passes REQUEST_MAX_BYTES, before anything
    reads it. Under WSGI that bounds every upload: Django never reads past the declared length,
    and a body without one reads as empty. (Under ASGI the body arrives before any middleware
    runs; atclusters/asgi.py bounds it while it streams in.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django reads such a body as empty
        if declared > settings.REQUEST_MAX_BYTES:
            return request_too_large(request.path, settings.REQUEST_MAX_BYTES)
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """Django answers a method a view does not take (`require_POST` and the like) with an empty
    405; pages get the site's own page instead, the API its JSON."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.content:
            return response
        from atclusters.core.views import method_not_allowed

        page = method_not_allowed(request)
        if "Allow" in response:
            page["Allow"] = response["Allow"]
        return page


class VaryOnHtmxMiddleware:
    """A page and its htmx fragment share a URL; without `Vary: HX-Request` a browser's Back
    button may show the cached fragment, unstyled, as the page (django-htmx's documented
    pattern). Set on every response: cheap, and no view can forget it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response


CONNECTION_LOST = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


class DatabaseUnavailableMiddleware:
    """A database blip (a restart, a failover, a dropped connection) must not show readers an
    error. A safe request (GET, HEAD) whose view lost the database is run once more, on a new
    connection; when that fails too, or for a write (never run twice), the answer is 503 with
    Retry-After: JSON on the API, otherwise a page drawn without the database (the usual error
    page reads the signed-in user, the navigation and the branding from it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, CONNECTION_LOST):
            return None
        logger.warning(
            "database unavailable for %s %s: %s", request.method, request.path, exception
        )
        match = request.resolver_match
        if request.method in ("GET", "HEAD") and match and not hasattr(request, "_db_retried"):
            request._db_retried = True  # type: ignore[attr-defined]
            for alias in connections:
                # A connection inside a transaction belongs to its caller: only a free one is
                # dropped and opened anew.
                if not connections[alias].in_atomic_block:
                    connections[alias].close()
            try:
                response = match.func(request, *match.args, **match.kwargs)
                if isinstance(response, SimpleTemplateResponse):
                    response = response.render()
                return response
            except CONNECTION_LOST as again:
                logger.warning("database still unavailable for %s: %s", request.path, again)
        return self.unavailable(request)

    @staticmethod
    def unavailable(request: HttpRequest) -> HttpResponse:
        message = _("The platform cannot reach its database for a moment. Try again shortly.")
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse({"detail": message}, status=503)
        else:
            response = HttpResponse(
                render_to_string(
                    "unavailable.html", {"message": message, "language": get_language()}
                ),
                status=503,
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


# A page keeps the CSRF token it was rendered with in its forms and its htmx headers; a stored
# page holds this mark in its place, and each reader gets their own token.
TOKEN_MARK = b"\x00csrf-token\x00"
RENDERED_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{32,64})"')
NOT_PAGES = ("/api/", "/admin/", "/static/", "/media/", "/healthz", "/readyz")
MESSAGES_COOKIE = CookieStorage.cookie_name  # messages waiting to be shown: a page of its own
# The request headers by which a view answers with a fragment rather than the page.
HTMX_HEADERS = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request", "HX-Target", "HX-Trigger")


class AnonymousPageCacheMiddleware:
    """Pages as a reader who is not logged in sees them, kept `PAGE_CACHE_SECONDS` in the cache
    and dropped at the next audited write anywhere (the key holds the newest audit entry's id:
    every write goes through the audit, so a published or edited cluster shows at once).

    Only pages rendered for an anonymous request without a session, without pending messages
    and without a cookie of their own are stored, and only such requests are answered from the
    store: nobody's private page is ever kept, nor a kept page shown to someone logged in.
    The key is the address, the host and scheme, the language, and the htmx headers that pick a
    partial. Each reader gets their own CSRF token in the stored page.

    Stored pages carry an entity tag made of the stored content and the reader's CSRF cookie
    (the token in a page is masked afresh for each answer, so a digest of the body would never
    repeat); `ConditionalGetMiddleware`, outside this one, answers a matching `If-None-Match`
    with 304 Not Modified, and `Cache-Control: no-cache` has browsers ask each time."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        stored = caches[settings.PAGE_CACHE_ALIAS].get(key)
        if stored is not None:
            return self._answer(request, stored)
        response = self.get_response(request)
        stored = self._store(request, response, key)
        if stored is not None:
            self._tag(request, response, stored)
        return response

    @staticmethod
    def _key(request: HttpRequest) -> str | None:
        seconds = settings.PAGE_CACHE_SECONDS
        cookies = request.COOKIES
        if (
            not seconds
            or request.method not in ("GET", "HEAD")
            or request.path.startswith(NOT_PAGES)
            or settings.SESSION_COOKIE_NAME in cookies
            or MESSAGES_COOKIE in cookies
        ):
            return None
        try:
            newest = AuditEntry.objects.aggregate(newest=Max("id"))["newest"] or 0
        except CONNECTION_LOST:  # the view's own middleware retries or answers 503
            return None
        parts = (
            str(newest),
            request.scheme or "",
            request.get_host(),
            get_language() or "",
            request.get_full_path(),
            *(request.headers.get(name, "") for name in HTMX_HEADERS),
        )
        return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()

    @staticmethod
    def _store(request: HttpRequest, response: HttpResponse, key: str) -> dict | None:
        if (
            response.status_code != 200
            or response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
            or set(response.cookies) - {settings.CSRF_COOKIE_NAME}
            or "private" in response.get("Cache-Control", "")
            or "no-store" in response.get("Cache-Control", "")
            or request.user.is_authenticated
        ):
            return None
        content = response.content
        rendered = RENDERED_TOKEN.search(content)
        if rendered:
            content = content.replace(rendered.group(1), TOKEN_MARK)
        stored = {
            "content": content,
            "headers": {
                name: response[name]
                for name in ("Content-Type", "Content-Language", "Vary")
                if response.has_header(name)
            },
        }
        caches[settings.PAGE_CACHE_ALIAS].set(key, stored, settings.PAGE_CACHE_SECONDS)
        return stored

    @staticmethod
    def _answer(request: HttpRequest, stored: dict) -> HttpResponse:
        content = stored["content"]
        if TOKEN_MARK in content:
            content = content.replace(TOKEN_MARK, get_token(request).encode())
        response = HttpResponse(content)
        for name, value in stored["headers"].items():
            response[name] = value
        AnonymousPageCacheMiddleware._tag(request, response, stored)
        return response

    @staticmethod
    def _tag(request: HttpRequest, response: HttpResponse, stored: dict) -> None:
        digest = hashlib.sha256(stored["content"])
        if TOKEN_MARK in stored["content"]:
            digest.update(b"\n" + request.COOKIES.get(settings.CSRF_COOKIE_NAME, "").encode())
        response["ETag"] = f'"{digest.hexdigest()[:40]}"'
        response["Cache-Control"] = "no-cache"
