import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.template.response import SimpleTemplateResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

NUL = "\x00"
NUL_MARKERS = (b"\x00", b"\\u0000", b"%00")


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
