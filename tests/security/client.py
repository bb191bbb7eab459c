"""Requests one row of the table as one role: pages with the role's browser session, the API
with the role's token (and CSRF checks on, like any caller outside the test client)."""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client

from tests.security import calls
from tests.security.endpoints import API_PREFIX, api_url, url_patterns
from tests.security.world import TableWorld


def row_key(method: str, endpoint: str, variant: str) -> str:
    return f"{method} {endpoint}" + (f" [{variant}]" if variant else "")


def endpoint_key(endpoint: str, variant: str) -> str:
    return endpoint + (f" [{variant}]" if variant else "")


def is_api(endpoint: str) -> bool:
    return endpoint.startswith(API_PREFIX)


def arguments(world: TableWorld, endpoint: str, variant: str) -> calls.Arguments:
    specific = calls.by_endpoint(world).get(endpoint_key(endpoint, variant), calls.Arguments())
    defaults = calls.by_parameter(world)
    pattern = None if is_api(endpoint) else url_patterns()[endpoint]
    if pattern is not None and pattern.is_admin:
        defaults = {**defaults, **calls.admin_arguments(pattern, world)}
    return calls.Arguments({**defaults, **specific.path}, specific.query)


def url_of(world: TableWorld, endpoint: str, variant: str) -> tuple[str, dict]:
    given = arguments(world, endpoint, variant)
    if is_api(endpoint):
        return api_url(endpoint, given.path), given.query
    return url_patterns()[endpoint].url(given.path), given.query


def perform(
    world: TableWorld,
    method: str,
    endpoint: str,
    variant: str,
    role: str,
    write: calls.Write | None,
) -> HttpResponse:
    api = is_api(endpoint)
    client = Client(enforce_csrf_checks=api)
    headers = {}
    if role != "anonymous":
        if api:
            headers["Authorization"] = f"Bearer {world.tokens[role]}"
        else:
            client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    url, query = url_of(world, endpoint, variant)
    if method == "GET":
        return client.get(url, query, headers=headers)
    if query:
        url = f"{url}?{urlencode(query, doseq=True)}"
    body = write.body if write is not None else {}
    uploads = any(isinstance(value, SimpleUploadedFile) for value in body.values())
    if api and not uploads:
        return client.generic(
            method, url, json.dumps(body), content_type="application/json", headers=headers
        )
    assert method == "POST", f"{method} with a form or files"
    return client.post(url, body, headers=headers)
