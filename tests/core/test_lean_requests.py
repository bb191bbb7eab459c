"""What keeps requests cheap under load (issue 26): API tokens touched at most once a minute,
compressed answers, and web processes that import everything and freeze start-up's objects
before serving."""

import gc
import gzip
import importlib
import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from atclusters.core.models import ApiToken
from atclusters.core.services import api_token_authenticate, api_token_create
from tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db


def test_a_token_is_touched_at_most_once_a_minute(world, django_assert_num_queries):
    token, raw = api_token_create(user=world.staff, name="reports")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert api_token_authenticate(raw=raw) == world.staff
        first = ApiToken.objects.get(pk=token.pk).last_used_at
        assert first == start
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        with django_assert_num_queries(1):  # the lookup only: no write
            assert api_token_authenticate(raw=raw) == world.staff
        assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        api_token_authenticate(raw=raw)
        assert ApiToken.objects.get(pk=token.pk).last_used_at == start + timedelta(seconds=61)


def test_api_lists_and_pages_are_compressed_for_clients_that_accept_it(client, world):
    for index in range(30):
        ClusterFactory(slug=f"cluster-{index}", name=f"Cluster number {index}")
    listed = client.get("/api/v1/clusters", headers={"Accept-Encoding": "gzip"})
    assert listed.status_code == 200 and listed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in listed["Vary"]
    clusters = json.loads(gzip.decompress(listed.content))
    assert len(clusters["items"] if isinstance(clusters, dict) else clusters) >= 30
    page = client.get("/en/clusters/", headers={"Accept-Encoding": "gzip"})
    assert page["Content-Encoding"] == "gzip"
    assert b"Cluster number 1" in gzip.decompress(page.content)
    plain = client.get("/api/v1/clusters")
    assert not plain.has_header("Content-Encoding")


def test_the_web_process_is_warmed_up_and_frozen_when_it_loads():
    import atclusters.wsgi

    gc.unfreeze()
    importlib.reload(atclusters.wsgi)
    try:
        assert gc.get_freeze_count() > 50_000  # Django, every view and API module
    finally:
        gc.unfreeze()
