"""The statistics pages in a browser, in the five languages: charts drawn with no console
error under the Content-Security-Policy, a chart saved as PNG, the category map leading to a
region's portfolio, the comparison form."""

import pytest

from atclusters.core.reference import reference_load
from tests.mapping.test_statistics_pages import figures_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = {
    "en": "Cluster portfolio of Galicia",
    "es": "Cartera de clústeres de Galicia",
    "gl": "Carteira de clústeres de Galicia",
    "pt": "Carteira de clusters de Galicia",
    "fr": "Portefeuille de clusters de Galicia",
}


@pytest.fixture
def statistics(transactional_db):
    reference_load()
    return figures_import(name="Employment")


def errors_of(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.mark.parametrize("language", list(TITLES))
def test_portfolio_in_every_language_and_a_chart_as_png(live_server, page, statistics, language):
    errors = errors_of(page)
    page.goto(f"{live_server.url}/{language}/regions/ES11/portfolio/")
    assert page.locator("h1").inner_text() == TITLES[language]
    assert page.locator("svg.bubble-chart circle").count() == 1
    # The small data set's 2010 covers too few regions: its point is drawn apart, unjoined.
    assert page.locator("svg.line-chart g.series-0 circle").count() == 2
    assert page.locator("svg.line-chart circle.apart").count() >= 1
    button = page.locator("button[data-png-from]").first
    assert button.is_visible()
    with page.expect_download() as download:
        button.click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    assert download.value.suggested_filename.endswith("-bubble.png")
    assert errors == []


def test_a_region_on_the_category_map_opens_its_portfolio(live_server, page, statistics):
    errors = errors_of(page)
    page.goto(f"{live_server.url}/fr/statistics/categories/A/")
    assert page.locator("svg.choropleth path.class-3").count() >= 1
    page.locator("svg.choropleth a:has(path.class-3)").first.click()
    page.wait_for_url("**/fr/regions/ES11/portfolio/**")
    assert page.locator("h1").inner_text() == TITLES["fr"]
    assert errors == []


def test_the_comparison_form_and_its_category_choice(live_server, page, statistics):
    page.goto(f"{live_server.url}/gl/statistics/")
    page.fill("#regions", "ES11, PT11, ES12")
    page.get_by_role("button", name="Comparar").click()
    page.wait_for_url("**/gl/statistics/compare/?regions=*")
    headers = page.locator("table thead th").all_inner_texts()
    assert [h.split(" (")[0] for h in headers[1:]] == ["Galicia", "Norte", "Principado de Asturias"]
    assert page.locator("svg.line-chart g.series-2").count() == 1
