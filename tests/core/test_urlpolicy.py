"""The SSRF policy (atclusters/core/urlpolicy.py): every trick refused, with its reason; public
addresses and the allow-list let through; the check at save time needs no DNS; a refusal's
message names no address. The resolver is a stand-in: no DNS, no network."""

import threading
import time

import pytest

from atclusters.core import urlpolicy


def resolver(table: dict[str, list[str]]):
    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError("no such host")
        return table[host]

    return resolve


def no_dns(host: str, port: int) -> list[str]:
    raise AssertionError(f"looked up {host}")


PUBLIC = resolver(
    {"feeds.example.org": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]}
)


def refused(url: str, resolve=PUBLIC, **kwargs) -> str:
    with pytest.raises(urlpolicy.Refused) as caught:
        urlpolicy.check(url, resolve=resolve, **kwargs)
    return caught.value.reason


def refused_on_save(url: str, **kwargs) -> urlpolicy.Refused:
    with pytest.raises(urlpolicy.Refused) as caught:
        urlpolicy.check_saved(url, **kwargs)
    return caught.value


def test_a_public_host_passes_with_all_its_addresses():
    target = urlpolicy.check("https://Feeds.Example.org./rss?x=1", resolve=PUBLIC)
    assert (target.scheme, target.host, target.port) == ("https", "feeds.example.org", 443)
    assert target.path == "/rss?x=1"
    assert target.addresses == ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://127.1/", "loopback"),  # the resolver would say 127.0.0.1: see below
        ("http://[::1]/", "loopback"),
        ("http://10.0.0.5/", "private"),
        ("http://172.16.3.4/", "private"),
        ("http://192.168.1.1/", "private"),
        ("http://[fc00::1]/", "private"),
        ("http://100.64.0.1/", "private"),  # shared address space (carrier-grade NAT)
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://169.254.170.2/v2/credentials", "metadata"),
        ("http://[fd00:ec2::254]/", "metadata"),
        ("http://100.100.100.200/", "metadata"),
        ("http://169.254.1.1/", "link-local"),
        ("http://[fe80::1]/", "link-local"),
        ("http://224.0.0.1/", "multicast"),
        ("http://[ff02::1]/", "multicast"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://240.0.0.1/", "private"),  # reserved (not global)
        ("http://[::ffff:127.0.0.1]/", "loopback"),  # IPv4-mapped
        ("http://[::ffff:169.254.169.254]/", "metadata"),
        ("http://[2002:a9fe:a9fe::]/", "metadata"),  # 6to4 of 169.254.169.254
        ("http://[64:ff9b::a00:1]/", "private"),  # NAT64 of 10.0.0.1
        ("http://[::127.0.0.1]/", "loopback"),  # IPv4-compatible
        ("http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/", "private"),  # Teredo of 10.0.0.1
    ],
)
def test_private_and_special_addresses_are_refused(url, reason):
    host = (
        url.split("//")[1].split("/")[0].rsplit(":", 1)[0]
        if "]" not in url
        else url.split("[")[1].split("]")[0]
    )
    literal = {"127.1": "127.0.0.1"}.get(host, host)
    assert refused(url, resolve=resolver({host: [literal]})) == reason


def test_decimal_and_octal_forms_are_judged_by_what_they_resolve_to():
    # The system resolver reads these as 127.0.0.1, which is what is judged.
    assert refused("http://2130706433/", resolve=urlpolicy.system_resolve) == "loopback"
    assert refused("http://0177.0.0.1/", resolve=urlpolicy.system_resolve) == "loopback"
    assert refused("http://localhost/", resolve=no_dns) == "loopback"  # by name, no lookup
    assert refused("http://app.localhost/", resolve=no_dns) == "loopback"


def test_one_private_address_among_public_ones_is_enough_to_refuse():
    mixed = resolver({"mixed.example.org": ["93.184.215.14", "10.1.2.3"]})
    assert refused("http://mixed.example.org/", resolve=mixed) == "private"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "scheme"),
        ("gopher://feeds.example.org/", "scheme"),
        ("ftp://feeds.example.org/", "scheme"),
        ("https://user:secret@feeds.example.org/", "credentials"),
        ("http:///nohost", "malformed"),
        ("http://feeds.example.org:99999/", "malformed"),
        ("http://feeds.example.org:8080/", "port"),
        ("https://feeds.example.org:22/", "port"),
        ("http://feeds.example.org:443/", None),  # 80 and 443, whatever the scheme
        ("http://metadata.google.internal/computeMetadata/v1/", "metadata"),
        ("http://unknown.example.org/", "unresolved"),
    ],
)
def test_urls_that_are_not_fetched(url, reason):
    if reason is None:
        assert urlpolicy.check(url, resolve=PUBLIC).port == 443
    else:
        assert refused(url) == reason


def test_the_ports_are_the_deployments_choice():
    assert urlpolicy.check("http://feeds.example.org:8080/", ports=[8080], resolve=PUBLIC)
    assert refused("http://feeds.example.org/", ports=[443]) == "port"
    caught = refused_on_save("http://feeds.example.org:8080/")
    assert str(caught) == "Only addresses on the ports 80, 443 are read."


def test_the_allow_list_lets_a_named_host_or_address_through_but_not_another_port():
    local = resolver({"feeds.test": ["127.0.0.1"], "127.0.0.1": ["127.0.0.1"]})
    assert urlpolicy.check("http://feeds.test/", resolve=local, allowed_hosts=["feeds.test"])
    assert urlpolicy.check("http://127.0.0.1/", resolve=local, allowed_hosts=["127.0.0.1"])
    assert refused("http://feeds.test/", resolve=local, allowed_hosts=["other.test"]) == "loopback"
    assert refused("http://127.0.0.1:8000/", resolve=local, allowed_hosts=["127.0.0.1"]) == "port"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://192.168.1.1/rss", "literal"),
        ("http://93.184.215.14/rss", "literal"),  # public or not: a host is named
        ("http://[::ffff:10.0.0.1]/", "literal"),
        ("http://2130706433/", "literal"),
        ("http://0x7f.1/", "literal"),
        ("http://0177.0.0.1/", "literal"),
        ("http://127.1/", "literal"),
        ("http://localhost/", "loopback"),
        ("http://metadata.google.internal/", "metadata"),
        ("ftp://feeds.example.org/", "scheme"),
        ("https://user@feeds.example.org/", "credentials"),
        ("http://feeds.example.org:8080/", "port"),
        ("https:///rss", "malformed"),
    ],
)
def test_the_check_on_saving_reads_the_address_alone(url, reason, monkeypatch):
    monkeypatch.setattr(urlpolicy.socket, "getaddrinfo", no_dns)
    assert refused_on_save(url).reason == reason


def test_a_saved_address_is_not_looked_up(monkeypatch):
    monkeypatch.setattr(urlpolicy.socket, "getaddrinfo", no_dns)
    target = urlpolicy.check_saved("https://intranet.example.org/rss")  # resolved only later
    assert (target.host, target.port, target.addresses) == ("intranet.example.org", 443, [])
    assert urlpolicy.check_saved("http://127.0.0.1/", allowed_hosts=["127.0.0.1"])


def test_a_refusal_tells_the_user_no_address_and_the_operator_every_one():
    inside = resolver({"wiki.example.org": ["10.20.30.40"]})
    with pytest.raises(urlpolicy.Refused) as caught:
        urlpolicy.check("https://wiki.example.org/", resolve=inside)
    assert str(caught.value) == (
        "This address is not allowed: the server reads only the public internet."
    )
    assert "10.20.30.40" not in str(caught.value)
    assert caught.value.detail == "wiki.example.org resolves to a private address (10.20.30.40)"
    assert caught.value.addresses == ["10.20.30.40"]


class BlockingResolver:
    """A name server that does not answer until told to (a real thread blocks in it)."""

    def __init__(self):
        self.release = threading.Event()
        self.asked: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        self.release.wait(30)
        return ["93.184.215.14"]


def test_a_lookup_that_does_not_answer_is_given_up_in_time():
    blocking = BlockingResolver()
    started = time.monotonic()
    try:
        with pytest.raises(urlpolicy.Refused) as caught:
            urlpolicy.check("https://slow.example.org/", resolve=blocking, resolve_timeout=0.3)
        waited = time.monotonic() - started
    finally:
        blocking.release.set()
    assert blocking.asked == ["slow.example.org"]
    assert 0.3 <= waited < 3
    assert caught.value.reason == "resolve-timeout"
    assert str(caught.value) == "The name slow.example.org could not be looked up in time."


def test_a_lookup_within_its_time_answers_and_its_errors_are_kept():
    assert urlpolicy.check("https://feeds.example.org/", resolve=PUBLIC, resolve_timeout=5)
    assert refused("http://unknown.example.org/", resolve_timeout=5) == "unresolved"


def test_lookups_that_never_answer_are_bounded_in_number():
    """Abandoned lookups keep their slots until the name server answers: once all are taken, a
    further lookup waits at most its timeout for one, and starts no thread."""
    blocking = BlockingResolver()
    try:
        for number in range(urlpolicy.MAX_LOOKUPS):
            assert refused(f"https://h{number}.example.org/", resolve=blocking,
                           resolve_timeout=0.01) == "resolve-timeout"  # fmt: skip
        threads = threading.active_count()
        assert refused("https://one-more.example.org/", resolve_timeout=0.05) == "resolve-timeout"
        assert threading.active_count() == threads
    finally:
        blocking.release.set()
    # Answered, the abandoned lookups give their slots back.
    assert urlpolicy.check("https://feeds.example.org/", resolve=PUBLIC, resolve_timeout=5)
