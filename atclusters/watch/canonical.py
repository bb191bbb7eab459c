"""Which items are the same story: the canonical form of a link (tracking parameters removed) for
exact duplicates, and a content hash of the normalised title and text for the same story under
another link. No Django here."""

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
