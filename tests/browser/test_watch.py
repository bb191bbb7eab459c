"""The watch in the browser: a cluster manager filters the inbox, opens an item, reads why it is
there, validates and rates it, and a member then finds it; the watch pages pass axe."""

import pytest
from playwright.sync_api import expect

from atclusters.core.reference import reference_load
from atclusters.watch.models import Item
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_facilities import log_in
from tests.factories import world_build
from tests.watch.factories import rss_ingested, source_added, topic_added

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def watched(transactional_db):
    reference_load()
    world = world_build()
    for user in (world.rep, world.manager):
        user.set_password("pass-word-123")
        user.save()
    topic_added(world.cluster)
    rss_ingested(source_added(world.cluster))
    return world


def test_curate_an_item_and_a_member_reads_it(live_server, browser, watched):
    manager = browser.new_context().new_page()
    log_in(manager, live_server.url, "manager")
    manager.goto(f"{live_server.url}/en/watch/")
    assert serious_violations(manager) == []
    manager.fill("input[name=min_relevance]", "75")
    manager.get_by_role("button", name="Show").click()
    title = "High-pressure processing lines become affordable for SMEs"
    expect(manager.locator("main table tbody tr")).to_have_count(1)
    manager.get_by_role("link", name=title).click()
    expect(manager.locator("main")).to_contain_text("query 40 + title 20 + terms 20")
    assert serious_violations(manager) == []
    manager.select_option("select[name=status]", "validated")
    manager.select_option("select[name=rating]", "4")
    manager.get_by_role("button", name="Save").click()
    expect(manager.locator(".messages")).to_contain_text("Saved.")
    assert Item.objects.get(title=title).rating == 4
    for path in ("sources/", "topics/", "dashboard/", "bulletins/", "subscriptions/"):
        manager.goto(f"{live_server.url}/en/watch/{path}")
        assert serious_violations(manager) == [], path
    member = browser.new_context().new_page()
    log_in(member, live_server.url, "rep")
    member.goto(f"{live_server.url}/en/watch/")
    expect(member.locator("main table tbody tr")).to_have_count(1)
    expect(member.locator("main table")).to_contain_text(title)
