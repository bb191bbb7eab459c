"""Reading a fetched feed into entries: RSS 0.9x/1.0/2.0 and Atom with feedparser, JSON Feed 1.0
and 1.1 (https://www.jsonfeed.org/version/1.1/) here. XML is first read by defusedxml, which
refuses entity declarations (billion laughs, external entities) before feedparser sees the
document. Titles and summaries come out as plain text (every tag removed by nh3), to be shown
escaped. No Django here."""

import html
import io
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import defusedxml.ElementTree
import feedparser
import nh3
from defusedxml.common import DefusedXmlException

MAX_ENTRIES = 500
TITLE_CHARS = 500
SUMMARY_CHARS = 5000


class FeedError(ValueError):
    """Not a feed this reader understands, or a hostile one."""


@dataclass(frozen=True)
class Entry:
    title: str
    url: str
    summary: str = ""
    published: datetime | None = None
    guid: str = ""
    tags: tuple[str, ...] = ()
    language: str = ""


@dataclass(frozen=True)
class Feed:
    title: str
    language: str
    entries: list[Entry] = field(default_factory=list)


def plain_text(markup: str, limit: int) -> str:
    """The text of an HTML fragment: every tag removed, entities decoded, spaces collapsed."""
    text = html.unescape(nh3.clean(markup or "", tags=set()))
    return " ".join(text.split())[:limit]


def language_code(code: str | None) -> str:
    """The language part of a code ("pt-BR" -> "pt"), in lower case."""
    return (code or "").split("-")[0].split("_")[0].lower()[:8]


def _json_date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _json_feed(body: bytes) -> Feed:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise FeedError(f"not JSON: {error}") from error
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith(
        "https://jsonfeed.org/version/"
    ):
        raise FeedError("not a JSON Feed (no jsonfeed.org version)")
    language = language_code(document.get("language"))
    entries = []
    for item in document.get("items") or []:
        if not isinstance(item, dict):
            continue
        url = str(item.get("url") or item.get("external_url") or "")
        body_text = item.get("summary") or item.get("content_text") or item.get("content_html")
        tags: list = item["tags"] if isinstance(item.get("tags"), list) else []
        entries.append(
            Entry(
                title=plain_text(str(item.get("title") or ""), TITLE_CHARS),
                url=url,
                summary=plain_text(str(body_text or ""), SUMMARY_CHARS),
                published=_json_date(item.get("date_published") or item.get("date_modified")),
                guid=str(item.get("id") or url)[:500],
                tags=tuple(str(tag)[:60] for tag in tags[:20]),
                language=language_code(item.get("language")) or language,
            )
        )
        if len(entries) == MAX_ENTRIES:
            break
    return Feed(
        title=plain_text(str(document.get("title") or ""), TITLE_CHARS),
        language=language,
        entries=entries,
    )


def _struct_time(moment: time.struct_time | None) -> datetime | None:
    """feedparser's dates are UTC."""
    if not moment:
        return None
    year, month, day, hour, minute, second = moment[:6]
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def _xml_feed(body: bytes) -> Feed:
    try:
        defusedxml.ElementTree.fromstring(body)
    except DefusedXmlException as error:
        raise FeedError(f"refused: {error}") from error
    except defusedxml.ElementTree.ParseError:
        pass  # feedparser reads many a malformed feed; it only had to be harmless
    # A stream, never bytes or a string: feedparser would take those for a URL or a file name.
    parsed = feedparser.parse(io.BytesIO(body), resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries:
        raise FeedError("not an RSS or Atom feed")
    language = language_code(parsed.feed.get("language"))
    entries = []
    for item in parsed.entries[:MAX_ENTRIES]:
        moment = item.get("published_parsed") or item.get("updated_parsed")
        entries.append(
            Entry(
                title=plain_text(item.get("title", ""), TITLE_CHARS),
                url=item.get("link", ""),
                summary=plain_text(item.get("summary", ""), SUMMARY_CHARS),
                published=_struct_time(moment),
                guid=str(item.get("id") or item.get("link", ""))[:500],
                tags=tuple(
                    str(tag.get("term"))[:60]
                    for tag in item.get("tags", [])[:20]
                    if tag.get("term")
                ),
                language=language_code(item.get("language")) or language,
            )
        )
    return Feed(
        title=plain_text(parsed.feed.get("title", ""), TITLE_CHARS),
        language=language,
        entries=entries,
    )


def parse(body: bytes) -> Feed:
    """The feed in `body` (JSON Feed when it starts with "{", else RSS or Atom)."""
    if body.lstrip()[:1] == b"{":
        return _json_feed(body)
    return _xml_feed(body)
