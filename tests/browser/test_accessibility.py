"""WCAG 2.1 AA checks with axe-core (shipped in the axe-playwright-python wheel) on the public
pages: no violation of serious or critical impact."""

from pathlib import Path

import axe_playwright_python
import pytest

from atclusters.core.reference import reference_load
from atclusters.registry.models import CooperationAgreement
from tests.factories import AgencyFactory, ClusterFactory, MembershipFactory, OrganisationFactory
from tests.mapping.test_statistics_pages import figures_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def serious_violations(page) -> list[str]:
    page.evaluate(AXE)  # evaluated through the DevTools protocol: the page's CSP does not apply
    result = page.evaluate("options => axe.run(document, options)", RULES)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.fixture
def site(transactional_db):
    reference_load()
    agency = AgencyFactory(name="Axencia Galega", acronym="AG")
    cluster = ClusterFactory(
        slug="clusaga",
        name="Galicia Food Cluster",
        agency=agency,
        nuts_region_id="ES11",
        latitude="42.88052",
        longitude="-8.54569",
        description_en="<p>Food industry of Galicia.</p>",
        description_es="<p>Industria alimentaria de Galicia.</p>",
    )
    MembershipFactory(
        cluster=cluster,
        organisation=OrganisationFactory(name="Conservas Ría SL"),
        listed_publicly=True,
    )
    MembershipFactory(cluster=cluster, organisation=OrganisationFactory(type="university"))
    CooperationAgreement.objects.create(
        slug="mou",
        title="Atlantic food MoU",
        type="mou",
        owner=agency,
        agency_a=agency,
        agency_b=AgencyFactory(name="Norte Agency", acronym="NA"),
        start="2024-01-01",
        is_public=True,
    )
    figures_import(name="Employment")
    return cluster


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/clusters/",
        "/clusters/clusaga/",
        "/map/",
        "/agencies/",
        "/regions/ES11/",
        "/regions/ES11/portfolio/",
        "/statistics/",
        "/statistics/compare/?regions=ES11,PT11,ES12",
        "/statistics/categories/A/",
        "/regions/ES11/opportunities/",
        "/organisations/",
        "/accounts/login/",
        "/gl/clusters/clusaga/",
        "/es/about/privacy/",
        "/fr/about/cookies/",
        "/pt/about/accessibility/",
    ],
)
def test_public_pages_have_no_serious_accessibility_violations(live_server, page, site, path):
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")
    assert serious_violations(page) == []


def test_directory_filters_work_from_the_keyboard(live_server, page, site):
    page.goto(f"{live_server.url}/clusters/")
    page.keyboard.press("Tab")  # skip link first
    assert page.evaluate("document.activeElement.className") == "skip"
    page.focus("#id_search")
    page.keyboard.type("galicia")
    page.keyboard.press("Enter")
    page.wait_for_url("**/clusters/?*search=galicia*")
    assert "Galicia Food Cluster" in page.locator("#results").inner_text()


def test_switching_language_keeps_the_page_and_its_filters(live_server, page, site):
    page.goto(f"{live_server.url}/en/clusters/?country=ES")
    page.select_option("#language", "es")
    page.wait_for_url("**/es/clusters/?country=ES")
    assert page.locator("h1").inner_text() == "Directorio de clústeres"
    assert page.locator("input[name=country]").input_value() == "ES"
    assert page.locator("#id_country").input_value() == "España (ES)"
    page.get_by_role("link", name="Galicia Food Cluster").click()
    page.wait_for_url("**/es/clusters/clusaga/")
    assert "Industria alimentaria de Galicia." in page.locator(".description").inner_text()
    assert page.locator("html").get_attribute("lang") == "es"


def test_typed_filters_survive_the_language_switch(live_server, page, site):
    page.goto(f"{live_server.url}/en/clusters/")
    page.fill("#id_search", "galicia")
    page.wait_for_url("**/en/clusters/?*search=galicia*")  # htmx pushes the filtered address
    page.select_option("#language", "pt")
    page.wait_for_url("**/pt/clusters/?*search=galicia*")
    assert page.locator("#id_search").input_value() == "galicia"


def test_back_shows_the_whole_filtered_page(live_server, page, site):
    """The page and its htmx fragment share a URL: Back must bring the page, styled, with the
    filters of its address in the fields (Vary: HX-Request, no htmx history snapshots)."""
    page.goto(f"{live_server.url}/en/clusters/")
    page.fill("#id_search", "galicia")
    page.wait_for_url("**/en/clusters/?*search=galicia*")
    page.get_by_role("link", name="Galicia Food Cluster").click()
    page.wait_for_url("**/en/clusters/clusaga/")
    page.go_back()
    page.wait_for_url("**/en/clusters/?*search=galicia*")
    page.wait_for_load_state("load")
    assert page.locator("header.top").count() == 1
    assert page.locator("h1").inner_text() == "Cluster directory"
    assert page.locator("#id_search").input_value() == "galicia"
    assert "Galicia Food Cluster" in page.locator("#results").inner_text()


SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)], ids=["desktop", "mobile"])
def test_screenshots_of_the_public_pages(live_server, browser, site, width, height):
    """Artefacts to look at (test-results/screenshots/); the pages must not scroll sideways."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in [
        ("home", "/"),
        ("directory", "/clusters/"),
        ("profile", "/clusters/clusaga/"),
        ("map", "/map/"),
        ("agencies", "/agencies/"),
        ("region", "/regions/ES11/"),
        ("portfolio", "/regions/ES11/portfolio/"),
        ("statistics", "/statistics/"),
        ("compare", "/statistics/compare/?regions=ES11,PT11,ES12"),
        ("category-map", "/statistics/categories/A/"),
        ("opportunities", "/regions/ES11/opportunities/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} is {overflow}px wider than a {width}px screen"
    context.close()
