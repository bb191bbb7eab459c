"""Whether a URL a user entered may be fetched by the server (SSRF protection, docs/watch.md).

Only http and https; no credentials in the URL; the host is resolved once and the URL refused
when ANY of its addresses is not a public unicast address: private (RFC 1918, fc00::/7),
loopback, link-local (169.254.0.0/16 and fe80::/10, where the cloud metadata services live),
shared (100.64.0.0/10, Alibaba's metadata), multicast, reserved, unspecified, documentation;
IPv4 embedded in IPv6 (IPv4-mapped ::ffff:a.b.c.d, 6to4 2002::/16, NAT64 64:ff9b::/96, Teredo)
is judged by the IPv4 address inside. Decimal, octal and short forms (2130706433, 0177.0.0.1,
127.1) are caught too, since it is the resolved address that is judged. The fetcher then
connects to the checked address itself (fetching.py), so a second DNS answer (DNS rebinding)
is never used. `allowed_hosts` (the WATCH_ALLOWED_HOSTS setting) lets tests and a deployment's
own intranet feeds through by host name or address. No Django here."""

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

type Address = ipaddress.IPv4Address | ipaddress.IPv6Address
type Resolver = Callable[[str, int], list[str]]

SCHEMES = {"http": 80, "https": 443}
# Host names of cloud metadata services, refused by name before any lookup.
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


class Refused(Exception):
    """The URL may not be fetched; `reason` is a stable word for programs."""

    def __init__(self, reason: str, message: str, addresses: Iterable[str] = ()):
        super().__init__(message)
        self.reason = reason
        self.addresses = list(addresses)


@dataclass(frozen=True)
class Target:
    """A URL that passed the check: connect to `addresses[0]`, name `host` in the request."""

    url: str
    scheme: str
    host: str
    port: int
    addresses: list[str] = field(default_factory=list)


def system_resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in NAT64:
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


def check(
    url: str, *, allowed_hosts: Iterable[str] = (), resolve: Resolver = system_resolve
) -> Target:
    """The target to connect to, or Refused saying why not."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise Refused("malformed", f"not a URL: {error}") from error
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise Refused("scheme", "only http and https URLs are fetched")
    if parts.username is not None or parts.password is not None:
        raise Refused("credentials", "a URL with a user name or password is not fetched")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise Refused("malformed", "the URL has no host")
    port = port or SCHEMES[scheme]
    allowed = {name.strip().lower() for name in allowed_hosts if name.strip()}
    if host in METADATA_HOSTS and host not in allowed:
        raise Refused("metadata", f"{host} is a cloud metadata service")
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as error:
        raise Refused("unresolved", f"{host} does not resolve") from error
    if not addresses:
        raise Refused("unresolved", f"{host} does not resolve")
    if host not in allowed:
        for address in addresses:
            if address not in allowed and (why := address_refusal(address)):
                raise Refused(why, f"{host} resolves to a {why} address ({address})", addresses)
    return Target(url=url.strip(), scheme=scheme, host=host, port=port, addresses=addresses)
