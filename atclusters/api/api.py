from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError

from atclusters.api.auth import bearer_challenge
from atclusters.api.parser import BodyRefused, BoundedParser
from atclusters.core.domains import api_routers
from atclusters.core.errors import DomainError
from atclusters.core.permissions import PermissionDenied


class Api(NinjaAPI):
    def on_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse:  # type: ignore[override]
        # ninja answers whatever the body parser raises with a bare "Cannot parse request body";
        # the parser's own refusals carry their answer (which field holds a NUL, why the JSON is
        # refused).
        if isinstance(exc, HttpError) and isinstance(exc.__cause__, BodyRefused | DomainError):
            exc = exc.__cause__
        return super().on_exception(request, exc)


api = Api(
    title="atclusters API",
    version="1",
    description=(
        "Clusters, organisations, memberships, cooperation agreements, regional statistics, "
        "cluster ratings, the de minimis register (agency staff), benchmarking and partner matching. Reads are public for "
        "published data; send `Authorization: Bearer <token>` (create tokens at /accounts/tokens/) "
        "to read what your role may see and to write."
    ),
    urls_namespace="api",
    parser=BoundedParser(),
)
for router in api_routers():
    api.add_router("/", router)


# The platform's errors, answered here once for every domain's endpoints (core/errors.py).
@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.detail}, status=422)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A model's own row rules (clean(), full_clean()) that a service ran."""
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = str(exc) or _("You may not change this record.")
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(BodyRefused)
def body_refused(request: HttpRequest, exc: BodyRefused) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": "Unauthorized"}, status=401)
    response["WWW-Authenticate"] = bearer_challenge(request)
    return response
