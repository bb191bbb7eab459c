from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

NUL_MARKERS = (b"\x00", b"\\u0000", b"%00")


class RejectNulCharactersMiddleware:
    """NUL characters cannot be stored in PostgreSQL text and never belong in user input:
    a request carrying one in its query string or body is refused with 400 before any view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "").encode()
        textual = request.content_type in {"application/json", "application/x-www-form-urlencoded"}
        body = request.body if textual else b""
        if any(marker in query or marker in body for marker in NUL_MARKERS):
            message = "NUL characters are not allowed in input."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)
