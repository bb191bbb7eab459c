"""The meeting flow in the browser, in the five languages: the agency's staff create a meeting
with its agenda and invite a member's representative, who answers the invitation; the staff
see the answer, raise an action item for them, write the minutes and repeat the meeting, and
the open action is carried into the next one. Every page passes axe."""

import pytest
from playwright.sync_api import expect

from atclusters.core.reference import reference_load
from atclusters.events.models import ActionItem, Meeting, Rsvp
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_facilities import log_in
from tests.factories import world_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    reference_load()
    world = world_build()
    for user in (world.rep, world.staff):
        user.set_password("pass-word-123")
        user.save()
    world.rep.first_name, world.rep.last_name = "Rosa", "Pereira"
    world.rep.save()
    return world


@pytest.mark.parametrize("language", ["en", "es", "gl", "pt", "fr"])
def test_a_meeting_from_invitation_to_minutes_and_its_open_action_carried_over(
    live_server, browser, world, language
):
    base = f"{live_server.url}/{language}/events"
    staff = browser.new_context().new_page()
    log_in(staff, live_server.url, "staff")
    staff.goto(f"{base}/meetings/new/")
    staff.fill("#id_title", "Council")
    staff.select_option("#id_kind", "council")
    staff.select_option("#id_agency", str(world.agency.pk))
    staff.fill("#id_starts_at", "2030-06-03T10:00")
    staff.fill("#id_ends_at", "2030-06-03T12:00")
    staff.fill("#id_agenda", "Budget 2031\nTrade fair in Porto")
    staff.select_option("#id_invitees", str(world.rep.pk))
    assert serious_violations(staff) == []
    staff.click("main form button[type=submit]")
    expect(staff.locator("h1")).to_have_text("Council")
    meeting = Meeting.objects.get(title="Council")
    expect(staff.locator("ol li").first).to_have_text("Budget 2031")
    assert serious_violations(staff) == []

    rep = browser.new_context().new_page()
    log_in(rep, live_server.url, "rep")
    rep.goto(f"{base}/meetings/{meeting.pk}/")
    rep.check("input[name=answer][value=yes]")
    assert serious_violations(rep) == []
    rep.click("form[action$='/rsvp/'] button[type=submit]")
    expect(rep.locator(".messages")).to_be_visible()
    assert Rsvp.objects.get(meeting=meeting, user=world.rep).answer == "yes"

    staff.goto(f"{base}/meetings/{meeting.pk}/")
    expect(staff.locator("tbody tr", has_text="Rosa Pereira")).to_be_visible()
    staff.fill("#id_title", "Send the budget to the members")
    staff.select_option("#id_owner", str(world.rep.pk))
    staff.fill("#id_due", "2030-06-30")
    staff.click("form[action$='/actions/'] button[type=submit]")
    expect(staff.get_by_text("Send the budget to the members")).to_be_visible()
    staff.fill(
        "#id_minutes", "<p>The budget was <strong>approved</strong>.</p><script>x()</script>"
    )
    staff.click("form[action$='/minutes/'] button[type=submit]")
    expect(staff.locator(".rich strong")).to_have_text("approved")
    assert "x()" not in staff.locator(".rich").inner_html()
    assert serious_violations(staff) == []
    staff.locator("details:has(form[action$='/repeat/']) summary").click()
    staff.fill("#id_every_days", "28")
    staff.fill("#id_count", "1")
    staff.click("form[action$='/repeat/'] button[type=submit]")
    expect(staff.locator(".messages")).to_be_visible()

    following = Meeting.objects.filter(series=Meeting.objects.get(pk=meeting.pk).series).exclude(
        pk=meeting.pk
    )
    (next_meeting,) = following
    action = ActionItem.objects.get(meeting=meeting)
    rep.goto(f"{base}/meetings/{next_meeting.pk}/")
    # The open action of the first meeting, carried over to the next with its owner.
    expect(rep.get_by_text("Send the budget to the members")).to_be_visible()
    assert action.status == "open"
    assert serious_violations(rep) == []
