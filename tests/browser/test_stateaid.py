"""Agency staff check a grant before signing, record it, and find it on the company's page in
Spanish; the register's pages pass axe."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from atclusters.core.reference import reference_load
from atclusters.stateaid import services
from tests.browser.test_accessibility import serious_violations
from tests.factories import AgencyFactory, UserFactory, grant_recorded, undertaking_recorded

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def register(transactional_db):
    reference_load()
    agency = AgencyFactory(slug="igape", name="IGAPE")
    staff = UserFactory(username="ana")
    agency.staff.add(staff)
    company = undertaking_recorded("B15000001", "Conservas Ría SL")
    grant_recorded(company, "IG-2025-1", date(2025, 9, 1), 250_000)
    return company


def log_in(page, url):
    page.goto(f"{url}/en/accounts/login/")
    page.fill("input[name=login]", "ana")
    page.fill("input[name=password]", "pass-word-123")
    page.click("main form button[type=submit]")
    expect(page.get_by_role("link", name="State aid")).to_be_visible()


def test_staff_check_record_and_read_the_history(live_server, page, register):
    log_in(page, live_server.url)
    page.get_by_role("link", name="State aid").click()
    page.get_by_role("link", name="Check a grant before signing").click()
    page.fill("#id_undertaking", "B15000001")  # the picker, typed without choosing
    page.fill("input[name=grant_date]", "2026-11-02")
    page.fill("input[name=amount]", "60000")
    page.click("main form button[type=submit]")
    result = page.locator("#check-result")
    expect(result).to_contain_text("Refused")
    expect(result).to_contain_text("At most EUR 50,000.00 can be granted on Nov. 2, 2026.")
    page.fill("input[name=amount]", "50000")
    page.click("main form button[type=submit]")
    expect(result).to_contain_text("Allowed")
    page.fill("#check-result input[name=reference]", "IG-2026-7")
    page.fill("#check-result input[name=granting_authority]", "IGAPE")
    page.get_by_role("button", name="Record the grant").click()
    expect(page).to_have_url(re.compile(r"/state-aid/undertakings/B15000001/$"))
    expect(page.locator("main")).to_contain_text("IG-2026-7")
    page.goto(page.url.replace("/en/", "/es/"))
    expect(page.locator("h2").first).to_contain_text("Margen")
    assert serious_violations(page) == []


def test_register_pages_pass_axe(live_server, page, register):
    absorbed = undertaking_recorded("B15000002", "Conservas Mar SL")
    merger = services.merger_record(
        actor=None, absorbing=register, absorbed=absorbed, on=date(2025, 10, 1)
    )
    log_in(page, live_server.url)
    for path in (
        "/en/state-aid/",
        "/en/state-aid/check/?undertaking=B15000001",
        "/en/state-aid/undertakings/B15000001/",
        f"/en/state-aid/restructurings/{merger.pk}/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert serious_violations(page) == [], path
