"""axe on every kind of page a visitor and an agency's staff can reach by following links from
the home page: no violation of serious or critical impact (WCAG 2.1 A and AA), and no
Content-Security-Policy violation (an inline style or script the policy blocks). One page per
named URL, so that a new page is checked as soon as something links to it."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import translation

from tests.browser.test_accessibility import serious_violations, site  # noqa: F401 (fixture)
from tests.browser.test_csp_swaps import RECORD, violations
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Files, feeds and endpoints that are not pages; logging out would end the crawl.
NOT_PAGES = (".csv", ".xlsx", ".pdf", ".ics", ".svg", ".png", ".json", ".xml", ".zip", ".geojson")
SKIPPED_PREFIXES = ("/static/", "/media/", "/api/", "/admin/", "/accounts/logout")
LIMIT = 120
# Every link's address, SVG links included (their `href` is not a string).
LINKS = "as => as.map(a => new URL(a.getAttribute('href'), document.baseURI).href)"


def page_key(path: str) -> str | None:
    """The named URL a path resolves to (one visit each), or None for what is not a page."""
    if path.lower().endswith(NOT_PAGES) or any(p in path for p in SKIPPED_PREFIXES):
        return None
    prefix = path.split("/")[1]
    language = prefix if prefix in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    try:
        with translation.override(language):  # i18n URLs resolve in their own language
            return resolve(path).view_name
    except Resolver404:
        return None


def crawl(page, base: str, start: str) -> dict[str, list[str]]:
    """Visits each kind of page once, breadth first from `start`; the violations by path."""
    page.add_init_script(RECORD)
    queue, seen, found = [start], set(), {}
    while queue and len(seen) < LIMIT:
        path = queue.pop(0)
        key = page_key(urlsplit(path).path)
        if key is None or key in seen:
            continue
        seen.add(key)
        response = page.goto(f"{base}{path}")
        if response is None or response.status != 200:
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        page.wait_for_load_state("networkidle")
        # The policy's violations first: axe, injected afterwards, is not the page's own code.
        problems = [f"CSP {blocked}" for blocked in violations(page)] + serious_violations(page)
        if problems:
            found[path] = problems
        for href in page.eval_on_selector_all("a[href]", LINKS):
            link = urlsplit(href)
            if f"{link.scheme}://{link.netloc}" == base:
                queue.append(link.path + (f"?{link.query}" if link.query else ""))
    assert len(seen) > 20, seen  # the crawl reached the site, not only its home page
    return found


def test_every_public_page_kind_passes_axe_and_the_csp(live_server, page, site):  # noqa: F811
    assert crawl(page, live_server.url, "/en/") == {}


def test_every_page_kind_of_an_agencys_staff_passes_axe_and_the_csp(live_server, page, site):  # noqa: F811
    staff = UserFactory(username="ana")
    site.agency.staff.add(staff)
    page.goto(f"{live_server.url}/es/accounts/login/")
    page.fill("input[name=login]", "ana")
    page.fill("input[name=password]", "pass-word-123")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/es/**")
    assert crawl(page, live_server.url, "/es/") == {}
