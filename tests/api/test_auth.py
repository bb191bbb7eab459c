"""Who may write through the API: every write operation of the published schema, tried without
credentials, with a wrong token, and with a browser session that lacks its CSRF token."""

import re

import pytest
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

pytestmark = pytest.mark.django_db

WRITE_METHODS = {"post", "put", "patch", "delete"}


def write_operations(client: Client) -> list[tuple[str, str]]:
    """(method, concrete path) of every write in the OpenAPI schema, path parameters filled in."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    return [
        (method, re.sub(r"\{[^}]+\}", "1", path))
        for path, operations in paths.items()
        for method in operations
        if method in WRITE_METHODS
    ]


def send(client: Client, method: str, path: str, **headers: str):
    return getattr(client, method)(path, "{}", content_type="application/json", headers=headers)


def test_the_schema_has_the_writes_this_file_tries(client, world):
    operations = write_operations(client)
    assert ("patch", "/api/v1/memberships/1") in operations
    assert ("post", "/api/v1/cooperation/postings") in operations
    assert ("put", "/api/v1/benchmarking/policies/1/1") in operations
    assert len(operations) >= 25


def test_every_anonymous_write_is_401_with_a_bearer_challenge(world):
    # A browser-like client: Django's test client skips CSRF checks unless asked not to.
    client = Client(enforce_csrf_checks=True)
    for method, path in write_operations(client):
        response = send(client, method, path)
        assert response.status_code == 401, (method, path, response.content)
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="atclusters"', (method, path)
        assert response.json() == {"detail": "Unauthorized"}


def test_an_anonymous_visitor_with_a_session_cookie_is_still_asked_to_authenticate(world):
    client = Client(enforce_csrf_checks=True)
    client.get("/en/")  # a visitor's session (language, CSRF cookie) is not a login
    client.cookies["sessionid"] = "not-a-session"
    response = send(client, "patch", "/api/v1/clusters/food")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_token_on_a_write_is_401_naming_the_token_as_invalid(world):
    client = Client(enforce_csrf_checks=True)
    for method, path in write_operations(client):
        response = send(client, method, path, Authorization="Bearer atc_wrong")
        assert response.status_code == 401, (method, path)
        assert response.headers["WWW-Authenticate"] == (
            'Bearer realm="atclusters", error="invalid_token"'
        )


def test_a_wrong_token_on_a_read_gets_the_same_challenge(client, world):
    response = client.get("/api/v1/clusters", headers={"Authorization": "Bearer atc_wrong"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == (
        'Bearer realm="atclusters", error="invalid_token"'
    )


def test_every_logged_in_write_without_the_csrf_token_is_403(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.staff)
    for method, path in write_operations(client):
        response = send(client, method, path)
        assert response.status_code == 403, (method, path, response.content)
        assert response.json() == {"detail": "CSRF check Failed"}
        assert "WWW-Authenticate" not in response.headers


def test_a_logged_in_write_with_the_csrf_token_goes_through(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.staff)
    token = get_token(RequestFactory().get("/"))
    client.cookies["csrftoken"] = token
    response = client.patch(
        "/api/v1/clusters/food",
        {"city": "Lugo"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200
    assert response.json()["city"] == "Lugo"
