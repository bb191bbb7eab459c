"""Which items are the same story: the canonical form of a link (tracking parameters removed) for
exact duplicates, a content hash of the normalised title and text for the same story under
another link, and a SimHash of the text's word shingles for near duplicates (a copy lightly
edited by another source). No Django here."""

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Parameters that say where a click came from, not what the page is (Google Analytics' utm_*,
# the ad networks' and mailing tools' click identifiers).
TRACKING_PREFIXES = ("utm_", "mtm_", "pk_", "_hs", "mc_", "hsa_")
TRACKING_NAMES = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
     "mkt_tok", "ref", "ref_src", "cmpid", "ito", "oly_enc_id", "oly_anon_id", "vero_id",
     "__twitter_impression", "_ga", "_gl"}
)  # fmt: skip
DEFAULT_PORTS = {"http": 80, "https": 443}
NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
MARKUP = re.compile(r"<[^>]*>")


def _tracking(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_NAMES or name.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """Scheme and host in lower case, the default port and the fragment dropped, tracking
    parameters removed and the others sorted; `http://Example.com:80/a?utm_source=x&b=2#top` →
    `http://example.com/a?b=2`."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _tracking(name)
    )
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


def normalised(text: str) -> str:
    """Lower case, markup, accents and punctuation removed, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", MARKUP.sub(" ", text).lower())
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(NOT_WORD.sub(" ", letters).split())


def content_hash(title: str, text: str) -> str:
    """The same title and opening text, whatever the markup, case or accents: the same hash."""
    key = normalised(title) + "\n" + normalised(text)[:1000]
    return hashlib.sha256(key.encode()).hexdigest()


# SimHash (Charikar, "Similarity estimation techniques from rounding algorithms", STOC 2002),
# 64 bits, over the text's words. Manku, Jain & Das Sarma ("Detecting near-duplicates for web
# crawling", WWW 2007) allow 3 differing bits for web pages of thousands of features; an item is
# a title and a summary of tens of words, where one edited word moves several bits, so a near
# duplicate here differs in at most 8 (tests/watch/test_relevance.py: a lightly edited copy
# differs in 7, distinct stories on one theme in about 30; unrelated texts differ in 32 on
# average, and in 8 or fewer with a probability below 1e-7).
NEAR_BITS = 8
# Too few words and one word's difference flips many bits: no fingerprint then.
MIN_WORDS = 12


def simhash(title: str, text: str) -> int:
    """The 64-bit fingerprint as a signed integer (a database's bigint), 0 for too short a text."""
    words = normalised(title + " " + text).split()
    if len(words) < MIN_WORDS:
        return 0
    # Each word's 64-bit hash as 64 characters, most significant bit first; a bit of the
    # fingerprint is set when more of the words have it set than not (Charikar's weights
    # +1/-1 summing above 0), counted down each column of characters.
    hashes = (
        format(int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest()), "064b")
        for word in words
    )
    value = 0
    for column in zip(*hashes, strict=True):
        value = value << 1 | (2 * column.count("1") > len(words))
    return value - (1 << 64) if value >= 1 << 63 else value


def near(a: int, b: int) -> bool:
    """Whether two fingerprints are of near-duplicate texts (0: no fingerprint, never near)."""
    return bool(a and b) and ((a ^ b) & ((1 << 64) - 1)).bit_count() <= NEAR_BITS


# Pigeonhole: two fingerprints at most NEAR_BITS apart agree on at least one of NEAR_BITS + 1
# disjoint bands of bits, so only the fingerprints sharing a band are compared (Manku et al.).
_SIZES = [64 // (NEAR_BITS + 1) + (band < 64 % (NEAR_BITS + 1)) for band in range(NEAR_BITS + 1)]
BANDS = [(sum(_SIZES[:band]), sum(_SIZES[: band + 1])) for band in range(NEAR_BITS + 1)]


class NearIndex[K]:
    """Fingerprints by band, to find a near duplicate without comparing with every one."""

    def __init__(self) -> None:
        self.bands: list[dict[int, list[tuple[K, int]]]] = [{} for _band in BANDS]

    def add(self, key: K, fingerprint: int) -> None:
        if not fingerprint:
            return
        unsigned = fingerprint & ((1 << 64) - 1)
        for table, (start, end) in zip(self.bands, BANDS, strict=True):
            band = unsigned >> start & ((1 << (end - start)) - 1)
            table.setdefault(band, []).append((key, fingerprint))

    def find(self, fingerprint: int) -> list[K]:
        """The keys of the near duplicates of `fingerprint`, nearest first."""
        if not fingerprint:
            return []
        unsigned = fingerprint & ((1 << 64) - 1)
        found: dict[K, int] = {}
        for table, (start, end) in zip(self.bands, BANDS, strict=True):
            band = unsigned >> start & ((1 << (end - start)) - 1)
            for key, other in table.get(band, ()):
                if key not in found and near(fingerprint, other):
                    found[key] = ((fingerprint ^ other) & ((1 << 64) - 1)).bit_count()
        return sorted(found, key=lambda key: found[key])
