"""No Content-Security-Policy violation, before or after htmx swaps: the directory's filters, the
pickers, the state-aid check's result, the cluster map and its legend."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_stateaid import log_in, register  # noqa: F401  (fixture)
from tests.factories import AgencyFactory, ClusterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every violation the page reports, whatever reports it (console messages differ by browser).
RECORD = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


def test_public_swaps_break_no_policy(live_server, page, register):  # noqa: F811
    ClusterFactory(slug="galego", name="Clúster galego", agency=AgencyFactory(), country_id="ES")
    page.add_init_script(RECORD)
    page.goto(f"{live_server.url}/es/clusters/")
    page.fill("#id_search", "gal")
    page.wait_for_url("**/es/clusters/?*search=gal*")
    page.locator("#id_country").focus()
    page.keyboard.type("espa")
    page.wait_for_selector("#id_country-listbox [data-value=ES]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/es/clusters/?*country=ES*")
    expect(page.locator("#results")).to_contain_text("Clúster galego")
    page.go_back()
    page.wait_for_url("**/es/clusters/?*search=gal*")
    # Back reloads the whole page (htmx keeps no history snapshots): let that load end, or the
    # next navigation is aborted by it.
    expect(page.locator("#id_country")).to_have_value("")
    expect(page.locator("#id_search")).to_have_value("gal")
    page.wait_for_load_state("load")
    page.goto(f"{live_server.url}/es/map/")
    expect(page.locator("#map[data-ready=true]")).to_be_attached()
    expect(page.locator(".map-legend li").first).to_be_visible()
    assert violations(page) == []


def test_the_state_aid_check_swap_breaks_no_policy(live_server, page, register):  # noqa: F811
    page.add_init_script(RECORD)
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/en/state-aid/check/")
    page.locator("#id_undertaking").focus()
    page.keyboard.type("conservas")
    page.wait_for_selector("#id_undertaking-listbox [data-value=B15000001]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("input[name=undertaking]").input_value() == "B15000001"
    page.fill("input[name=grant_date]", "2026-11-02")
    page.fill("input[name=amount]", "50000")
    page.click("main form button[type=submit]")
    expect(page.locator("#check-result")).to_contain_text("Allowed")
    assert violations(page) == []


def test_the_recorder_sees_an_inline_style(live_server, page):
    """What the tests above rely on: an inline style is a reported violation."""
    page.add_init_script(RECORD)
    page.goto(f"{live_server.url}/en/about/cookies/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_function("window.__violations.length > 0")
    assert violations(page)[0].startswith("style-src")
