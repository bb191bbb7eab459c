"""The one way the server reads an address a user gave (watch sources, call feeds): an SSRF-safe,
bounded HTTP GET, or POST for the services documented to be asked so (docs/security.md,
"Fetching for users"; OWASP SSRF Prevention Cheat Sheet).

- Every address, the first and each redirect's, passes `urlpolicy.check` (http/https, allowed
  ports, every address of the host public), and the connection is made to the address that
  check resolved (the request still names the host, and TLS verifies the host's certificate),
  so a DNS answer that changes between check and connection (DNS rebinding) is never used.
  No proxy is used (http.client reads no proxy settings).
- Bounded: a timeout on each network operation and a deadline on the whole fetch (a server
  dripping a byte at a time is cut off all the same), at most `max_bytes` read, streamed (the
  body is asked for uncompressed, so what is read is what is kept), at most `max_redirects`.
- Conditional, for whoever keeps the validators: the ETag and Last-Modified of the last fetch
  are sent back; 304 means nothing new.
- Polite: `HostPacer` spaces the requests to one host.
- A POST keeps its method and body only through 307 and 308 (RFC 9110, 15.4.8 and 15.4.9);
  301, 302 and 303 make it a GET without body, as browsers do. An `Authorization` header is
  sent to the first address's origin only: a redirect to another scheme, host or port drops
  it, so a service's credentials never reach a host it redirects to.

The ports come from `FETCH_ALLOWED_PORTS` (80 and 443 by default), the hosts let through the
address rules from `FETCH_ALLOWED_HOSTS` (none by default). `check_saved` is the check a
service runs when a user saves an address (no DNS), `message` a refusal's text in the active
language: it names no address the host resolved to."""

import http.client
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

from atclusters.core import urlpolicy
from atclusters.core.urlpolicy import Problem, Refused, Target

__all__ = [
    "FetchError",
    "HostPacer",
    "Problem",
    "Refused",
    "Response",
    "check",
    "check_saved",
    "fetch",
    "message",
]

USER_AGENT = "atclusters/1.0"
REDIRECTS = {301, 302, 303, 307, 308}
KEEP_METHOD = {307, 308}


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port


class FetchError(Problem):
    """The address was allowed but could not be read; `reason` is a stable word."""

    templates = {
        "http-status": gettext_noop("The server answered HTTP %(status)s."),
        "too-large": gettext_noop("The document is larger than %(limit)s bytes."),
        "timeout": gettext_noop("The server did not answer in time."),
        "network": gettext_noop("The address could not be read: %(error)s"),
        "redirects": gettext_noop("More than %(count)s redirects."),
    }


def message(problem: Problem) -> str:
    """The problem's message in the active language (no address the host resolved to)."""
    return gettext(problem.template) % problem.params


def _ports(ports: Iterable[int] | None) -> list[int]:
    return list(settings.FETCH_ALLOWED_PORTS if ports is None else ports)


def _hosts(hosts: Iterable[str] | None) -> list[str]:
    return list(settings.FETCH_ALLOWED_HOSTS if hosts is None else hosts)


def check_saved(
    url: str, *, allowed_hosts: Iterable[str] | None = None, ports: Iterable[int] | None = None
) -> Target:
    """The check when a user saves an address: the address alone, no DNS (urlpolicy)."""
    return urlpolicy.check_saved(url, ports=_ports(ports), allowed_hosts=_hosts(allowed_hosts))


def check(
    url: str, *, allowed_hosts: Iterable[str] | None = None, ports: Iterable[int] | None = None,
    resolve: urlpolicy.Resolver = urlpolicy.system_resolve,
) -> Target:  # fmt: skip
    """The check before a connection, with the host's addresses resolved (urlpolicy)."""
    return urlpolicy.check(
        url, ports=_ports(ports), allowed_hosts=_hosts(allowed_hosts), resolve=resolve
    )


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

    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.addresses[0]

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float, context: ssl.SSLContext):
        super().__init__(target.host, target.port, timeout=timeout, context=context)
        self._address = target.addresses[0]
        self._context = context

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name, not the address connected to.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _body(
    connection: http.client.HTTPConnection, answer: http.client.HTTPResponse, *,
    timeout: float, deadline: float, max_bytes: int,
) -> bytes:  # fmt: skip
    length = answer.getheader("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise FetchError("too-large", limit=max_bytes)
    body = bytearray()
    while True:
        # Each read may wait only until the whole fetch's deadline: a server dripping a byte
        # at a time just within the per-read timeout is cut off all the same.
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchError("timeout", "the server is too slow")
        if connection.sock is not None:
            connection.sock.settimeout(min(timeout, left))
        chunk = answer.read1(65536)
        if not chunk:
            return bytes(body)
        body += chunk
        if len(body) > max_bytes:
            raise FetchError("too-large", limit=max_bytes)


def fetch(
    url: str,
    *,
    max_bytes: int,
    timeout: float = 10.0,
    deadline_seconds: float | None = None,
    max_redirects: int = 5,
    etag: str = "",
    last_modified: str = "",
    accept: str = "*/*",
    user_agent: str = USER_AGENT,
    method: str = "GET",
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    allowed_hosts: Iterable[str] | None = None,
    ports: Iterable[int] | None = None,
    resolve: urlpolicy.Resolver = urlpolicy.system_resolve,
    ssl_context: ssl.SSLContext | None = None,
) -> Response:
    """GETs (or POSTs `body` to) the address, with the extra `headers`; raises Refused (an address, first or redirected to, not allowed) or
    FetchError (network, an HTTP status other than 2xx and 304, too large, too slow, too many
    redirects). The whole fetch ends by `deadline_seconds` (three times `timeout` unless
    given)."""
    allowed, allowed_ports = _hosts(allowed_hosts), _ports(ports)
    deadline = time.monotonic() + (timeout * 3 if deadline_seconds is None else deadline_seconds)
    headers = {
        "User-Agent": user_agent, "Accept": accept, "Accept-Encoding": "identity",
        **(headers or {}),
    }  # fmt: skip
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    origin = _origin(url)
    for _hop in range(max_redirects + 1):
        if _origin(url) != origin:
            headers.pop("Authorization", None)
        # Each hop's lookup, connection and headers wait at most until the whole fetch's
        # deadline too.
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchError("timeout", "the deadline passed between redirects")
        target = urlpolicy.check(
            url, ports=allowed_ports, allowed_hosts=allowed, resolve=resolve,
            resolve_timeout=min(timeout, left, urlpolicy.RESOLVE_TIMEOUT),
        )  # fmt: skip
        if target.scheme == "https" and ssl_context is None:
            ssl_context = ssl.create_default_context()  # once, and only for https
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchError("timeout", "the deadline passed while looking up the host")
        connection: http.client.HTTPConnection = (
            _PinnedHTTPSConnection(target, min(timeout, left), ssl_context)  # type: ignore[arg-type]
            if target.scheme == "https"
            else _PinnedHTTPConnection(target, min(timeout, left))
        )
        try:
            connection.request(method, target.path, body=body or None, headers=headers)
            answer = connection.getresponse()
            found = {key.lower(): value for key, value in answer.getheaders()}
            if answer.status in REDIRECTS and found.get("location"):
                url = urljoin(target.url, found["location"])
                if answer.status not in KEEP_METHOD:
                    method, body = "GET", b""
                    headers.pop("Content-Type", None)
                continue
            if answer.status == 304:
                return Response(status=304, url=target.url, headers=found)
            if not 200 <= answer.status < 300:
                raise FetchError("http-status", status=answer.status)
            content = _body(
                connection, answer, timeout=timeout, deadline=deadline, max_bytes=max_bytes
            )
            return Response(status=answer.status, url=target.url, body=content, headers=found)
        except TimeoutError as error:
            raise FetchError("timeout", str(error)) from error
        except (OSError, http.client.HTTPException) as error:
            raise FetchError("network", error=error) from error
        finally:
            connection.close()
    raise FetchError("redirects", count=max_redirects)


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
