import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from atclusters.core.models import Country
from atclusters.core.reference import reference_load
from atclusters.core.services import api_token_create
from tests import webserver
from tests.factories import World, world_build


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        reference_load()


@pytest.fixture
def world(db) -> World:
    # A transactional test (real concurrent transactions) empties every table when it ends,
    # the reference data loaded for the session included; the next one loads it again.
    if not Country.objects.exists():
        reference_load()
    return world_build()


@pytest.fixture
def bearer(world):
    """Authorization headers with a fresh API token of one of the world's users."""

    def for_user(role: str) -> dict[str, str]:
        _token, raw = api_token_create(user=getattr(world, role), name="test")
        return {"Authorization": f"Bearer {raw}"}

    return for_user


@pytest.fixture
def login(client):
    def as_user(user: User | None) -> Client:
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return as_user


@pytest.fixture(autouse=True)
def english_by_default():
    """A request leaves its language active in the thread; each test starts in English."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def feed_server():
    """A real web server on 127.0.0.1 (tests/webserver.py); the fetcher reaches it only when
    127.0.0.1 and its port are allowed."""
    with webserver.running() as server:
        yield server
