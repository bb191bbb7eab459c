"""Recorded feeds served by the local web server (`feed_server`, tests/conftest.py), and the
settings with which the watch may fetch from it."""

from pathlib import Path

import pytest

from tests.webserver import served

FEEDS = Path(__file__).parent / "feeds"


def feed_file(name: str, etag: str = '"v1"', modified: str = "Mon, 07 Dec 2026 08:00:00 GMT"):
    """Serves a recorded feed with validators, answering 304 to a request that has them."""
    return served((FEEDS / name).read_bytes(), etag, modified)


@pytest.fixture
def local_allowed(settings, feed_server):
    """The allow-list and port a deployment's tests use to reach their own local server."""
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.FETCH_ALLOWED_PORTS = [80, 443, feed_server.port]
    settings.WATCH_HOST_INTERVAL_SECONDS = 0
    return settings
