"""Requests Django refuses before any view answer in the API's own format under /api/."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_host_not_allowed_is_refused_in_json_under_the_api(client, world):
    response = client.patch("/api/v1/clusters/food", "{}", content_type="application/json",
                            headers={"host": "8"})  # fmt: skip
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Bad request."}


def test_a_malformed_upload_is_refused_in_json_under_the_api(client, world, bearer):
    """`make fuzz` found an upload Django's multipart parser refuses answered with its HTML
    page; one without a boundary is refused the same way."""
    response = client.post(
        "/api/v1/benchmarking/frameworks",
        b"--edge\r\n\r\n--edge--\r\n",
        content_type="multipart/form-data",
        headers=bearer("admin"),
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Bad request."}


def test_pages_keep_their_html_answer(client, world):
    response = client.get("/en/", headers={"host": "8"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_favicon_and_web_app_manifest(client):
    assert client.get("/favicon.ico")["Location"] == "/static/atclusters/favicon.ico"
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    assert [icon["sizes"] for icon in manifest.json()["icons"]] == ["any", "192x192", "512x512"]
    assert '<link rel="manifest" href="/manifest.webmanifest">' in client.get("/en/").text
