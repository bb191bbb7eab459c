"""Pickers in a browser: the combobox from the keyboard, its ARIA states, axe, and several
regions picked into one field."""

import pytest

from atclusters.core.reference import reference_load
from tests.browser.test_accessibility import serious_violations
from tests.factories import ClusterFactory
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
