"""Error pages as a reader meets them in the browser: styled like the site, in the page's
language, with a way back that works; and the icons a browser asks for."""

import pytest
from playwright.sync_api import expect

from atclusters.core.reference import reference_load
from tests.factories import AgencyFactory, ClusterFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(transactional_db):
    reference_load()
    agency = AgencyFactory(slug="igape", name="Instituto Galego de Promoción Económica")
    ClusterFactory(slug="clusaga", name="Clúster Alimentario de Galicia", agency=agency)
    UserFactory(username="xoan")  # no role


def styled(page) -> bool:
    """The site's stylesheet applies: its header is laid out as a flex row."""
    return page.locator("header.top").evaluate("h => getComputedStyle(h).display") == "flex"


def test_a_missing_page_is_the_sites_own_with_a_way_home(live_server, page, site):
    answer = page.goto(f"{live_server.url}/gl/no-such-page/at-all/")
    assert answer.status == 404
    expect(page.locator("h1")).to_have_text("Páxina non atopada")
    assert styled(page)
    page.get_by_role("link", name="Ir á páxina de inicio").click()
    page.wait_for_url(f"{live_server.url}/gl/")


def test_a_forbidden_page_says_so_in_the_readers_language(live_server, page, site):
    page.goto(f"{live_server.url}/pt/accounts/login/")
    page.fill("input[name=login]", "xoan")
    page.fill("input[name=password]", "pass-word-123")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/pt/**")
    answer = page.goto(f"{live_server.url}/pt/state-aid/")
    assert answer.status == 403
    expect(page.locator("h1")).to_have_text("Não pode utilizar esta página")
    assert styled(page)


def test_the_icons_a_browser_asks_for(live_server, page, site):
    icon = page.goto(f"{live_server.url}/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"].startswith("image/")
    manifest = page.goto(f"{live_server.url}/manifest.webmanifest")
    assert manifest.status == 200 and "atclusters" in manifest.text().lower()
