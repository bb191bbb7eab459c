"""Events in the browser: a course fills, the next person joins the waiting list, and when the
first cancels the seat goes to them; the certificate's public check page in five languages. The
pages pass axe."""

import pytest
from playwright.sync_api import expect

from atclusters.core.reference import reference_load
from atclusters.events import services
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_facilities import log_in
from tests.events.conftest import at
from tests.factories import world_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def course(transactional_db):
    reference_load()
    world = world_build()
    for user in (world.rep, world.manager):
        user.set_password("pass-word-123")
        user.save()
    event = services.event_save(
        actor=None, agency=world.agency, kind="training", title="Procurement course",
        starts_at=at(4, 1, 9), ends_at=at(4, 1, 14), capacity=1, source="test",
    )  # fmt: skip
    return world, event


def test_a_freed_seat_goes_to_the_first_waiting(live_server, browser, course):
    _world, event = course
    url = f"{live_server.url}/en/events/{event.pk}/"
    rep = browser.new_context().new_page()
    log_in(rep, live_server.url, "rep")
    rep.goto(url)
    rep.get_by_role("button", name="Register").click()
    expect(rep.locator(".messages")).to_contain_text("You are registered.")
    manager = browser.new_context().new_page()
    log_in(manager, live_server.url, "manager")
    manager.goto(url)
    manager.get_by_role("button", name="Join the waiting list").click()
    expect(manager.locator("main")).to_contain_text("You are number 1 on the waiting list")
    manager.reload()
    assert serious_violations(manager) == []
    rep.get_by_role("button", name="Cancel my registration").click()
    expect(rep.locator(".messages")).to_contain_text("Registration cancelled.")
    manager.reload()
    expect(manager.locator("main")).to_contain_text("You have a seat.")


@pytest.mark.parametrize(
    ("language", "valid"),
    [("en", "This certificate is valid."), ("es", "Este certificado es válido."),
     ("gl", "Este certificado é válido."), ("pt", "Este certificado é válido."),
     ("fr", "Cette attestation est valide.")],
)  # fmt: skip
def test_the_certificate_check_page(live_server, page, course, language, valid):
    world, event = course
    registration = services.registration_create(actor=None, event=event, user=world.rep)
    session = services.session_save(
        actor=None, event=event, title="Day 1", starts_at=at(4, 1, 9), ends_at=at(4, 1, 14)
    )
    services.attendance_record(actor=None, session=session, present=[registration])
    (certificate,) = services.certificates_issue(actor=None, event=event)
    page.goto(f"{live_server.url}/{language}/verify/{certificate.code}/")
    expect(page.get_by_role("status")).to_contain_text(valid)
    assert serious_violations(page) == []
