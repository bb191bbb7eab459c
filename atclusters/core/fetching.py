"""Reading a document from an address a user gave, without letting that address reach inside
the platform's network (server-side request forgery, OWASP SSRF Prevention Cheat Sheet): only
http and https on their standard ports, no user name in the address, the host's every address
public (`ipaddress.is_global`: no loopback, private, link-local, cloud metadata 169.254.169.254,
…), the connection made to the address that was checked (so a second DNS answer cannot swap
it), no redirect followed, no proxy, a timeout and a size limit. HTTPS certificates are checked
against the host name as usual."""

import http.client
import ipaddress
import socket
import time
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

PORTS = {"http": 80, "https": 443}


class FetchError(Exception):
    """The address is refused, or the document could not be read; the message says which."""


NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def _judged(address: ipaddress.IPv4Address | ipaddress.IPv6Address):
    """The address a connection really reaches: an IPv4 address carried inside an IPv6 one
    (IPv4-mapped, 6to4, Teredo, NAT64, IPv4-compatible) is judged as that IPv4 address."""
    if isinstance(address, ipaddress.IPv4Address):
        return address
    if address.ipv4_mapped or address.sixtofour:
        return address.ipv4_mapped or address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in NAT64 or (int(address) >> 32 == 0 and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def checked_address(host: str, port: int) -> tuple[int, str]:
    """A public address of the host (family, IP); refuses the host when any of its addresses
    is not public."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchError(_("The host %(host)s is unknown.") % {"host": host}) from error
    if not answers:
        raise FetchError(_("The host %(host)s is unknown.") % {"host": host})
    for _family, _type, _proto, _name, sockaddr in answers:
        address = _judged(ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0]))
        if not address.is_global or address.is_multicast:
            raise FetchError(
                _("The address %(host)s is not on the public internet.") % {"host": host}
            )
    family, _type, _proto, _name, sockaddr = answers[0]
    return family, str(sockaddr[0])


def check_url(url: str) -> tuple[str, str, int, str]:
    """The scheme, host, port and path with query of an address the rules allow."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise FetchError(_("The address is not valid.")) from error
    if parts.scheme not in PORTS or not parts.hostname:
        raise FetchError(_("Only http and https addresses are read."))
    if parts.username or parts.password:
        raise FetchError(_("An address with a user name or password is not read."))
    if port not in (None, PORTS[parts.scheme]):
        raise FetchError(_("Only the standard ports (80, 443) are read."))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, PORTS[parts.scheme], path


def _pinned(host: str):
    """A `create_connection` that connects to the checked address of `host` only."""

    def create_connection(address, timeout=None, source_address=None, **options):
        _family, ip = checked_address(host, address[1])
        return socket.create_connection((ip, address[1]), timeout, source_address, **options)

    return create_connection


def _read_within(
    connection: http.client.HTTPConnection, response: http.client.HTTPResponse, limit: int,
    deadline: float,
) -> bytes:  # fmt: skip
    """At most `limit` bytes of the body, read before `deadline`: a server that drips a byte
    at a time just within each read's timeout is cut off all the same."""
    body = bytearray()
    while len(body) < limit:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the server is too slow")
        if connection.sock is not None:
            connection.sock.settimeout(left)
        chunk = response.read1(min(65536, limit - len(body)))
        if not chunk:
            break
        body += chunk
    return bytes(body)


def fetch(url: str, *, max_bytes: int, timeout: float = 20.0, accept: str = "*/*") -> bytes:
    """The body of a GET of `url` (status 200), at most `max_bytes`; raises FetchError."""
    scheme, host, port, path = check_url(url)
    checked_address(host, port)
    connection_class = (
        http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(host, port, timeout=timeout)
    # The connection goes to the address checked here, not to a second DNS answer.
    connection._create_connection = _pinned(host)  # type: ignore[attr-defined]
    try:
        connection.request("GET", path, headers={"Accept": accept, "User-Agent": "atclusters"})
        response = connection.getresponse()
        if response.status != 200:
            raise FetchError(
                _("The server answered %(status)s (redirects are not followed).")
                % {"status": response.status}
            )
        body = _read_within(connection, response, max_bytes + 1, time.monotonic() + timeout)
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(
            _("The address could not be read: %(error)s") % {"error": error}
        ) from error
    finally:
        connection.close()
    if len(body) > max_bytes:
        raise FetchError(_("The document is larger than %(limit)s bytes.") % {"limit": max_bytes})
    return body
