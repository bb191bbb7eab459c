"""Cooperation in the browser: a visitor reads a cluster's partners with their reasons (abroad
and in the region) and the meta-clusters on the map; a manager posts a request, agency staff publish it, another user
expresses interest and the author sees who. The pages pass axe."""

from datetime import date

import pytest
from playwright.sync_api import expect

from atclusters.core.models import NaceActivity, Term
from atclusters.core.reference import reference_load
from atclusters.registry.models import ClusterOrganisation, CooperationAgreement
from tests.browser.test_accessibility import serious_violations
from tests.factories import AgencyFactory, ClusterFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def food_network(transactional_db):
    reference_load()
    agency = AgencyFactory(slug="igape", name="IGAPE")
    ana, marta = UserFactory(username="ana"), UserFactory(username="marta")
    UserFactory(username="pedro")
    agency.staff.add(ana)
    food = NaceActivity.objects.get(code="10", version="2")
    agrifood, _ = Term.objects.get_or_create(
        kind=Term.Kind.ECOSYSTEM, slug="agri-food", defaults={"name": "Agri-food"}
    )
    for slug, name, country, region in (
        ("clusaga", "Galicia Food Cluster", "ES", "ES11"),
        ("portugalfoods", "Portugal Foods", "PT", "PT11"),
        ("valorial", "Valorial", "FR", "FRH0"),
    ):
        cluster = ClusterFactory(
            slug=slug, name=name, agency=agency, country_id=country, nuts_region_id=region
        )
        cluster.sectors.set([food])
        cluster.ecosystems.set([agrifood])
    ClusterFactory(slug="clusaga-manager-cluster", agency=agency).managers.add(marta)
    logistics = ClusterFactory(slug="logistics", name="Galicia Logistics Cluster", agency=agency)
    logistics.sectors.set([NaceActivity.objects.get(code="52", version="2")])
    agency.clusters.get(slug="clusaga").managers.add(marta)


def log_in(page, url, username):
    page.goto(f"{url}/en/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "pass-word-123")
    page.click("main form button[type=submit]")
    expect(
        page.get_by_role("link", name="Log out").or_(page.get_by_role("button", name="Log out"))
    ).to_be_visible()


def test_partners_meta_clusters_and_partner_search(live_server, browser, food_network):
    visitor = browser.new_context().new_page()
    visitor.goto(f"{live_server.url}/en/clusters/clusaga/")
    visitor.get_by_role("link", name="Find partners").click()
    first = visitor.locator("ol.matches > li").first
    expect(first).to_contain_text("same NACE division 10")
    expect(first).to_contain_text("both in Agri-food ecosystem")
    assert serious_violations(visitor) == []
    visitor.get_by_label("synergies in my region across sectors").check()
    visitor.get_by_role("button", name="Show").click()
    first = visitor.locator("ol.matches > li").first
    expect(first).to_contain_text("Galicia Logistics Cluster")
    expect(first).to_contain_text("complementary, they supply you: logistics → food processing")
    expect(first).to_contain_text("in the same region (ES11)")
    assert serious_violations(visitor) == []
    visitor.goto(f"{live_server.url}/en/cooperation/meta-clusters/?threshold=0.25")
    group = visitor.locator("section.card").first
    expect(group).to_contain_text("Agri-food (NACE 10)")
    expect(group.locator("svg.choropleth path.class-3")).to_have_count(3)  # ES11, PT11, FRH0
    assert serious_violations(visitor) == []

    manager = browser.new_context().new_page()
    log_in(manager, live_server.url, "marta")
    manager.goto(f"{live_server.url}/en/partner-search/new/")
    manager.select_option("select[name=author]", "cluster:clusaga")
    manager.select_option("select[name=kind]", "request")
    manager.fill("input[name=title]", "Partners for recyclable seafood packaging")
    manager.fill("textarea[name=description]", "Canneries look for packaging clusters.")
    manager.select_option("select[name=target_regions]", ["PT11", "FRH0"])
    manager.get_by_role("button", name="Post", exact=True).click()
    expect(manager.locator(".messages")).to_contain_text("Agency staff will check it")
    expect(manager.locator("main")).to_contain_text("Target regions: FRH0, PT11")
    posting_url = manager.url

    staff = browser.new_context().new_page()
    log_in(staff, live_server.url, "ana")
    staff.goto(f"{live_server.url}/en/partner-search/moderation/")
    staff.get_by_role("link", name="Partners for recyclable seafood packaging").click()
    staff.get_by_role("button", name="Publish").click()
    expect(staff.locator("main")).to_contain_text("published")

    other = browser.new_context().new_page()
    log_in(other, live_server.url, "pedro")
    other.goto(posting_url)
    other.fill("#interest-message", "We make recyclable trays.")
    other.get_by_role("button", name="Express interest").click()
    expect(other.locator(".messages")).to_contain_text("The author has been told")

    manager.reload()
    expect(manager.locator("main")).to_contain_text("pedro")
    expect(manager.locator("main")).to_contain_text("We make recyclable trays.")
    assert serious_violations(manager) == []


def test_the_cooperation_network_zooms_and_shows_a_partys_links(live_server, browser, food_network):
    clusters = {c.slug: c for c in ClusterOrganisation.objects.all()}
    igape = clusters["clusaga"].agency
    for slug, title, other in (
        ("food-iberia", "Atlantic food", clusters["portugalfoods"]),
        ("food-france", "Food France", clusters["valorial"]),
    ):
        CooperationAgreement.objects.create(
            slug=slug, title=title, type="mou", cluster_a=clusters["clusaga"], cluster_b=other,
            start=date(2024, 1, 1), owner=igape, is_public=True,
        )  # fmt: skip
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/en/cooperation/network/")
    chart = page.locator("svg.network-chart")
    expect(chart).to_have_attribute("data-interactive", "1")
    whole = chart.get_attribute("viewBox")
    page.get_by_role("button", name="Zoom in").click()
    zoomed = [float(n) for n in chart.get_attribute("viewBox").split()]
    assert zoomed[2] == pytest.approx(float(whole.split()[2]) / 1.5)
    page.get_by_role("button", name="Whole network").click()
    assert chart.get_attribute("viewBox") == whole
    # A party chosen from the keyboard: its links lit, the others dimmed, said in words.
    page.locator("g.node", has_text="Galicia Food Cluster").focus()
    page.keyboard.press("Enter")
    expect(page.locator("p.network-said")).to_have_text(
        "Links of Galicia Food Cluster (2): Portugal Foods, Valorial"
    )
    assert page.locator("path.edge.lit").count() == 2
    expect(page.locator("g.node", has_text="Valorial")).to_have_class("node lit")
    page.keyboard.press("Escape")
    expect(page.locator("p.network-said")).to_have_text("")
    assert page.locator("path.edge.lit").count() == 0
    chart.hover()
    page.mouse.wheel(0, -200)
    assert float(chart.get_attribute("viewBox").split()[2]) < float(whole.split()[2])
    assert serious_violations(page) == []
