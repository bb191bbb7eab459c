"""The connectors read recorded answers in each source's published format (tests/watch/
connectors/, written for these tests after each format's documentation) into feed entries."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches

from atclusters.core import fetching
from atclusters.watch import connectors, services
from atclusters.watch.feeds import FeedError
from atclusters.watch.models import Source
from tests.webserver import send, served

FILES = Path(__file__).parent / "connectors"


def read(kind: str, name: str):
    return connectors.parse(kind, (FILES / name).read_bytes())


def test_the_model_offers_every_kind_the_connectors_read():
    assert set(Source.Kind.values) == set(connectors.PARSERS)


def test_news_sitemap_takes_the_news_articles_and_skips_other_pages():
    feed = read("news-sitemap", "news_sitemap.xml")
    assert [e.url for e in feed.entries] == [
        "https://news.example.org/2026/11/30/envases-compostables-conservas.html?utm_source=sitemap",
        "https://news.example.org/2026/11/29/sensores-frio.html",
    ]
    first = feed.entries[0]
    assert first.title == "Una conservera gallega lanza envases compostables para el atún"
    assert first.language == feed.language == "es"
    assert first.published == datetime(2026, 11, 30, 7, 15, tzinfo=UTC)
    assert first.tags == ("envases", "sostenibilidad", "conservas")
    assert feed.entries[1].published == datetime(2026, 11, 29, tzinfo=UTC)


def test_eu_funding_topics_link_to_their_portal_page():
    feed = read("eu-funding", "eu_funding.json")
    first, second = feed.entries
    assert first.title == (
        "HORIZON-CL6-2026-CIRCBIO-01-04: Bio-based and compostable packaging for the food industry"
    )
    assert first.url.endswith("/topic-details/horizon-cl6-2026-circbio-01-04")
    assert first.summary.startswith("Expected outcome: Projects will demonstrate bio-based")
    assert first.published == datetime(2026, 5, 11, 22, 0, tzinfo=UTC)
    assert first.tags == (
        "HORIZON-CL6-2026-CIRCBIO-01", "packaging", "bio-based materials", "food industry",
    )  # fmt: skip
    assert first.guid == "HORIZON-CL6-2026-CIRCBIO-01-04"
    # No title in the metadata: the result's own.
    assert second.title == "LIFE-2026-SAP-ENV-ENVIRONMENT: Circular economy and quality of life"


def test_cordis_projects_from_the_semicolon_separated_file():
    feed = read("cordis", "cordis_project.csv")
    first, second = feed.entries
    assert first.title == "PACK4FISH: Compostable packaging for canned and fresh fish"
    assert first.url == "https://cordis.europa.eu/project/id/101134567"
    assert '"seal" strength' in first.summary
    assert first.published == datetime(2024, 2, 1, 10, 0, tzinfo=UTC)
    assert first.tags == ("HORIZON-CL6-2023-CIRCBIO-01-4", "HORIZON-IA", "HORIZON")
    # No update date: the start date.
    assert second.published == datetime(2023, 9, 1, tzinfo=UTC)


def test_cordis_refuses_another_csv():
    with pytest.raises(FeedError, match="not a CORDIS project file"):
        connectors.parse("cordis", b"name;city\nACME;Vigo\n")


def test_openalex_rebuilds_the_abstract_from_its_inverted_index():
    feed = read("openalex", "openalex_works.json")
    first, second = feed.entries
    assert first.url == "https://doi.org/10.1016/j.fpsl.2026.100001"
    assert first.summary == (
        "Chitosan coatings kept hake fillets fresh for nine days longer in the cold chain."
    )
    assert first.tags == ("Edible coating", "Shelf life")
    assert first.language == "en"
    # No DOI: the landing page; no abstract: no summary.
    assert second.url == "https://revista.example.org/articulo/42"
    assert (second.summary, second.language) == ("", "es")


def test_epo_publications_in_our_language_with_applicants_and_classes():
    feed = read("epo-ops", "epo_ops_search.xml")
    first, second = feed.entries
    assert first.title == "Compostable packaging for canned fish"  # English before German
    assert first.url == "https://worldwide.espacenet.com/patent/search?q=pn%3DEP4123456A1"
    assert first.summary.startswith("A compostable tray and lid")
    assert first.published == datetime(2026, 1, 21, tzinfo=UTC)
    assert first.tags == (
        "CONSERVAS DEL ATLANTICO SL [ES]", "Conservas del Atlántico, S.L.", "B65D", "A23B",
    )  # fmt: skip
    assert (second.title, second.language) == ("Envase activo para pescado fresco", "es")


def test_xml_connectors_refuse_entity_declarations():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">&b;</urlset>'
    )
    for kind in ("news-sitemap", "epo-ops"):
        with pytest.raises(FeedError, match="refused"):
            connectors.parse(kind, bomb)


@pytest.mark.parametrize(
    ("kind", "body"),
    [("news-sitemap", b"<rss/>"), ("eu-funding", b"[]"), ("openalex", b"{}"),
     ("epo-ops", b"<other/>"), ("openalex", b"not json")],
)  # fmt: skip
def test_a_document_of_another_kind_is_refused(kind, body):
    with pytest.raises(FeedError):
        connectors.parse(kind, body)


def test_the_funding_search_request_is_the_documented_multipart_post():
    content_type, body = connectors.eu_funding_request("b0undary")
    assert content_type == "multipart/form-data; boundary=b0undary"
    parts = body.decode().split("--b0undary")
    assert parts[-1] == "--\r\n" and len(parts) == 5  # three parts between the delimiters
    assert 'name="query"; filename="blob"\r\nContent-Type: application/json' in parts[1]
    assert parts[1].endswith('{"terms":{"status":["31094501","31094502"]}}]}}\r\n')
    assert parts[2].endswith('\r\n\r\n["en"]\r\n')


def test_the_epo_token_request_and_answer():
    headers, body = connectors.epo_token_request("key", "secret")
    assert headers["Authorization"] == "Basic a2V5OnNlY3JldA=="  # base64 of "key:secret"
    assert body == b"grant_type=client_credentials"
    assert connectors.epo_token(b'{"access_token": "t0k", "expires_in": "1199"}') == ("t0k", 1199)
    with pytest.raises(FeedError):
        connectors.epo_token(b'{"error": "invalid_client"}')


@pytest.fixture
def services_world(world, local_allowed):
    caches[settings.SHARED_CACHE_ALIAS].clear()
    return world


@pytest.mark.django_db
def test_a_funding_source_is_asked_by_post(services_world, feed_server):
    world = services_world
    feed_server.routes["/search-api/prod/rest/search"] = served(
        (FILES / "eu_funding.json").read_bytes(), content_type="application/json"
    )
    source = services.source_add(
        actor=None, cluster=world.cluster, name="F&T", kind="eu-funding",
        url=feed_server.url("/search-api/prod/rest/search?apiKey=SEDIA&text=food"),
    )  # fmt: skip
    source.etag = '"v1"'  # validators of an earlier answer are not sent with a POST
    report = services.source_fetch(source_row=source)
    assert report.error == "" and report.new
    sent = feed_server.requests[-1]
    assert (sent["method"], sent["path"]) == (
        "POST", "/search-api/prod/rest/search?apiKey=SEDIA&text=food",
    )  # fmt: skip
    assert sent["Content-Type"].startswith("multipart/form-data; boundary=")
    assert 'name="languages"' in sent["body"] and "If-None-Match" not in sent


@pytest.mark.django_db
def test_an_epo_source_fetches_a_token_with_the_settings_credentials(
    services_world, feed_server, settings
):
    world = services_world
    granted = []

    def token(handler):
        granted.append(handler.headers["Authorization"])
        send(handler, 200, b'{"access_token": "t0k", "token_type": "BearerToken", '
             b'"expires_in": "1199"}', Content_Type="application/json")  # fmt: skip

    feed_server.routes["/3.2/auth/accesstoken"] = token
    feed_server.routes["/3.2/rest-services/published-data/search/biblio"] = lambda h: (
        send(h, 200, (FILES / "epo_ops_search.xml").read_bytes())
        if h.headers.get("Authorization") == "Bearer t0k"
        else send(h, 401)
    )
    source = services.source_add(
        actor=None, cluster=world.cluster, name="Patents", kind="epo-ops",
        url=feed_server.url("/3.2/rest-services/published-data/search/biblio?q=ta%3Dhake"),
    )  # fmt: skip
    settings.WATCH_EPO_OPS_TOKEN_URL = feed_server.url("/3.2/auth/accesstoken")
    settings.WATCH_EPO_OPS_KEY, settings.WATCH_EPO_OPS_SECRET = "", ""
    missing = services.source_fetch(source_row=source)
    assert "WATCH_EPO_OPS_KEY" in missing.error and granted == []
    settings.WATCH_EPO_OPS_KEY, settings.WATCH_EPO_OPS_SECRET = "key", "secret"
    first = services.source_fetch(source_row=source)
    assert first.error == "" and first.new
    services.source_fetch(source_row=source)  # the token is kept while it holds
    assert granted == ["Basic a2V5OnNlY3JldA=="]
    token_request = feed_server.requests[0]
    assert (token_request["method"], token_request["body"]) == (
        "POST", "grant_type=client_credentials",
    )  # fmt: skip
    # Refused (an expired token), the next fetch asks for a new one.
    feed_server.routes["/3.2/rest-services/published-data/search/biblio"] = lambda h: send(h, 401)
    assert services.source_fetch(source_row=source).error
    feed_server.routes["/3.2/rest-services/published-data/search/biblio"] = lambda h: send(
        h, 200, (FILES / "epo_ops_search.xml").read_bytes()
    )
    assert services.source_fetch(source_row=source).error == ""
    assert len(granted) == 2


@pytest.mark.django_db
def test_workers_share_one_epo_token_through_the_shared_cache(
    services_world, feed_server, settings
):
    """Two workers' caches (two connections to the database's cache table, as two processes
    have): the second uses the token the first asked for; a token OPS refused is forgotten
    for both; a worker that finds another asking waits, then asks itself if no answer came."""
    granted = []

    def token(handler):
        granted.append(len(granted))
        answer = f'{{"access_token": "t{len(granted)}", "expires_in": "1199"}}'.encode()
        send(handler, 200, answer, Content_Type="application/json")

    feed_server.routes["/3.2/auth/accesstoken"] = token
    settings.WATCH_EPO_OPS_TOKEN_URL = feed_server.url("/3.2/auth/accesstoken")
    settings.WATCH_EPO_OPS_KEY, settings.WATCH_EPO_OPS_SECRET = "key", "secret"
    first, second = (caches.create_connection(settings.SHARED_CACHE_ALIAS) for _ in range(2))
    assert first is not second and settings.CACHES["shared"]["BACKEND"].endswith("DatabaseCache")
    assert services._epo_token(fetching.fetch, cache=first) == "t1"
    assert services._epo_token(fetching.fetch, cache=second) == "t1"
    assert granted == [0]
    services._epo_token_forget()
    assert services._epo_token(fetching.fetch, cache=second) == "t2"
    assert services._epo_token(fetching.fetch, cache=first) == "t2" and len(granted) == 2
    # Another worker is asking (its mark is in the cache) but never answers: after the fetch
    # timeout this one asks itself, and clears the mark.
    settings.WATCH_TIMEOUT_SECONDS = 1
    services._epo_token_forget()
    name = services._epo_token_name("key")
    assert first.add(f"{name}:asking", True, timeout=60)
    assert services._epo_token(fetching.fetch, cache=second) == "t3" and len(granted) == 3
    assert first.get(f"{name}:asking") is None
