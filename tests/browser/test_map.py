"""The map draws the NUTS 2 regions offline and a click filters the directory."""

import re

import pytest
from playwright.sync_api import expect

from atclusters.core.reference import reference_load
from tests.factories import AgencyFactory, ClusterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHADE_FOR_ONE_CLUSTER = "#c6dbef"


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
        if shapes.nth(i).get_attribute("fill") == SHADE_FOR_ONE_CLUSTER
    )
    box = galicia.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page).to_have_url(re.compile(r"/clusters/\?region=ES11$"))
    expect(page.locator("#results")).to_contain_text("Galicia Food Cluster")
