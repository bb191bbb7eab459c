"""A local web server for the fetcher's tests: real HTTP on 127.0.0.1, no internet. Each test
sets the answers by path (`server.routes[path] = handler`) and reads the requests it got
(the `feed_server` fixture, tests/conftest.py)."""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

type Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class WebServer:
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


def served(
    body: bytes, etag: str = '"v1"', modified: str = "Mon, 07 Dec 2026 08:00:00 GMT",
    content_type: str = "application/rss+xml",
) -> Handler:  # fmt: skip
    """Serves a document with validators, answering 304 to a request that has them."""

    def handle(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == etag:
            send(handler, 304, ETag=etag)
        else:
            send(handler, 200, body, ETag=etag, Last_Modified=modified,
                 Content_Type=content_type)  # fmt: skip

    return handle


@contextmanager
def running() -> Iterator[WebServer]:
    box: dict[str, WebServer] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            state = box["server"]
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            state.requests.append(
                {"method": self.command, "path": self.path, "body": body,
                 **dict(self.headers.items())}
            )  # fmt: skip
            route = state.routes.get(self.path.split("?")[0])
            if route is None:
                send(self, 404)
            else:
                route(self)

        do_POST = do_GET

        def log_message(self, *args):  # quiet
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box["server"] = WebServer(port=httpd.server_address[1])
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield box["server"]
    finally:
        httpd.shutdown()
        httpd.server_close()
