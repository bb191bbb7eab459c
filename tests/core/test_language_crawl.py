"""Walks the public site under /es/, /gl/, /pt/ and /fr/ and fails on English left on a page.

English is recognised by words that are English and no word of the four other languages (the,
with, which, ...) and by the interface's own English words (Search, Members, ...). What the
platform shows as data — names of clusters, organisations, agencies, datasets, regions — is
taken out of the page first: those are proper names, not interface text.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest

from atclusters.core.models import Agency, NaceActivity, NutsRegion
from atclusters.core.reference import nuts2_features
from atclusters.mapping.models import Category, Dataset
from atclusters.registry.models import ClusterOrganisation, CooperationAgreement, Organisation
from tests.factories import AgencyFactory, ClusterFactory, MembershipFactory, OrganisationFactory
from tests.mapping.test_statistics_pages import figures_import

pytestmark = pytest.mark.django_db

ENGLISH = {
    # function words of English that are not words of es, gl, pt or fr
    "the",
    "and",
    "of",
    "with",
    "from",
    "this",
    "that",
    "these",
    "those",
    "your",
    "which",
    "are",
    "has",
    "have",
    "not",
    "will",
    "been",
    "than",
    "each",
    "there",
    "their",
    "into",
    "only",
    "when",
    "where",
    "what",
    "who",
    "how",
    "does",
    "should",
    "must",
    "here",
    # the interface's own words
    "search",
    "filter",
    "filters",
    "members",
    "member",
    "region",
    "regions",
    "country",
    "year",
    "years",
    "growth",
    "employment",
    "share",
    "sectors",
    "home",
    "map",
    "statistics",
    "agencies",
    "organisations",
    "organisation",
    "events",
    "yes",
    "none",
    "page",
    "next",
    "previous",
    "sign",
    "download",
    "show",
    "export",
    "contact",
    "privacy",
    "statement",
    "accessibility",
    "notice",
    "language",
    "sort",
    "name",
    "website",
    "founded",
    "about",
    "stars",
    "strong",
    "category",
    "categories",
    "dataset",
    "source",
    "licence",
    "level",
    "compare",
    "clear",
    "apply",
    "submit",
    "more",
    "less",
    "all",
    "any",
    "new",
    "data",
    "chart",
    "legend",
    "zoom",
    "in",
    "out",
    "per",
    "cent",
    "skip",
    "main",
    "content",
}
# Words shared with a Romance language that the list above must not flag.
NOT_ENGLISH = {
    "es": set(),
    "gl": {"data"},
    "pt": {"data"},
    "fr": {
        "contact",
        "page",
        "source",
        "organisation",
        "organisations",
        "licence",
        "notice",
        "main",
    },
}
# Text in these elements is code (file columns, identifiers), the same in every language.
CODE = {"script", "style", "template", "code", "kbd", "samp"}
SEEDS = [
    "",
    "clusters/",
    "clusters/?country=ES",
    "map/",
    "agencies/",
    "organisations/",
    "statistics/",
    "statistics/compare/?regions=ES11,PT11,ES12",
    "regions/ES11/",
    "regions/ES11/portfolio/",
    "regions/ES11/opportunities/",
    "accounts/login/",
    "accounts/password/reset/",
    "partner-search/",
    "cooperation/meta-clusters/",
    "cooperation/network/",
    "cooperation/initiatives/",
    "agreements/",
    "benchmarking/policies/",
    "events/",
    "funding/",
    "services/",
    "facilities/",
    "about/legal-notice/",
    "about/privacy/",
    "about/cookies/",
    "about/accessibility/",
]
# What an agency's staff see besides (forms are read, never sent).
STAFF_SEEDS = [
    "dashboard/",
    "clusters/food/",
    "clusters/food/edit/",
    "clusters/food/members/",
    "clusters/new/",
    "organisations/new/",
    "import/",
    "benchmarking/",
    "state-aid/",
    "state-aid/check/",
    "partner-search/new/",
    "accounts/email/",
    "events/",
    "events/groups/new/",
    "events/meetings/new/",
    "watch/",
    "watch/dashboard/",
    "watch/sources/",
    "funding/",
    "funding/calls/new/",
    "services/",
    "services/manage/",
    "services/uptake/",
    "facilities/",
    "facilities/new/",
    "facilities/occupancy/",
]
PAGES_PER_LANGUAGE = 90
SKIP = re.compile(
    r"/(admin|api|static|media|i18n|accounts/logout)/|\.(csv|xlsx|pdf|json|svg)$|download="
)


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in CODE:
            self._hidden += 1
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        for name in ("title", "aria-label", "placeholder", "alt"):
            if attributes.get(name):
                self.parts.append(attributes[name])
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in CODE:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def data_names() -> list[str]:
    """Proper names and other data shown as entered, longest first (so none is cut in two)."""
    names = [
        *ClusterOrganisation.objects.values_list("name", flat=True),
        *ClusterOrganisation.objects.values_list("acronym", flat=True),
        *CooperationAgreement.objects.values_list("title", flat=True),
        *Dataset.objects.values_list("name", flat=True),
        *Dataset.objects.values_list("source", flat=True),
        *Dataset.objects.values_list("licence", flat=True),
        *Category.objects.values_list("name", flat=True),
        *NutsRegion.objects.filter(level__gt=0).values_list("name", flat=True),
        *(feature["properties"]["name"] for feature in nuts2_features()),
        # English titles that have no official translation yet (see atclusters/data/SOURCES.md)
        *NaceActivity.objects.filter(names={}).values_list("name", flat=True),
        *Agency.objects.values_list("name", flat=True),
        *Organisation.objects.values_list("name", flat=True),
    ]
    return sorted({n for n in names if n}, key=len, reverse=True)


def without_names(text: str, names: list[str]) -> str:
    for name in names:
        text = text.replace(name, " ").replace(name.replace(" - ", " — "), " ")
    return " ".join(text.split())


def english_words(text: str, language: str, names: list[str]) -> set[str]:
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", without_names(text, names))}
    return (words & ENGLISH) - NOT_ENGLISH[language]


def in_context(text: str, words: set[str]) -> list[str]:
    """Where each word stands, so a failure says which sentence to translate."""
    return [
        f"{word}: …{m.string[max(m.start() - 40, 0) : m.end() + 40]}…"
        for word in sorted(words)
        if (m := re.search(rf"\b{word}\b", text, re.IGNORECASE))
    ]


@pytest.fixture
def site(db):
    agency = AgencyFactory(name="Axencia Galega", acronym="AG")
    cluster = ClusterFactory(
        slug="clusaga",
        name="Clúster Alimentario de Galicia",
        agency=agency,
        nuts_region_id="ES11",
        latitude="42.88052",
        longitude="-8.54569",
        description_es="<p>Industria alimentaria de Galicia.</p>",
        description_gl="<p>Industria alimentaria de Galicia.</p>",
        description_pt="<p>Indústria alimentar da Galiza.</p>",
        description_fr="<p>Industrie alimentaire de Galice.</p>",
    )
    cluster.sectors.set(NaceActivity.objects.filter(version="2.1", code__in=["10", "11"]))
    MembershipFactory(
        cluster=cluster,
        organisation=OrganisationFactory(name="Conservas Ría SL"),
        listed_publicly=True,
    )
    figures_import(name="Emprego")
    return cluster


def crawl(client, language: str, seeds: list[str] = SEEDS) -> dict[str, list[str]]:
    names = data_names()
    queue = [f"/{language}/{seed}" for seed in seeds]
    seen: set[str] = set()
    found: dict[str, list[str]] = {}
    while queue and len(seen) < PAGES_PER_LANGUAGE:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or "text/html" not in response.headers["Content-Type"]:
            continue
        parser = VisibleText()
        parser.feed(response.text)
        text = " ".join(parser.parts)
        if english := english_words(text, language, names):
            found[url] = in_context(without_names(text, names), english)
        for href in parser.links:
            href = urldefrag(href).url
            parts = urlsplit(href)
            if parts.netloc or not href.startswith(f"/{language}/") or SKIP.search(parts.path):
                continue
            queue.append(href)
    return found


@pytest.mark.parametrize("language", ["es", "gl", "pt", "fr"])
def test_public_pages_have_no_english_left(client, site, language):
    found = crawl(client, language)
    assert found == {}, "\n".join(f"{url}\n  " + "\n  ".join(lines) for url, lines in found.items())


@pytest.mark.parametrize("language", ["es", "gl", "pt", "fr"])
def test_staff_pages_have_no_english_left(client, world, language):
    client.force_login(world.staff)
    found = crawl(client, language, STAFF_SEEDS)
    assert found == {}, "\n".join(f"{url}\n  " + "\n  ".join(lines) for url, lines in found.items())


def test_the_crawl_finds_english_where_it_is(client, site):
    """The detector itself: an English sentence is caught, a proper name is not."""
    names = data_names()
    assert english_words("Search the directory", "es", names) == {"search", "the"}
    assert english_words("Clúster Alimentario de Galicia · Conservas Ría SL", "es", names) == set()
