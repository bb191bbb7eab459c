"""The events flows in the browser: register with a ticket and a question → the badge with its
QR code → the staff's check-in scan, in five languages; a B2B meeting request → accepted →
scheduled → in the requester's schedule. The pages pass axe."""

import pytest
from playwright.sync_api import expect

from atclusters.core.reference import reference_load
from atclusters.events import services
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_facilities import log_in
from tests.events.conftest import at
from tests.factories import world_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLOTS = ["2030-05-06T15:00+02:00", "2030-05-06T15:20+02:00"]


@pytest.fixture
def conference(transactional_db):
    reference_load()
    world = world_build()
    for user in (world.rep, world.manager, world.staff):
        user.set_password("pass-word-123")
        user.save()
    world.rep.first_name, world.rep.last_name = "Rosa", "Pereira"
    world.rep.save()
    event = services.event_save(
        actor=None, agency=world.agency, kind="conference", title="Atlantic conference",
        starts_at=at(5, 6, 9), ends_at=at(5, 6, 19), capacity=100, b2b_slots=SLOTS,
        b2b_tables=2, source="test",
    )  # fmt: skip
    return world, event


@pytest.mark.parametrize("language", ["en", "es", "gl", "pt", "fr"])
def test_register_with_a_ticket_then_the_badge_is_scanned_at_the_door(
    live_server, browser, conference, language
):
    _world, event = conference
    ticket = services.ticket_type_save(actor=None, event=event, name="Full pass", price_eur=120)
    dinner = services.question_save(
        actor=None, event=event, label="Dinner?", kind="yesno", required=True
    )
    rep = browser.new_context().new_page()
    log_in(rep, live_server.url, "rep")
    rep.goto(f"{live_server.url}/{language}/events/{event.pk}/")
    rep.check(f"input[name=ticket][value='{ticket.pk}']")
    rep.check(f"input[name=question_{dinner.pk}][value=yes]")
    assert serious_violations(rep) == []
    rep.click("form[action$='/register/'] button[type=submit]")
    expect(rep.locator(".messages")).to_be_visible()
    rep.click("a[href*='/badge/']")
    expect(rep.locator("svg.qr")).to_be_visible()
    code = rep.locator(".badge-code").inner_text().strip()
    assert len(code) == 10
    assert serious_violations(rep) == []
    staff = browser.new_context().new_page()
    log_in(staff, live_server.url, "staff")
    staff.goto(f"{live_server.url}/{language}/events/{event.pk}/check-in/")
    # A scanner types the code and presses Enter.
    staff.fill("#code", code)
    staff.press("#code", "Enter")
    expect(staff.get_by_role("status")).to_contain_text("Rosa Pereira")
    assert serious_violations(staff) == []
    staff.fill("#code", code)
    staff.press("#code", "Enter")
    expect(staff.get_by_role("alert")).to_be_visible()  # checked in already


# A camera that sees a badge: Chromium on Linux has no BarcodeDetector and the test machine no
# camera, so both are stood in for (the page's own script runs unchanged).
CAMERA = """
window.BarcodeDetector = class {
  detect() { return Promise.resolve([{ rawValue: "%s" }]); }
};
navigator.mediaDevices.getUserMedia = () =>
  Promise.resolve(document.createElement("canvas").captureStream());
"""


def test_the_check_in_page_scans_a_badge_with_the_camera_where_the_browser_can(
    live_server, browser, conference
):
    world, event = conference
    seat = services.registration_create(actor=None, event=event, user=world.rep, source="test")
    plain = browser.new_context().new_page()
    log_in(plain, live_server.url, "staff")
    plain.goto(f"{live_server.url}/en/events/{event.pk}/check-in/")
    # No BarcodeDetector: no camera button, the code is typed.
    expect(plain.locator("#camera-start")).to_be_hidden()
    context = browser.new_context()
    context.add_init_script(CAMERA % seat.badge_code)
    staff = context.new_page()
    log_in(staff, live_server.url, "staff")
    staff.goto(f"{live_server.url}/en/events/{event.pk}/check-in/")
    assert serious_violations(staff) == []
    staff.get_by_role("button", name="Scan with the camera").click()
    expect(staff.get_by_role("status")).to_contain_text("Welcome, Rosa Pereira.")
    # The camera stays on for the next badge, and the one just admitted is not sent again.
    expect(staff.locator("#camera")).to_be_visible()
    staff.wait_for_timeout(600)
    expect(staff.get_by_role("status")).to_contain_text("Welcome, Rosa Pereira.")
    seat.refresh_from_db()
    assert seat.checked_in_at is not None


def test_a_b2b_request_accepted_and_scheduled_is_in_the_schedule(live_server, browser, conference):
    world, event = conference
    for user, organisation in ((world.rep, world.member), (world.manager, world.outsider)):
        registration = services.registration_create(
            actor=None, event=event, user=user, organisation=organisation, source="test"
        )
        services.b2b_profile_save(
            actor=None, registration=registration, organisation=organisation, available=SLOTS,
            source="test",
        )  # fmt: skip
    url = f"{live_server.url}/en/events/{event.pk}/b2b/"
    rep = browser.new_context().new_page()
    log_in(rep, live_server.url, "rep")
    rep.goto(url)
    rep.fill("input[name=message]", "Shall we talk about ports?")
    rep.get_by_role("button", name="Request a meeting").click()
    expect(rep.locator(".messages")).to_contain_text("Meeting request sent.")
    manager = browser.new_context().new_page()
    log_in(manager, live_server.url, "manager")
    manager.goto(url)
    expect(manager.locator("main")).to_contain_text("Shall we talk about ports?")
    manager.get_by_role("button", name="Accept").click()
    expect(manager.locator(".messages")).to_contain_text("Answer recorded.")
    staff = browser.new_context().new_page()
    log_in(staff, live_server.url, "staff")
    staff.goto(url)
    staff.get_by_role("button", name="Schedule the accepted meetings").click()
    expect(staff.locator(".messages")).to_contain_text("Scheduled 1 of 1 accepted meetings")
    rep.reload()
    schedule = rep.locator("table").first
    expect(schedule).to_contain_text(world.outsider.name)
    expect(schedule).to_contain_text("2030-05-06 15:00")
    assert serious_violations(rep) == []
