"""A database blip never shows readers an error page: a safe request is run once more on a new
connection; when the database stays away, or for a write, the answer is 503 with Retry-After —
JSON on the API, a page drawn without the database otherwise (docs/operations.md, "Health")."""

from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db

LOST = OperationalError("server closed the connection unexpectedly")


def test_a_read_that_lost_the_database_is_answered_from_a_second_try(client):
    with mock.patch("atclusters.core.domains.search", side_effect=[LOST, []]) as search:
        answer = client.get("/en/search/", {"q": "food"})
    assert answer.status_code == 200
    assert search.call_count == 2


def test_a_database_that_stays_away_gets_a_503_page_that_needs_no_database(client):
    with mock.patch("atclusters.core.domains.search", side_effect=LOST) as search:
        answer = client.get("/es/search/", {"q": "food"})
    assert (answer.status_code, answer["Retry-After"]) == (503, "5")
    page = answer.content.decode()
    assert '<html lang="es">' in page and "No disponible por un momento" in page
    assert search.call_count == 2


def test_the_api_answers_503_in_json(client):
    with mock.patch("atclusters.services.selectors.catalogue", side_effect=LOST):
        answer = client.get("/api/v1/services/catalogue")
    assert answer.status_code == 503
    assert answer.json() == {
        "detail": "The platform cannot reach its database for a moment. Try again shortly."
    }


def test_a_write_is_never_run_twice(client, world):
    client.force_login(world.staff)
    with mock.patch("atclusters.core.views.services.api_token_create", side_effect=LOST) as made:
        answer = client.post("/en/accounts/tokens/", {"name": "ci"})
    assert answer.status_code == 503
    assert made.call_count == 1


def test_other_errors_are_left_to_the_error_pages(client):
    with (
        mock.patch("atclusters.core.domains.search", side_effect=ValueError("bug")),
        pytest.raises(ValueError),
    ):
        client.get("/en/search/", {"q": "food"})
