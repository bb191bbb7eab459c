"""Which addresses the server may fetch for a user (server-side request forgery: OWASP SSRF
Prevention Cheat Sheet). Two checks, one policy (docs/security.md, "Fetching for users"):

- `check_saved(url)`, when a user saves an address (a watch source, a call feed): the address
  alone, no DNS — http or https, a host, no user name or password, a port of the allowed ones
  (80 and 443 unless the deployment says otherwise), a host name and not an IP address, not a
  name that means this machine (`localhost`, `*.localhost`: RFC 6761) or a cloud metadata
  service. No lookup, so saving tells nothing about the names the server's network resolves.
- `check(url)`, before every connection (the first and each redirect's): the same address rules
  but literal addresses, then the host resolved once (within `RESOLVE_TIMEOUT`) and refused when ANY of its addresses is
  not a public unicast address: private (RFC 1918, fc00::/7), shared (100.64.0.0/10, Alibaba's
  metadata), loopback, link-local (169.254.0.0/16 and fe80::/10, where the cloud metadata
  services live), multicast, unspecified, reserved or otherwise not global. IPv4 carried in IPv6
  (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, 6to4 2002::/16, NAT64 64:ff9b::/96,
  Teredo) is judged by the IPv4 address inside; decimal, octal and short forms (2130706433,
  0177.0.0.1, 127.1) by what they resolve to. The fetcher (core/fetching.py) then connects to
  the checked address itself, so a second DNS answer (DNS rebinding) is never used.

`allowed_hosts` (a deployment's own intranet feeds, tests' local servers) lets named hosts or
addresses through the address rules; the scheme, credentials and port rules still hold.

A refusal's message (`str()`) names no address the host resolved to: the user learns that the
address is not allowed, not what lies inside the network; `detail` says more, for the operator.
Pure Python (no Django): the messages are marked for translation here and translated by
core.fetching.message."""

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

type Address = ipaddress.IPv4Address | ipaddress.IPv6Address
type Resolver = Callable[[str, int], list[str]]

SCHEMES = {"http": 80, "https": 443}
DEFAULT_PORTS = (80, 443)
# Names of this machine (RFC 6761, 6.3) and of cloud metadata services, refused by name.
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
METADATA_HOSTS = frozenset(
    {
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "instance-data",
        "instance-data.ec2.internal",
    }
)
# Addresses of cloud metadata services (AWS, GCP, Azure, ECS task roles, Alibaba), named as such.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(text)
    for text in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
)
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# A lookup waits at most this long (seconds): getaddrinfo has no timeout of its own, and a slow
# or silent name server (resolv.conf's attempts × servers × timeout) would hold the worker.
RESOLVE_TIMEOUT = 5.0
# Lookups in flight in this process. One abandoned at its timeout keeps its slot until the
# resolver returns, so a name server that never answers cannot pile up threads without bound.
MAX_LOOKUPS = 16
_LOOKUPS = threading.BoundedSemaphore(MAX_LOOKUPS)


def gettext_noop(message: str) -> str:
    """Marks a message for makemessages; core.fetching.message translates it when shown."""
    return message


NOT_ALLOWED = gettext_noop(
    "This address is not allowed: the server reads only the public internet."
)
MESSAGES = {
    "malformed": gettext_noop("The address is not valid."),
    "scheme": gettext_noop("Only http and https addresses are read."),
    "credentials": gettext_noop("An address with a user name or password is not read."),
    "port": gettext_noop("Only addresses on the ports %(ports)s are read."),
    "literal": gettext_noop("Give the host's name, not an IP address."),
    "unresolved": gettext_noop("The host %(host)s is unknown."),
    "resolve-timeout": gettext_noop("The name %(host)s could not be looked up in time."),
    # What the host is or resolves to: one message for all, naming no address.
    "metadata": NOT_ALLOWED,
    "loopback": NOT_ALLOWED,
    "private": NOT_ALLOWED,
    "link-local": NOT_ALLOWED,
    "multicast": NOT_ALLOWED,
    "unspecified": NOT_ALLOWED,
    "reserved": NOT_ALLOWED,
}


class Problem(Exception):
    """Why an address was not read. `reason` is a stable word for programs; `str()` the user's
    message in English (core.fetching.message translates it); `detail` the operator's."""

    templates: dict[str, str] = MESSAGES

    def __init__(self, reason: str, detail: str = "", **params: object):
        self.reason = reason
        self.params = params
        self.template = self.templates[reason]
        self.detail = detail or self.template % params
        super().__init__(self.template % params)


class Refused(Problem):
    """The address may not be read; `addresses` are what the host resolved to (for the
    operator only: never shown to the user who gave the address)."""

    def __init__(self, reason: str, detail: str = "", addresses: Iterable[str] = (), **params):
        super().__init__(reason, detail, **params)
        self.addresses = list(addresses)


@dataclass(frozen=True)
class Target:
    """An address that passed: connect to `addresses[0]` (empty after `check_saved`), name
    `host` in the request, ask for `path` (with the query)."""

    url: str
    scheme: str
    host: str
    port: int
    path: str
    addresses: list[str] = field(default_factory=list)


def system_resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def resolve_within(resolve: Resolver, host: str, port: int, seconds: float) -> list[str]:
    """`resolve(host, port)`, or TimeoutError after `seconds`. The lookup runs in a daemon
    thread (the only way to stop waiting for getaddrinfo), left to finish on its own."""
    started = time.monotonic()
    if not _LOOKUPS.acquire(timeout=max(seconds, 0)):
        raise TimeoutError(f"{host}: too many lookups waiting for the name server")
    answer: dict[str, object] = {}

    def lookup() -> None:
        try:
            answer["addresses"] = resolve(host, port)
        except BaseException as error:  # handed to the caller, whatever it is
            answer["error"] = error
        finally:
            _LOOKUPS.release()

    thread = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
    thread.start()
    thread.join(max(seconds - (time.monotonic() - started), 0))
    if thread.is_alive():
        raise TimeoutError(f"{host} did not resolve within {seconds:g} s")
    if "error" in answer:
        raise answer["error"]  # type: ignore[misc]
    return answer["addresses"]  # type: ignore[return-value]


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in NAT64 or (int(address) >> 32 == 0 and int(address) > 1):
        # NAT64, and IPv4-compatible ::a.b.c.d (but ::1 and ::, which are IPv6's own)
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_refusal(text: str) -> str | None:
    """Why the server may not connect to this address, or None when it is public."""
    address: Address = ipaddress.ip_address(text.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address) and (inner := _embedded_ipv4(address)):
        return address_refusal(str(inner))
    if address in METADATA_ADDRESSES:
        return "metadata"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.is_unspecified:
        return "unspecified"
    if address.is_private or not address.is_global:
        return "private"
    if address.is_reserved:
        return "reserved"
    return None


def is_literal(host: str) -> bool:
    """Whether the host is an IP address, in any form a resolver reads as one (127.1,
    2130706433, 0x7f.0.0.1, 0177.0.0.1, an IPv6 address)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return True
    try:
        socket.inet_aton(host)  # the C library's reading, with its short and octal forms
    except (OSError, ValueError):
        return False
    return True


def _allowed(names: Iterable[str]) -> set[str]:
    return {name.strip().rstrip(".").lower() for name in names if name.strip()}


def parse(url: str, *, ports: Iterable[int] = DEFAULT_PORTS) -> Target:
    """The address's parts, by the rules that need no lookup of the host: scheme, host,
    credentials, port, and names of this machine or of metadata services."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise Refused("malformed", f"not a URL: {error}") from error
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise Refused("scheme")
    if parts.username is not None or parts.password is not None:
        raise Refused("credentials")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise Refused("malformed", "the URL has no host")
    port = port or SCHEMES[scheme]
    allowed_ports = sorted(set(ports))
    if port not in allowed_ports:
        raise Refused("port", f"port {port}", ports=", ".join(map(str, allowed_ports)))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(url=url.strip(), scheme=scheme, host=host, port=port, path=path)


def _by_name(target: Target, allowed: set[str]) -> None:
    if target.host in allowed:
        return
    if target.host in METADATA_HOSTS:
        raise Refused("metadata", f"{target.host} is a cloud metadata service")
    if target.host in LOCAL_NAMES or target.host.endswith(".localhost"):
        raise Refused("loopback", f"{target.host} names this machine")


def check_saved(
    url: str, *, ports: Iterable[int] = DEFAULT_PORTS, allowed_hosts: Iterable[str] = ()
) -> Target:
    """The check when a user saves an address: no DNS lookup, and no IP address as host."""
    target = parse(url, ports=ports)
    allowed = _allowed(allowed_hosts)
    _by_name(target, allowed)
    if target.host not in allowed and is_literal(target.host):
        raise Refused("literal", f"{target.host} is an IP address")
    return target


def check(
    url: str, *, ports: Iterable[int] = DEFAULT_PORTS, allowed_hosts: Iterable[str] = (),
    resolve: Resolver = system_resolve, resolve_timeout: float = RESOLVE_TIMEOUT,
) -> Target:  # fmt: skip
    """The check before a connection: the address to connect to, or Refused saying why not.
    The lookup waits at most `resolve_timeout` seconds."""
    target = parse(url, ports=ports)
    allowed = _allowed(allowed_hosts)
    _by_name(target, allowed)
    try:
        addresses = resolve_within(resolve, target.host, target.port, resolve_timeout)
    except TimeoutError as error:
        raise Refused("resolve-timeout", str(error), host=target.host) from error
    except (OSError, UnicodeError) as error:
        raise Refused("unresolved", f"{target.host} does not resolve", host=target.host) from error
    if not addresses:
        raise Refused("unresolved", f"{target.host} does not resolve", host=target.host)
    if target.host not in allowed:
        for address in addresses:
            if address not in allowed and (why := address_refusal(address)):
                raise Refused(
                    why, f"{target.host} resolves to a {why} address ({address})", addresses
                )
    return Target(
        url=target.url, scheme=target.scheme, host=target.host, port=target.port,
        path=target.path, addresses=addresses,
    )  # fmt: skip
