"""A local feed server for the fetcher's tests: real HTTP on 127.0.0.1, no internet. Each test
sets the answers by path (`server.routes[path] = handler`) and reads the requests it got."""

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FEEDS = Path(__file__).parent / "feeds"

type Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class FeedServer:
    port: int
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[dict[str, str]] = field(default_factory=list)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"", **headers: str):
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def feed_file(name: str, etag: str = '"v1"', modified: str = "Mon, 07 Dec 2026 08:00:00 GMT"):
    """Serves a recorded feed with validators, answering 304 to a request that has them."""
    body = (FEEDS / name).read_bytes()

    def handle(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == etag:
            send(handler, 304, ETag=etag)
        else:
            send(handler, 200, body, ETag=etag, Last_Modified=modified,
                 Content_Type="application/rss+xml")  # fmt: skip

    return handle


@pytest.fixture
def feed_server():
    server_box: dict[str, FeedServer] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            state = server_box["server"]
            state.requests.append({"path": self.path, **dict(self.headers.items())})
            route = state.routes.get(self.path.split("?")[0])
            if route is None:
                send(self, 404)
            else:
                route(self)

        def log_message(self, *args):  # quiet
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server_box["server"] = FeedServer(port=httpd.server_address[1])
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield server_box["server"]
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def local_allowed(settings):
    """The allow-list a deployment's tests use to reach their own local server."""
    settings.WATCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.WATCH_HOST_INTERVAL_SECONDS = 0
    return settings
