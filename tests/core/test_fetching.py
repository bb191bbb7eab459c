"""The fetcher (atclusters/core/fetching.py) against a real local server (tests/webserver.py):
conditional requests, bounds on size and time, redirects checked hop by hop, the connection
made to the address checked (DNS rebinding), the allowed ports, and the pacing of requests to
one host. No internet."""

import socket
import threading
import time

import pytest
from django.utils import translation

from atclusters.core import fetching
from tests import webserver
from tests.webserver import send, served

ALLOWED = ["127.0.0.1"]
RSS = b"<rss version='2.0'><channel><title>News</title></channel></rss>"


@pytest.fixture(autouse=True)
def local_port(settings, feed_server):
    """The local server's port among the allowed ones (80 and 443 by default)."""
    settings.FETCH_ALLOWED_PORTS = [80, 443, feed_server.port]


def test_a_conditional_get_answers_not_modified(feed_server):
    feed_server.routes["/rss"] = served(RSS)
    first = fetching.fetch(
        feed_server.url("/rss"), allowed_hosts=ALLOWED, max_bytes=4096,
        user_agent="atclusters-watch/1.0",
    )  # fmt: skip
    assert first.status == 200 and first.body == RSS
    assert (first.etag, first.last_modified) == ('"v1"', "Mon, 07 Dec 2026 08:00:00 GMT")
    again = fetching.fetch(
        feed_server.url("/rss"), etag=first.etag, last_modified=first.last_modified,
        allowed_hosts=ALLOWED, max_bytes=4096,
    )  # fmt: skip
    assert again.not_modified and again.body == b""
    sent = feed_server.requests[-1]
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Mon, 07 Dec 2026 08:00:00 GMT"
    assert sent["User-Agent"] == "atclusters/1.0"
    assert feed_server.requests[0]["User-Agent"] == "atclusters-watch/1.0"
    assert sent["Accept-Encoding"] == "identity"


def test_the_local_server_is_refused_without_the_allow_list(feed_server):
    feed_server.routes["/rss"] = served(RSS)
    with pytest.raises(fetching.Refused) as refused:
        fetching.fetch(feed_server.url("/rss"), max_bytes=4096)
    assert refused.value.reason == "loopback"
    settings = {"allowed_hosts": ALLOWED, "max_bytes": 4096, "ports": [80, 443]}
    with pytest.raises(fetching.Refused) as other_port:
        fetching.fetch(feed_server.url("/rss"), **settings)  # type: ignore[arg-type]
    assert other_port.value.reason == "port"
    assert feed_server.requests == []


def test_a_redirect_to_a_private_or_metadata_address_is_refused(feed_server):
    feed_server.routes["/to-metadata"] = lambda h: send(
        h, 302, Location="http://169.254.169.254/latest/meta-data/iam/"
    )
    feed_server.routes["/to-ipv6-mapped"] = lambda h: send(
        h, 301, Location="http://[::ffff:10.0.0.1]/admin"
    )
    feed_server.routes["/to-other-port"] = lambda h: send(h, 302, Location="http://127.0.0.1:6379/")
    for path, reason in (
        ("/to-metadata", "metadata"), ("/to-ipv6-mapped", "private"), ("/to-other-port", "port")
    ):  # fmt: skip
        with pytest.raises(fetching.Refused) as refused:
            fetching.fetch(feed_server.url(path), allowed_hosts=ALLOWED, max_bytes=4096)
        assert refused.value.reason == reason
        # What the user is told names no address.
        assert "169.254" not in fetching.message(refused.value)


def test_redirects_are_followed_and_counted(feed_server):
    feed_server.routes["/old"] = lambda h: send(h, 301, Location="/new")
    feed_server.routes["/new"] = served(RSS)
    feed_server.routes["/loop"] = lambda h: send(h, 302, Location="/loop")
    moved = fetching.fetch(feed_server.url("/old"), allowed_hosts=ALLOWED, max_bytes=4096)
    assert moved.status == 200 and moved.url == feed_server.url("/new")
    with pytest.raises(fetching.FetchError) as looped:
        fetching.fetch(
            feed_server.url("/loop"), allowed_hosts=ALLOWED, max_bytes=4096, max_redirects=3
        )
    assert looped.value.reason == "redirects"
    assert len([r for r in feed_server.requests if r["path"] == "/loop"]) == 4


def test_size_and_time_are_bounded(feed_server):
    big = b"<rss>" + b" " * 5000 + b"</rss>"
    feed_server.routes["/big"] = lambda h: send(h, 200, big)

    def endless(handler):  # no Content-Length: the body is counted as it comes
        handler.send_response(200)
        handler.end_headers()
        for _ in range(100):
            handler.wfile.write(b"x" * 1000)

    def slow(handler):
        time.sleep(1.5)
        send(handler, 200, b"<rss/>")

    feed_server.routes["/endless"] = endless
    feed_server.routes["/slow"] = slow
    for path in ("/big", "/endless"):
        with pytest.raises(fetching.FetchError) as large:
            fetching.fetch(feed_server.url(path), allowed_hosts=ALLOWED, max_bytes=4096)
        assert large.value.reason == "too-large"
    with pytest.raises(fetching.FetchError) as late:
        fetching.fetch(feed_server.url("/slow"), allowed_hosts=ALLOWED, max_bytes=4096, timeout=0.3)
    assert late.value.reason == "timeout"


def test_an_error_status_is_a_fetch_error(feed_server):
    feed_server.routes["/gone"] = lambda h: send(h, 410)
    with pytest.raises(fetching.FetchError) as gone:
        fetching.fetch(feed_server.url("/gone"), allowed_hosts=ALLOWED, max_bytes=4096)
    assert gone.value.reason == "http-status"
    assert str(gone.value) == "The server answered HTTP 410."
    with translation.override("es"):
        assert fetching.message(gone.value) == "El servidor respondió HTTP 410."


def test_the_connection_goes_to_the_checked_address_and_names_the_host(feed_server):
    """DNS rebinding: the name is resolved once, to an allowed address, and connected to as
    resolved; a resolver that would answer otherwise the second time is never asked."""
    answers = iter([["127.0.0.1"], ["10.9.9.9"]])
    asked = []

    def rebinding(host, port):
        asked.append(host)
        return next(answers)

    feed_server.routes["/rss"] = served(RSS)
    answer = fetching.fetch(
        f"http://feeds.test:{feed_server.port}/rss", allowed_hosts=["feeds.test"],
        resolve=rebinding, max_bytes=4096,
    )  # fmt: skip
    assert answer.status == 200 and asked == ["feeds.test"]
    assert feed_server.requests[-1]["Host"] == f"feeds.test:{feed_server.port}"


def test_a_public_name_is_connected_to_at_its_checked_address(monkeypatch):
    connected = []

    def create_connection(address, timeout):
        connected.append(address)
        raise ConnectionRefusedError("test: no network")

    monkeypatch.setattr(socket, "create_connection", create_connection)
    calls = []

    def resolve(host, port):
        calls.append(host)
        return ["93.184.215.14"] if len(calls) == 1 else ["127.0.0.1"]

    with pytest.raises(fetching.FetchError) as failed:
        fetching.fetch("http://feeds.example.org/rss", resolve=resolve, max_bytes=4096)
    assert failed.value.reason == "network"
    assert connected == [("93.184.215.14", 80)] and calls == ["feeds.example.org"]


def test_the_pacer_spaces_requests_to_one_host():
    now = [100.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    pacer = fetching.HostPacer(2.0, clock=lambda: now[0], sleep=sleep)
    pacer.wait("https://a.example.org/1")
    pacer.wait("https://b.example.org/1")
    now[0] += 0.5
    pacer.wait("https://a.example.org/2")
    assert slept == [1.5]


def test_a_server_dripping_bytes_is_cut_off_at_the_whole_fetchs_deadline(feed_server):
    def drip(handler):  # a byte every 0.2 s: each read is within its timeout, the whole is not
        handler.send_response(200)
        handler.end_headers()
        for _ in range(40):
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(0.2)

    feed_server.routes["/drip"] = drip
    started = time.monotonic()
    with pytest.raises(fetching.FetchError) as late:
        fetching.fetch(feed_server.url("/drip"), allowed_hosts=ALLOWED, max_bytes=4096, timeout=0.5)
    assert late.value.reason == "timeout"
    assert time.monotonic() - started < 3  # the deadline (3 × timeout), not the 8 s drip


def test_redirects_too_are_held_to_the_whole_fetchs_deadline(feed_server):
    def slow_redirect(handler):  # each hop within the timeout, all of them not
        time.sleep(0.3)
        send(handler, 302, Location="/hop")

    feed_server.routes["/hop"] = slow_redirect
    started = time.monotonic()
    with pytest.raises(fetching.FetchError) as late:
        fetching.fetch(
            feed_server.url("/hop"), allowed_hosts=ALLOWED, max_bytes=4096, timeout=0.4,
            deadline_seconds=1.0, max_redirects=20,
        )  # fmt: skip
    assert late.value.reason == "timeout"
    assert time.monotonic() - started < 2


def test_a_name_server_that_does_not_answer_ends_the_fetch_in_time():
    release = threading.Event()

    def blocking(host: str, port: int) -> list[str]:
        release.wait(30)
        return ["93.184.215.14"]

    started = time.monotonic()
    try:
        with pytest.raises(fetching.Refused) as caught:
            fetching.fetch("https://slow.example.org/feed", max_bytes=4096, timeout=0.3,
                           resolve=blocking)  # fmt: skip
    finally:
        release.set()
    assert caught.value.reason == "resolve-timeout" and time.monotonic() - started < 3
    with translation.override("es"):
        assert (
            fetching.message(caught.value)
            == "No se pudo resolver el nombre slow.example.org a tiempo."
        )


def test_a_post_keeps_its_body_through_307_only_and_credentials_stay_with_their_origin(
    feed_server, settings
):
    feed_server.routes["/search"] = lambda h: send(h, 200, b"found")
    feed_server.routes["/moved"] = lambda h: send(h, 307, Location="/search")
    feed_server.routes["/see-other"] = lambda h: send(h, 303, Location="/search")
    post = {
        "method": "POST", "body": b"q=1", "allowed_hosts": ALLOWED, "max_bytes": 4096,
        "headers": {"Content-Type": "application/x-www-form-urlencoded",
                    "Authorization": "Bearer secret"},
    }  # fmt: skip
    assert fetching.fetch(feed_server.url("/moved"), **post).body == b"found"
    first, second = feed_server.requests
    assert (first["method"], second["method"], second["body"]) == ("POST", "POST", "q=1")
    assert second["Authorization"] == "Bearer secret"  # the same origin
    fetching.fetch(feed_server.url("/see-other"), **post)
    assert (feed_server.requests[-1]["method"], feed_server.requests[-1]["body"]) == ("GET", "")
    assert "Content-Type" not in feed_server.requests[-1]
    # Another origin (another port here) never receives the Authorization header.
    with webserver.running() as other:
        settings.FETCH_ALLOWED_PORTS = [feed_server.port, other.port]
        other.routes["/search"] = lambda h: send(h, 200, b"elsewhere")
        feed_server.routes["/away"] = lambda h: send(h, 307, Location=other.url("/search"))
        assert fetching.fetch(feed_server.url("/away"), **post).body == b"elsewhere"
        assert other.requests[0]["body"] == "q=1" and "Authorization" not in other.requests[0]
