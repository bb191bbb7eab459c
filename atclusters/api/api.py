from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError

from atclusters.api.auth import bearer_challenge
from atclusters.api.parser import BodyRefused, BoundedParser
from atclusters.core.domains import api_routers
from atclusters.registry.api import ApiValidationError


class Api(NinjaAPI):
    def on_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse:  # type: ignore[override]
        # ninja answers whatever the body parser raises with a bare "Cannot parse request body";
        # the parser's own refusals carry their answer (which field holds a NUL, why the JSON is
        # refused).
        if isinstance(exc, HttpError) and isinstance(
            exc.__cause__, BodyRefused | ApiValidationError
        ):
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


@api.exception_handler(ApiValidationError)
def validation_error(request: HttpRequest, exc: ApiValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.detail}, status=422)


@api.exception_handler(BodyRefused)
def body_refused(request: HttpRequest, exc: BodyRefused) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": "Unauthorized"}, status=401)
    response["WWW-Authenticate"] = bearer_challenge(request)
    return response
