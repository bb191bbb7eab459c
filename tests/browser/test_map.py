"""The map draws the NUTS 2 regions offline and a click filters the directory."""

import re

import pytest
from playwright.sync_api import expect

from atclusters.core.reference import reference_load
from tests.factories import AgencyFactory, ClusterFactory, MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DARKEST_SHADE = "#08519c"  # the region with the most clusters
DOT = "#c2410c"


def test_map_click_filters_the_directory(live_server, page, tmp_path):
    reference_load()
    ClusterFactory(
        slug="clusaga", name="Galicia Food Cluster", agency=AgencyFactory(), nuts_region_id="ES11"
    )
    failures = []
    page.on(
        "console",
        lambda message: failures.append(message.text) if message.type == "error" else None,
    )
    page.goto(f"{live_server.url}/map/")
    expect(page.locator("#map[data-ready=true]")).to_be_attached()
    page.screenshot(path=tmp_path / "map.png")
    assert failures == []  # nothing blocked by the CSP, nothing missing, nothing from elsewhere
    shapes = page.locator("path.leaflet-interactive")
    assert shapes.count() > 300
    galicia = next(
        shapes.nth(i)
        for i in range(shapes.count())
        if shapes.nth(i).get_attribute("fill") == DARKEST_SHADE
    )
    box = galicia.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page).to_have_url(re.compile(r"/clusters/\?region=ES11$"))
    expect(page.locator("#results")).to_contain_text("Galicia Food Cluster")


def test_a_dot_opens_the_cluster_and_regions_can_be_shaded_by_members(live_server, page):
    reference_load()
    agency = AgencyFactory()
    ClusterFactory(
        slug="clusaga",
        name='Galicia <b id="planted">Food</b> Cluster',
        agency=agency,
        nuts_region_id="ES11",
        latitude="42.88052",
        longitude="-8.54569",
    )
    ClusterFactory(slug="other", name="Other", agency=agency, nuts_region_id="ES11")
    sea = ClusterFactory(slug="sea", name="Sea", agency=agency, nuts_region_id="FRH0")
    organisation = OrganisationFactory()
    MembershipFactory(cluster=sea, organisation=organisation)
    page.goto(f"{live_server.url}/map/")
    expect(page.locator("#map[data-ready=true]")).to_be_attached()

    def fills():
        shapes = page.locator("path.leaflet-interactive")
        return [shapes.nth(i).get_attribute("fill") for i in range(shapes.count())]

    by_clusters = fills()
    page.get_by_label("members").check()
    by_members = fills()
    # Galicia has two clusters and no members; Brittany one cluster with a member.
    assert by_clusters.count(DARKEST_SHADE) == 1 and by_members.count(DARKEST_SHADE) == 1
    assert by_clusters != by_members
    dot = next(
        page.locator("path.leaflet-interactive").nth(i)
        for i in range(len(by_members))
        if by_members[i] == DOT
    )
    box = dot.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator(".leaflet-tooltip")).to_contain_text('Galicia <b id="planted">Food</b>')
    assert page.locator("#planted").count() == 0  # a name is text, never markup
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page).to_have_url(re.compile(r"/en/clusters/clusaga/$"))


def test_the_map_explains_itself_in_the_reader_language(live_server, page):
    """A legend of the classes with their unit, zoom buttons and the boundaries' copyright in
    Galician; switching to members redraws the legend."""
    reference_load()
    agency = AgencyFactory()
    for n in range(5):
        ClusterFactory(slug=f"g{n}", agency=agency, nuts_region_id="ES11")
    ClusterFactory(slug="b", agency=agency, country_id="FR", nuts_region_id="FRH0")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/gl/map/")
    expect(page.locator("#map[data-ready=true]")).to_be_attached()
    legend = page.locator(".map-legend")
    assert legend.locator("p").inner_text() == "Clústers publicados na rexión"
    # at most five clusters: shades step by log(1 + n) / log(6), so 1 | 2–3 | 4–5 (and 0)
    assert [t.strip() for t in legend.locator("li").all_inner_texts()] == ["0", "1", "2–3", "4–5"]
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "Achegar"
    assert page.locator(".leaflet-control-zoom-out").get_attribute("title") == "Afastar"
    assert (
        "Límites administrativos © EuroGeographics"
        in page.locator(".leaflet-control-attribution").inner_text()
    )
    page.locator("input[name=measure][value=members]").check()
    assert legend.locator("p").inner_text() == "Membros dos clústers da rexión"
    assert errors == []
