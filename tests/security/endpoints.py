"""Every endpoint the platform answers: the URL patterns of `django.urls.get_resolver()`, walked
recursively, and the operations of the API's OpenAPI schema; and their URLs once the parameters
are known."""

import re
from dataclasses import dataclass
from functools import cache

from django.urls import URLPattern, URLResolver, get_resolver

from atclusters.api.api import api

API_PREFIX = "/api/v1/"
# The API's URL patterns are its operations (one row per path and method); its documentation
# pages are ordinary pages.
API_NAMESPACE = "api:"
API_PAGES = ("api:openapi-json", "api:openapi-view", "api:api-root")
ADMIN_PREFIX = "admin/"

_ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
_REGEX_PARAMETER = re.compile(r"\(\?P<(\w+)>[^)]*\)")


@dataclass(frozen=True)
class Pattern:
    key: str  # the pattern's name with its namespaces ("admin:index"), or its route if unnamed
    route: str  # the full route, language prefix included ("en/clusters/<slug:slug>/")

    @property
    def parameters(self) -> list[str]:
        groups = _REGEX_PARAMETER.findall(self.route)
        return groups + _ROUTE_PARAMETER.findall(_REGEX_PARAMETER.sub("", self.route))

    def url(self, arguments: dict[str, object]) -> str:
        def value(match: re.Match) -> str:
            return str(arguments[match.group(1)])

        # Regular-expression groups first: their `(?P<name>…)` would read as a route's `<name>`.
        path = _ROUTE_PARAMETER.sub(value, _REGEX_PARAMETER.sub(value, self.route))
        return "/" + path.replace("^", "").replace("$", "")

    @property
    def is_admin(self) -> bool:
        return self.route.startswith(ADMIN_PREFIX)


def _walk(resolver: URLResolver, prefix: str, namespace: str) -> list[Pattern]:
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _walk(entry, route, inner)
        elif isinstance(entry, URLPattern):
            found.append(Pattern(f"{namespace}{entry.name}" if entry.name else route, route))
    return found


@cache
def url_patterns() -> dict[str, Pattern]:
    """Every URL pattern, under the English prefix, by key; the API's operations excepted."""
    patterns = {}
    for pattern in _walk(get_resolver(), "", ""):
        if pattern.key.startswith(API_NAMESPACE) and pattern.key not in API_PAGES:
            continue
        assert pattern.key not in patterns, f"two URL patterns named {pattern.key}"
        patterns[pattern.key] = pattern
    return patterns


@cache
def api_url_routes() -> set[str]:
    """The routes of the API's own URL patterns in the schema's notation (`/api/v1/x/{id}`)."""
    return {
        "/" + _ROUTE_PARAMETER.sub(r"{\1}", pattern.route)
        for pattern in _walk(get_resolver(), "", "")
        if pattern.key.startswith(API_NAMESPACE) and pattern.key not in API_PAGES
    }


@cache
def api_operations() -> list[str]:
    """Every operation of the OpenAPI schema as `METHOD /api/v1/path/{parameter}`."""
    schema = api.get_openapi_schema(path_prefix=API_PREFIX)
    return [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
    ]


def api_url(path: str, arguments: dict[str, object]) -> str:
    return re.sub(r"\{(\w+)\}", lambda match: str(arguments[match.group(1)]), path)


def api_parameters(path: str) -> list[str]:
    return re.findall(r"\{(\w+)\}", path)
