from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

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
