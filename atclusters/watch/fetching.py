"""A well-behaved, SSRF-safe HTTP GET for feeds (docs/watch.md, "Fetching").

- Every URL, the first and each redirect's, passes `safeurl.check`, and the connection is made
  to the address that check resolved (the request still names the host, and TLS verifies the
  host's certificate), so a DNS answer that changes between check and connection (DNS rebinding)
  is never used.
- Conditional: the ETag and Last-Modified of the last fetch are sent back; 304 means nothing new.
- Bounded: a timeout on each network operation and on the whole fetch, at most `max_bytes` read
  (the body is asked for uncompressed, so what is read is what is kept), at most
  `max_redirects` redirects.
- Polite: `HostPacer` spaces the requests to one host.
No Django here."""

import http.client
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from atclusters.watch import safeurl

USER_AGENT = "atclusters-watch/1.0 (technology watch feed reader)"
REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """The fetch failed; `reason` is a stable word for programs."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass
class Response:
    status: int
    url: str  # after redirects
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str:
        return self.headers.get("etag", "")[:200]

    @property
    def last_modified(self) -> str:
        return self.headers.get("last-modified", "")[:100]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address, whatever the host name resolves to now."""

    def __init__(self, target: safeurl.Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.addresses[0]

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: safeurl.Target, timeout: float, context: ssl.SSLContext):
        super().__init__(target.host, target.port, timeout=timeout, context=context)
        self._address = target.addresses[0]
        self._context = context

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name, not the address connected to.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    timeout: float = 10.0,
    max_bytes: int = 5_000_000,
    max_redirects: int = 5,
    allowed_hosts: Iterable[str] = (),
    resolve: safeurl.Resolver = safeurl.system_resolve,
    ssl_context: ssl.SSLContext | None = None,
) -> Response:
    """GETs the URL; raises safeurl.Refused (a URL, first or redirected to, not allowed) or
    FetchError (network, HTTP status >= 400, too large, too slow, too many redirects)."""
    allowed = list(allowed_hosts)
    deadline = time.monotonic() + timeout * 3
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "application/atom+xml, application/rss+xml, application/feed+json, "
        "application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
        "Accept-Encoding": "identity",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    for _hop in range(max_redirects + 1):
        target = safeurl.check(url, allowed_hosts=allowed, resolve=resolve)
        if target.scheme == "https" and ssl_context is None:
            ssl_context = ssl.create_default_context()  # once, and only for https
        connection: http.client.HTTPConnection = (
            _PinnedHTTPSConnection(target, timeout, ssl_context)  # type: ignore[arg-type]
            if target.scheme == "https"
            else _PinnedHTTPConnection(target, timeout)
        )
        try:
            connection.request("GET", _request_target(target.url), headers=headers)
            answer = connection.getresponse()
            found = {key.lower(): value for key, value in answer.getheaders()}
            if answer.status in REDIRECTS and found.get("location"):
                url = urljoin(target.url, found["location"])
                continue
            if answer.status == 304:
                return Response(status=304, url=target.url, headers=found)
            if answer.status >= 400:
                raise FetchError("http-status", f"the server answered HTTP {answer.status}")
            length = found.get("content-length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise FetchError("too-large", f"the response is larger than {max_bytes} bytes")
            body = bytearray()
            while True:
                # Each read may wait only until the whole fetch's deadline: a server dripping
                # a byte at a time just within the per-read timeout is cut off all the same.
                left = deadline - time.monotonic()
                if left <= 0:
                    raise FetchError("timeout", "the server is too slow")
                if connection.sock is not None:
                    connection.sock.settimeout(min(timeout, left))
                chunk = answer.read1(65536)
                if not chunk:
                    break
                body += chunk
                if len(body) > max_bytes:
                    raise FetchError("too-large", f"the response is larger than {max_bytes} bytes")
            return Response(status=answer.status, url=target.url, body=bytes(body), headers=found)
        except TimeoutError as error:
            raise FetchError("timeout", "the server did not answer in time") from error
        except (OSError, http.client.HTTPException) as error:
            raise FetchError("network", f"could not fetch: {error}") from error
        finally:
            connection.close()
    raise FetchError("redirects", f"more than {max_redirects} redirects")


class HostPacer:
    """Spaces the requests to one host by `interval` seconds (Miniflux and FreshRSS do the
    same), so a run of many sources on one site does not hammer it."""

    def __init__(
        self,
        interval: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self.last: dict[str, float] = {}

    def wait(self, url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        if host in self.last:
            pause = self.last[host] + self.interval - self.clock()
            if pause > 0:
                self.sleep(pause)
        self.last[host] = self.clock()
