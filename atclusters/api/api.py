from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from atclusters.api.auth import bearer_challenge
from atclusters.benchmarking.api import router as benchmarking_router
from atclusters.cooperation.api import router as cooperation_router
from atclusters.mapping.api import router as mapping_router
from atclusters.registry.api import ApiValidationError
from atclusters.registry.api import router as registry_router
from atclusters.stateaid.api import router as stateaid_router

api = NinjaAPI(
    title="atclusters API",
    version="1",
    description=(
        "Clusters, organisations, memberships, cooperation agreements, regional statistics, "
        "cluster ratings, the de minimis register (agency staff), benchmarking and partner matching. Reads are public for "
        "published data; send `Authorization: Bearer <token>` (create tokens at /accounts/tokens/) "
        "to read what your role may see and to write."
    ),
    urls_namespace="api",
)
api.add_router("/", registry_router)
api.add_router("/", mapping_router)
api.add_router("/", stateaid_router)
api.add_router("/", benchmarking_router)
api.add_router("/", cooperation_router)


@api.exception_handler(ApiValidationError)
def validation_error(request: HttpRequest, exc: ApiValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.detail}, status=422)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": "Unauthorized"}, status=401)
    response["WWW-Authenticate"] = bearer_challenge(request)
    return response
