"""Layout at 1280 and 390 px: no page wider than the screen, tables that scroll inside their
container with the first column kept in view on a phone, the profile's regional table inside its
card, the staff header on one row."""

import pytest

from atclusters.core.reference import reference_load
from tests.factories import AgencyFactory, ClusterFactory, MembershipFactory, UserFactory
from tests.mapping.test_statistics_pages import figures_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/es/clusters/",
    "/gl/clusters/clusaga/",
    "/pt/regions/ES11/portfolio/",
    "/fr/statistics/compare/?regions=ES11,PT11,ES12",
    "/en/about/cookies/",
]


@pytest.fixture
def site(transactional_db):
    reference_load()
    agency = AgencyFactory(slug="igape", name="Instituto Galego de Promoción Económica")
    agency.staff.add(UserFactory(username="ana"))
    cluster = ClusterFactory(
        slug="clusaga",
        name="Clúster Alimentario de Galicia con un nombre bastante largo",
        agency=agency,
        nuts_region_id="ES11",
    )
    MembershipFactory(cluster=cluster)
    figures_import(name="Emprego")


def widest(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("path", PAGES)
def test_nothing_wider_than_a_phone(live_server, browser, site, path):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}{path}")
    assert widest(page) <= 390
    first = page.locator("main table tr > :first-child").first
    if first.count():
        assert first.evaluate("cell => getComputedStyle(cell).position") == "sticky"
    page.close()


def test_the_profile_regional_table_stays_in_its_card(live_server, browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    page.goto(f"{live_server.url}/en/clusters/clusaga/")
    assert widest(page) <= 1280
    for table in page.locator("main .card table, main .grid table").all():
        card = table.evaluate_handle("t => t.closest('.card, .grid > *')")
        box, outer = table.bounding_box(), card.as_element().bounding_box()
        assert box["x"] + box["width"] <= outer["x"] + outer["width"] + 1
    page.close()


def test_the_staff_header_fits_one_row_at_1280(live_server, browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    page.goto(f"{live_server.url}/gl/accounts/login/")
    page.fill("input[name=login]", "ana")
    page.fill("input[name=password]", "pass-word-123")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/gl/**")
    page.goto(f"{live_server.url}/gl/clusters/")
    links = page.locator("header.top nav a")
    assert links.count() >= 8  # the staff's entries
    tops = {round(box["y"]) for box in (a.bounding_box() for a in links.all())}
    assert len(tops) == 1, tops
    page.close()
