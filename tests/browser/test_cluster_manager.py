"""A cluster manager logs in, edits the profile, adds a member and sees the composition update."""

import re

import pytest
from playwright.sync_api import expect

from atclusters.core.reference import reference_load
from tests.factories import (
    AgencyFactory,
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(transactional_db):
    reference_load()
    agency = AgencyFactory(slug="igape")
    manager = UserFactory(username="maria")
    cluster = ClusterFactory(slug="clusaga", name="Galicia Food Cluster", agency=agency)
    cluster.managers.add(manager)
    MembershipFactory(cluster=cluster, organisation=OrganisationFactory(name="Conservas Ría SL"))
    other = ClusterFactory(slug="sea", name="Sea Cluster", agency=agency)
    MembershipFactory(
        cluster=other,
        organisation=OrganisationFactory(
            name="Universidade Atlántica", type="university", size_class=""
        ),
    )
    return cluster


def test_manager_edits_profile_and_adds_member(live_server, page, setup):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "maria")
    page.fill("input[name=password]", "pass-word-123")
    page.click("main form button[type=submit]")
    expect(page.get_by_role("link", name="My work")).to_be_visible()

    page.goto(f"{live_server.url}/clusters/clusaga/edit/")
    page.fill("input[name=city]", "Santiago de Compostela")
    page.fill("textarea[name=description_gl]", "Clúster alimentario de Galicia.")
    page.click("main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/clusters/clusaga/$"))
    expect(page.locator("main")).to_contain_text("Santiago de Compostela")

    total = page.get_by_test_id("member-total")
    expect(total).to_have_text("1")
    members = page.locator("#members")
    picker = members.locator("#id_organisation")  # the organisation picker (a select without JS)
    picker.fill("atlán")
    members.locator("#id_organisation-listbox [role=option]").first.wait_for()
    picker.press("ArrowDown")
    picker.press("Enter")
    assert picker.input_value().startswith("Universidade Atlántica")
    members.locator("input[name=since]").fill("2024-05-01")
    members.get_by_role("button", name="Add member").click()
    expect(total).to_have_text("2")
    expect(page.get_by_test_id("by-type")).to_contain_text("university: 1")
    expect(page.locator(".member-list")).to_contain_text("Universidade Atlántica")
