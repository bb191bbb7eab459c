"""Pickers in a browser: the combobox from the keyboard, its ARIA states, axe, several regions
picked into one field, and clusters picked into a select (a meeting's invitations)."""

import pytest

from atclusters.core.reference import reference_load
from tests.browser.test_accessibility import serious_violations
from tests.factories import AgencyFactory, ClusterFactory, UserFactory
from tests.mapping.test_statistics_pages import figures_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(transactional_db):
    reference_load()
    ClusterFactory(slug="galego", name="Clúster galego", country_id="ES")
    ClusterFactory(slug="breton", name="Pôle breton", country_id="FR", nuts_region_id="FRH0")
    figures_import(name="Emprego")


def test_a_country_picked_by_its_name_from_the_keyboard(live_server, page, site):
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{live_server.url}/es/clusters/")
    field = page.locator("#id_country")
    assert field.get_attribute("role") == "combobox"
    assert page.locator("label[for=id_country]").inner_text() == "País"
    field.focus()
    page.keyboard.type("alem")
    page.wait_for_selector("#id_country-listbox [role=option]")
    assert field.get_attribute("aria-expanded") == "true"
    assert page.locator("#id_country-listbox [role=option]").first.inner_text() == "Alemania DE"
    for _letter in "alem":
        page.keyboard.press("Backspace")
    page.keyboard.type("franc")
    page.wait_for_selector("#id_country-listbox [data-value=FR]")
    status = page.locator(".picker:has(#id_country) [role=status]").inner_text()
    assert status == "4 resultados: elija con las flechas."  # Francia, 3 × Francesa/es
    page.keyboard.press("ArrowDown")
    option = page.locator("#id_country-listbox [aria-selected=true]")
    assert option.get_attribute("data-value") == "FR"
    assert field.get_attribute("aria-activedescendant") == option.get_attribute("id")
    assert serious_violations(page) == []
    page.keyboard.press("Enter")
    page.wait_for_url("**/es/clusters/?*country=FR*")
    assert field.input_value() == "Francia (FR)"
    assert field.get_attribute("aria-expanded") == "false"
    results = page.locator("#results").inner_text()
    assert "Pôle breton" in results and "Clúster galego" not in results
    page.keyboard.press("Escape")
    assert errors == []


def test_a_name_typed_without_choosing_still_filters(live_server, page, site):
    page.goto(f"{live_server.url}/pt/clusters/")
    page.fill("#id_country", "Espanha")
    page.keyboard.press("Enter")
    page.wait_for_url("**/pt/clusters/?*country=Espanha*")
    results = page.locator("#results").inner_text()
    assert "Clúster galego" in results and "Pôle breton" not in results


def test_several_regions_picked_into_one_field(live_server, page, site):
    page.goto(f"{live_server.url}/gl/statistics/compare/")
    field = page.locator("#regions")
    field.focus()
    page.keyboard.type("galic")
    page.wait_for_selector("#regions-listbox [data-value=ES11]")
    page.locator("#regions-listbox [data-value=ES11]").click()
    assert field.input_value() == "ES11, "
    page.keyboard.type("nort")
    page.wait_for_selector("#regions-listbox [data-value=PT11]")
    page.locator("#regions-listbox [data-value=PT11]").click()
    assert field.input_value() == "ES11, PT11, "
    page.keyboard.press("Enter")
    page.wait_for_url("**/gl/statistics/compare/?*regions=ES11*PT11*")
    assert page.locator("table").count() >= 1


def test_clusters_invited_to_a_meeting_from_the_keyboard(live_server, page, site):
    agency = AgencyFactory(slug="igape")
    agency.staff.add(UserFactory(username="ana"))
    ClusterFactory(slug="mar", name="Clúster do mar", agency=agency, country_id="ES")
    page.goto(f"{live_server.url}/gl/accounts/login/")
    page.fill("input[name=login]", "ana")
    page.fill("input[name=password]", "pass-word-123")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.goto(f"{live_server.url}/gl/events/meetings/new/")
    field = page.locator("#id_invite_clusters")
    assert field.get_attribute("role") == "combobox"
    assert page.locator("select[name=invite_clusters]").is_hidden()  # sends what it always sent
    field.focus()
    page.keyboard.type("galego")
    page.wait_for_selector("#id_invite_clusters-listbox [data-value=galego]")
    assert "España" in page.locator("#id_invite_clusters-listbox [data-value=galego]").inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    chosen = page.locator(".picker:has(#id_invite_clusters) .picker-chosen")
    assert chosen.inner_text().startswith("Clúster galego")
    assert field.input_value() == ""
    page.keyboard.type("galego")  # once chosen, listed but not offered again
    option = page.locator("#id_invite_clusters-listbox [data-value=galego]")
    option.wait_for()
    assert option.get_attribute("aria-disabled") == "true" and "xa escollido" in option.inner_text()
    page.keyboard.press("Escape")
    page.keyboard.press("Control+A")
    page.keyboard.type("Clúster do mar")  # an exact name and Enter: chosen, the form not sent
    page.keyboard.press("Enter")
    assert chosen.locator("li").count() == 2
    assert serious_violations(page) == []
    chosen.get_by_role("button", name="Quitar: Clúster galego").click()
    assert chosen.locator("li").count() == 1
    selected = page.eval_on_selector(
        "select[name=invite_clusters]", "s => Array.from(s.selectedOptions, o => o.value)"
    )
    assert selected == ["mar"]
