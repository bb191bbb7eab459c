"""Chart and map text a phone can read: every label, tick and legend of the public pages' charts
and maps at least 11 CSS pixels at a 390 px wide screen, measured as drawn (the font size times
the SVG's scale on the screen; an HTML map's legend and controls at their font size), in the
five languages' pages."""

import pytest

from atclusters.core.reference import reference_load
from tests.factories import AgencyFactory, ClusterFactory, MembershipFactory
from tests.mapping.test_statistics_pages import figures_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/es/regions/ES11/portfolio/",
    "/fr/statistics/compare/?regions=ES11,PT11,ES12",
    "/gl/clusters/clusaga/",
]
SMALLEST = 11

# The drawn size of each chart text: its font size scaled by the SVG's transform to the screen
# (the length of the transform's first column: a rotated axis title keeps its scale).
DRAWN = """() => Array.from(document.querySelectorAll("svg[class$='-chart'] text"))
  .filter(text => text.getClientRects().length && text.textContent.trim())
  .map(text => ({
    text: text.textContent.trim(),
    chart: text.ownerSVGElement.getAttribute("class"),
    px: parseFloat(getComputedStyle(text).fontSize)
      * Math.hypot(text.getScreenCTM().a, text.getScreenCTM().b),
  }))"""


@pytest.fixture
def site(transactional_db):
    reference_load()
    agency = AgencyFactory(slug="igape")
    cluster = ClusterFactory(slug="clusaga", agency=agency, nuts_region_id="ES11")
    MembershipFactory(cluster=cluster)
    figures_import(name="Emprego")


@pytest.mark.parametrize("path", PAGES)
def test_chart_text_is_at_least_11_px_on_a_phone(live_server, browser, site, path):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}{path}", timeout=120_000)  # the portfolio is slow on a busy CI
    drawn = page.evaluate(DRAWN)
    assert drawn, "no chart text on the page"
    small = [(d["chart"], d["text"], round(d["px"], 1)) for d in drawn if d["px"] < SMALLEST - 0.05]
    assert small == []


# The choropleths' legend and note (SVG text, scaled like the charts'), and the text of the
# Leaflet map's legend and controls (HTML, at its font size).
MAP_DRAWN = """() => [
  ...Array.from(document.querySelectorAll("svg.choropleth text"))
    .filter(text => text.getClientRects().length && text.textContent.trim())
    .map(text => ({
      text: text.textContent.trim(),
      map: "choropleth",
      px: parseFloat(getComputedStyle(text).fontSize)
        * Math.hypot(text.getScreenCTM().a, text.getScreenCTM().b),
    })),
  ...Array.from(document.querySelectorAll("#map *"))
    .filter(el => !(el instanceof SVGElement) && el.getClientRects().length
      && Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()))
    .map(el => ({
      text: el.textContent.trim().slice(0, 40),
      map: "leaflet",
      px: parseFloat(getComputedStyle(el).fontSize),
    })),
]"""


@pytest.mark.parametrize("path", ["/fr/statistics/categories/A/", "/es/map/"])
def test_map_text_is_at_least_11_px_on_a_phone(live_server, browser, site, path):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}{path}", timeout=120_000)
    if path.endswith("/map/"):
        page.wait_for_selector("#map[data-ready=true] .map-legend")
    drawn = page.evaluate(MAP_DRAWN)
    assert drawn, "no map text on the page"
    small = [(d["map"], d["text"], round(d["px"], 1)) for d in drawn if d["px"] < SMALLEST - 0.05]
    assert small == []
    # the map scrolls inside its container; the page itself does not
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
