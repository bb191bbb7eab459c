"""Sources other than feeds, read into the same entries as a feed (feeds.Entry), each from its
published format (docs/watch.md, "Sources"):

| kind | what is fetched | format |
|---|---|---|
| `news-sitemap` | a site's news sitemap | sitemaps.org 0.9 `<urlset>` with Google's `news:` namespace (`<news:news>`: publication name and language, publication date, title, keywords) |
| `eu-funding` | the EU Funding & Tenders portal's search API answer | JSON `{"results": [{"url", "title", "summary", "metadata": {field: [strings]}}]}` |
| `cordis` | a CORDIS projects file (`project.csv` of the Horizon Europe or H2020 datasets) | CSV, `;`-separated, quoted with `"`: `id`, `acronym`, `title`, `objective`, `startDate`, `topics`, `fundingScheme`, `contentUpdateDate`, ... |
| `openalex` | an OpenAlex works query (`/works?search=...`) | JSON `{"meta", "results": [{"id", "doi", "title", "publication_date", "language", "abstract_inverted_index", "keywords", ...}]}` |
| `epo-ops` | EPO Open Patent Services published data (search or biblio) | XML `ops:world-patent-data` with `exchange-document` elements (EPO's exchange format, namespace `http://www.epo.org/exchange`) |

XML goes through defusedxml (no entity declarations: billion laughs, external entities are
refused); text is plain (every tag removed by nh3, as in feeds.py). No Django here."""

import base64
import csv
import io
import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote
from xml.etree.ElementTree import Element

import defusedxml.ElementTree
from defusedxml.common import DefusedXmlException

from atclusters.watch import feeds
from atclusters.watch.feeds import MAX_ENTRIES, SUMMARY_CHARS, TITLE_CHARS, Entry, Feed, FeedError

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
EPO = "{http://www.epo.org/exchange}"
CORDIS_PROJECT = "https://cordis.europa.eu/project/id/{id}"
# A patent publication's page on Espacenet, by its publication number (e.g. EP4123456A1).
ESPACENET = "https://worldwide.espacenet.com/patent/search?q=pn%3D{number}"
# The languages a patent's title and abstract are most often given in, ours first.
PATENT_LANGUAGES = ("en", "es", "fr", "pt", "gl", "de")


def _date(text: str) -> datetime | None:
    """ISO 8601 dates and times (with or without a zone; UTC when none), CORDIS's
    "2024-03-15 10:00:00", and EPO's "20230125"."""
    text = (text or "").strip()
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _entry(
    *, title: str, url: str, summary: str = "", published: datetime | None = None,
    guid: str = "", tags: Iterable[str] = (), language: str = "",
) -> Entry:  # fmt: skip
    return Entry(
        title=feeds.plain_text(title, TITLE_CHARS),
        url=url.strip()[:1000],
        summary=feeds.plain_text(summary, SUMMARY_CHARS),
        published=published,
        guid=(guid or url)[:500],
        tags=tuple(dict.fromkeys(tag.strip()[:60] for tag in tags if tag.strip()))[:20],
        language=feeds.language_code(language),
    )


def _xml(body: bytes) -> Element:
    try:
        return defusedxml.ElementTree.fromstring(body)
    except DefusedXmlException as error:
        raise FeedError(f"refused: {error}") from error
    except defusedxml.ElementTree.ParseError as error:
        raise FeedError(f"not XML: {error}") from error


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise FeedError(f"not JSON: {error}") from error


def _text(element: Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


# News sitemaps (https://www.sitemaps.org/protocol.html and Google's news extension,
# https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap) ----------


def news_sitemap(body: bytes) -> Feed:
    root = _xml(body)
    if root.tag != f"{SITEMAP}urlset":
        raise FeedError("not a sitemap (no sitemaps.org <urlset>)")
    entries = []
    language = ""
    for url in root.iter(f"{SITEMAP}url"):
        news = url.find(f"{NEWS}news")
        if news is None:
            continue  # a page of the site, not a news article
        publication = news.find(f"{NEWS}publication")
        declared = _text(publication.find(f"{NEWS}language") if publication is not None else None)
        language = language or declared
        entries.append(
            _entry(
                title=_text(news.find(f"{NEWS}title")),
                url=_text(url.find(f"{SITEMAP}loc")),
                published=_date(_text(news.find(f"{NEWS}publication_date"))),
                tags=_text(news.find(f"{NEWS}keywords")).split(","),
                language=declared,
            )
        )
        if len(entries) == MAX_ENTRIES:
            break
    return Feed(title="", language=feeds.language_code(language), entries=entries)


# EU Funding & Tenders portal: the search API's answer (the same the funding domain imports
# calls from, docs/funding.md, "Formats"); each result is a topic or call, its metadata a map
# of field to a list of strings --------------------------------------------------------------

FUNDING_TOPIC = (
    "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/"
    "topic-details/{identifier}"
)


def _first(metadata: dict[str, Any], key: str) -> str:
    value = metadata.get(key)
    values = value if isinstance(value, list) else [value] if value is not None else []
    return next((str(v).strip() for v in values if str(v).strip()), "")


# The search API is asked by POST, its criteria in a multipart/form-data body (RFC 7578) of
# three JSON parts, as the portal's own search page sends them: `query` (an Elasticsearch-like
# bool query: types 1, 2 and 8 are calls for proposals and their topics; statuses 31094501
# and 31094502 are forthcoming and open), `languages` and `sort`. The words to look for stay in
# the address (`text=`), with `apiKey=SEDIA`, `pageSize` and `pageNumber`.
EU_FUNDING_CRITERIA = {
    "query": {"bool": {"must": [
        {"terms": {"type": ["1", "2", "8"]}},
        {"terms": {"status": ["31094501", "31094502"]}},
    ]}},
    "languages": ["en"],
    "sort": {"field": "startDate", "order": "DESC"},
}  # fmt: skip


def eu_funding_request(boundary: str) -> tuple[str, bytes]:
    """The search's POST body and its content type; `boundary` separates the parts (it must
    not occur in them: JSON of our own, so a random token does)."""
    lines = []
    for name, value in EU_FUNDING_CRITERIA.items():
        lines += [
            f"--{boundary}",
            f'Content-Disposition: form-data; name="{name}"; filename="blob"',
            "Content-Type: application/json",
            "",
            json.dumps(value, separators=(",", ":")),
        ]
    lines += [f"--{boundary}--", ""]
    return f"multipart/form-data; boundary={boundary}", "\r\n".join(lines).encode()


def eu_funding(body: bytes) -> Feed:
    document = _json(body)
    if not isinstance(document, dict) or not isinstance(document.get("results"), list):
        raise FeedError("not a Funding & Tenders search answer (no results)")
    entries = []
    for result in document["results"][:MAX_ENTRIES]:
        if not isinstance(result, dict):
            continue
        found = result.get("metadata")
        metadata: dict[str, Any] = found if isinstance(found, dict) else {}
        identifier = _first(metadata, "identifier")
        listed = metadata.get("keywords")
        keywords: list[Any] = listed if isinstance(listed, list) else []
        title = _first(metadata, "title") or str(result.get("title") or "")
        entries.append(
            _entry(
                title=f"{identifier}: {title}" if identifier else title,
                url=FUNDING_TOPIC.format(identifier=quote(identifier.lower()))
                if identifier
                else str(result.get("url") or ""),
                summary=_first(metadata, "descriptionByte")
                or _first(metadata, "description")
                or str(result.get("summary") or ""),
                published=_date(_first(metadata, "startDate")),
                guid=identifier,
                tags=[_first(metadata, "callIdentifier"), *map(str, keywords)],
                language=_first(metadata, "language") or str(result.get("language") or "en"),
            )
        )
    return Feed(title="", language="en", entries=entries)


# CORDIS: the EU research projects' open data (data.europa.eu, "CORDIS - EU research projects
# under Horizon Europe (2021-2027)"), project.csv ----------------------------------------------

CORDIS_COLUMNS = ("id", "acronym", "title", "objective")


def cordis(body: bytes) -> Feed:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FeedError(f"not UTF-8 text: {error}") from error
    reader = csv.DictReader(io.StringIO(text), delimiter=";", quotechar='"')
    if not set(CORDIS_COLUMNS) <= set(reader.fieldnames or ()):
        raise FeedError(
            "not a CORDIS project file (columns " + ", ".join(CORDIS_COLUMNS) + " expected)"
        )
    entries = []
    try:
        for row in reader:
            project = (row.get("id") or "").strip()
            if not project.isdigit():
                continue
            acronym, title = (row.get("acronym") or "").strip(), (row.get("title") or "").strip()
            entries.append(
                _entry(
                    title=f"{acronym}: {title}" if acronym else title,
                    url=CORDIS_PROJECT.format(id=project),
                    summary=row.get("objective") or "",
                    published=_date(row.get("contentUpdateDate") or "")
                    or _date(row.get("startDate") or ""),
                    guid=f"cordis:{project}",
                    tags=[
                        *(row.get("topics") or "").split(","),
                        row.get("fundingScheme") or "",
                        row.get("frameworkProgramme") or "",
                    ],
                    language="en",
                )
            )
            if len(entries) == MAX_ENTRIES:
                break
    except csv.Error as error:
        raise FeedError(f"line {reader.line_num}: {error}") from error
    return Feed(title="", language="en", entries=entries)


# OpenAlex works (https://docs.openalex.org/api-entities/works/work-object): the abstract is
# published as an inverted index, word -> positions --------------------------------------------


def abstract(index: Any) -> str:
    """The abstract from OpenAlex's `abstract_inverted_index`."""
    if not isinstance(index, dict):
        return ""
    placed: dict[int, str] = {}
    for word, positions in index.items():
        for position in positions if isinstance(positions, list) else []:
            if isinstance(position, int) and 0 <= position < 5000:
                placed[position] = str(word)
    return " ".join(placed[position] for position in sorted(placed))


def openalex(body: bytes) -> Feed:
    document = _json(body)
    if not isinstance(document, dict) or not isinstance(document.get("results"), list):
        raise FeedError("not an OpenAlex answer (no results)")
    entries = []
    for work in document["results"][:MAX_ENTRIES]:
        if not isinstance(work, dict):
            continue
        location = work.get("primary_location") or {}
        landing = location.get("landing_page_url") if isinstance(location, dict) else None
        keywords = [
            str(keyword.get("display_name") or "")
            for keyword in work.get("keywords") or []
            if isinstance(keyword, dict)
        ]
        entries.append(
            _entry(
                title=str(work.get("title") or work.get("display_name") or ""),
                url=str(work.get("doi") or landing or work.get("id") or ""),
                summary=abstract(work.get("abstract_inverted_index")),
                published=_date(str(work.get("publication_date") or "")),
                guid=str(work.get("id") or ""),
                tags=keywords,
                language=str(work.get("language") or ""),
            )
        )
    return Feed(title="", language="", entries=entries)


# EPO Open Patent Services (OPS 3.2 reference guide, published-data services: search with
# biblio, and biblio by publication number) -----------------------------------------------------


def _in_language(elements: list[Element]) -> tuple[str, str]:
    """The text of the first of `elements` in the language we prefer, and its language."""
    by_language = {element.get("lang", "").lower(): _text(element) for element in elements}
    for language in (*PATENT_LANGUAGES, *by_language):
        if by_language.get(language):
            return by_language[language], language
    return "", ""


def epo_token_request(key: str, secret: str) -> tuple[dict[str, str], bytes]:
    """The OAuth 2.0 client-credentials request for an OPS access token (OPS 3.2 reference
    guide, "Authentication"; RFC 6749, 4.4): the consumer key and secret as HTTP Basic
    credentials, `grant_type=client_credentials` as a form."""
    credentials = base64.b64encode(f"{key}:{secret}".encode()).decode()
    headers = {
        "Authorization": f"Basic {credentials}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return headers, b"grant_type=client_credentials"


def epo_token(body: bytes) -> tuple[str, int]:
    """The access token of OPS's answer and for how many seconds it holds (OPS sends
    `expires_in` as a string, "1199": twenty minutes)."""
    document = _json(body)
    token = document.get("access_token") if isinstance(document, dict) else None
    if not isinstance(token, str) or not token:
        raise FeedError("EPO OPS gave no access token")
    try:
        seconds = int(document.get("expires_in") or 0)
    except (TypeError, ValueError):
        seconds = 0
    return token, max(0, seconds)


def epo_ops(body: bytes) -> Feed:
    root = _xml(body)
    documents = list(root.iter(f"{EPO}exchange-document"))
    if not root.tag.endswith("world-patent-data") and not documents:
        raise FeedError("not an EPO OPS answer (no world-patent-data)")
    entries = []
    for document in documents[:MAX_ENTRIES]:
        number = "".join(
            document.get(part, "") for part in ("country", "doc-number", "kind")
        )  # e.g. EP4123456A1
        data = document.find(f"{EPO}bibliographic-data")
        if not number or data is None:
            continue
        title, language = _in_language(data.findall(f"{EPO}invention-title"))
        summary, _language = _in_language(document.findall(f"{EPO}abstract"))
        date = ""
        for reference in data.iterfind(f"{EPO}publication-reference/{EPO}document-id"):
            date = date or _text(reference.find(f"{EPO}date"))
        applicants = [
            _text(name)
            for name in data.iterfind(
                f"{EPO}parties/{EPO}applicants/{EPO}applicant/{EPO}applicant-name/{EPO}name"
            )
        ]
        classes = [
            _text(text)[:4]
            for text in data.iterfind(
                f"{EPO}classifications-ipcr/{EPO}classification-ipcr/{EPO}text"
            )
        ]
        entries.append(
            _entry(
                title=title or number,
                url=ESPACENET.format(number=number),
                summary=summary,
                published=_date(date),
                guid=f"epo:{number}",
                tags=[*dict.fromkeys(applicants), *dict.fromkeys(classes)],
                language=language if language in PATENT_LANGUAGES[:5] else "",
            )
        )
    return Feed(title="", language="", entries=entries)


# The parser of each kind of source (models.Source.Kind has the same values).
PARSERS: dict[str, Callable[[bytes], Feed]] = {
    "feed": feeds.parse,
    "news-sitemap": news_sitemap,
    "eu-funding": eu_funding,
    "cordis": cordis,
    "openalex": openalex,
    "epo-ops": epo_ops,
}


def parse(kind: str, body: bytes) -> Feed:
    """The entries of a fetched source of this kind (raises FeedError)."""
    if kind not in PARSERS:
        raise FeedError(f"no reader for sources of kind {kind!r}")
    return PARSERS[kind](body)
