"""The anonymous readers' page cache: kept pages answer without the views, the next audited
write anywhere drops them, nobody logged in is ever answered from it nor stored into it, and
every reader gets a CSRF token of their own."""

import re
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from atclusters.registry import services
from tests.core.test_database_unavailable import LOST

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    caches["default"].clear()
    yield
    caches["default"].clear()


def test_a_kept_page_answers_in_one_query_until_an_audited_write(
    client, world, django_assert_max_num_queries
):
    first = client.get("/en/clusters/food/")
    assert first.status_code == 200 and "Food Cluster" in first.text
    with django_assert_max_num_queries(1):  # the newest audit entry, nothing else
        again = client.get("/en/clusters/food/")
    assert again.status_code == 200 and "Food Cluster" in again.text
    services.cluster_update(actor=world.staff, cluster=world.cluster, data={"name": "Seafood"})
    renamed = client.get("/en/clusters/food/")
    assert "Seafood" in renamed.text and "Food Cluster</h1>" not in renamed.text


def test_a_kept_page_lasts_at_most_page_cache_seconds(client, world):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get("/en/clusters/")
    world.cluster.__class__.objects.filter(pk=world.cluster.pk).update(name="Unaudited")
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        assert "Unaudited" not in client.get("/en/clusters/").text  # kept
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert "Unaudited" in client.get("/en/clusters/").text


def test_logged_in_readers_are_never_answered_from_nor_stored_into_the_cache(client, world):
    assert "Log out" not in client.get("/en/clusters/").text  # now kept
    staff = Client()
    staff.force_login(world.staff)
    assert "Log out" in staff.get("/en/clusters/").text  # not the kept page
    caches["default"].clear()
    assert "Log out" in staff.get("/en/clusters/").text
    assert "Log out" not in Client().get("/en/clusters/").text  # the staff's page was not kept


def test_each_reader_gets_a_valid_token_of_their_own(world):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    stored = first.get("/en/clusters/").text
    kept = second.get("/en/clusters/").text
    token = TOKEN.search(kept).group(1)
    assert token != TOKEN.search(stored).group(1)
    assert "\x00" not in kept
    switched = second.post("/en/i18n/setlang/", {"language": "pt", "next": "/en/clusters/"},
                           HTTP_X_CSRFTOKEN=token)  # fmt: skip
    assert switched.status_code == 302 and switched["Location"].startswith("/pt/")


def test_a_fragment_and_its_page_are_kept_apart(client, world):
    page = client.get("/en/clusters/", {"q": "food"})
    fragment = client.get("/en/clusters/", {"q": "food"}, headers={"HX-Request": "true"})
    assert "<html" in page.text and "<html" not in fragment.text
    assert "<html" in client.get("/en/clusters/", {"q": "food"}).text
    assert (
        "<html"
        not in client.get("/en/clusters/", {"q": "food"}, headers={"HX-Request": "true"}).text
    )


def test_a_lost_database_is_left_to_the_retry_and_the_503_page(client, world):
    with mock.patch(
        "atclusters.core.middleware.AuditEntry.objects.aggregate", side_effect=LOST
    ) as newest:
        answer = client.get("/en/clusters/")
    assert answer.status_code == 200 and newest.call_count == 1  # served uncached


def test_a_kept_page_answers_not_modified_to_the_reader_who_has_it(world):
    reader = Client()
    reader.get("/en/clusters/food/")  # the reader's CSRF cookie is set, the page kept
    page = reader.get("/en/clusters/food/")
    tag = page["ETag"]
    assert page.status_code == 200 and page["Cache-Control"] == "no-cache"
    again = reader.get("/en/clusters/food/", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == tag
    gzipped = reader.get(
        "/en/clusters/food/", headers={"If-None-Match": f"W/{tag}", "Accept-Encoding": "gzip"}
    )
    assert gzipped.status_code == 304
    # Another reader's page holds another token: the same tag does not fit it.
    other = Client()
    other.get("/en/clusters/food/")
    assert other.get("/en/clusters/food/", headers={"If-None-Match": tag}).status_code == 200
    services.cluster_update(actor=world.staff, cluster=world.cluster, data={"name": "Seafood"})
    renamed = reader.get("/en/clusters/food/", headers={"If-None-Match": tag})
    assert renamed.status_code == 200 and "Seafood" in renamed.text and renamed["ETag"] != tag


def test_an_api_read_answers_not_modified_until_the_data_changes(client, world):
    listing = client.get("/api/v1/clusters")
    assert listing.status_code == 200 and listing.has_header("ETag")
    tag = listing["ETag"]
    assert client.get("/api/v1/clusters", headers={"If-None-Match": tag}).status_code == 304
    services.cluster_update(actor=world.staff, cluster=world.cluster, data={"name": "Seafood"})
    changed = client.get("/api/v1/clusters", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and "Seafood" in changed.text
