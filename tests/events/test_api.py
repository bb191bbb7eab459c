"""Events on the REST API: what each role sees, registration with the waiting list, action
items, certificate checks, the B2B schedule; refusals answered 401/403/422."""

import pytest

from atclusters.events import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", headers=headers)


def test_meetings_by_role(client, bearer, world, events):
    assert client.get("/api/v1/events/meetings").json() == []
    assert client.get("/api/v1/events/groups").json() == []
    seen = client.get("/api/v1/events/meetings", headers=bearer("rep")).json()
    assert [m["title"] for m in seen] == ["Kick-off"]
    assert seen[0]["agenda"] == ["Welcome", "Plan"]
    assert client.get("/api/v1/events/meetings", headers=bearer("other_staff")).json() == []
    url = f"/api/v1/events/meetings/{events.meeting.pk}"
    assert client.get(url, headers=bearer("nobody")).status_code == 404


def test_action_items(client, bearer, world, events):
    url = f"/api/v1/events/meetings/{events.meeting.pk}/actions"
    body = {"title": "Write to the ministry", "owner": "rep", "due": "2030-03-20"}
    assert post(client, url, body, {}).status_code == 401
    assert post(client, url, body, bearer("rep")).status_code == 403
    created = post(client, url, body, bearer("manager"))
    assert created.status_code == 201, created.content
    action = created.json()
    status_url = f"/api/v1/events/actions/{action['id']}/status"
    assert post(client, status_url, {"status": "finished"}, bearer("rep")).status_code == 422
    closed = post(client, status_url, {"status": "done"}, bearer("rep"))
    assert closed.json()["status"] == "done"


def test_registration_and_waiting_list(
    client, bearer, world, events, django_capture_on_commit_callbacks
):
    url = f"/api/v1/events/events/{events.training.pk}/registrations"
    for user in (UserFactory(), UserFactory()):
        services.registration_create(actor=user, event=events.training, user=user)
    waiting = post(client, url, {}, bearer("rep"))
    assert waiting.status_code == 201
    assert (waiting.json()["status"], waiting.json()["waiting_position"]) == ("waiting", 1)
    assert post(client, url, {}, bearer("rep")).status_code == 422  # already registered
    listed = client.get(url, headers=bearer("staff")).json()
    assert [r["status"] for r in listed] == ["confirmed", "confirmed", "waiting"]
    assert len(client.get(url, headers=bearer("rep")).json()) == 1
    seat = listed[0]["id"]
    cancel = f"/api/v1/events/registrations/{seat}/cancel"
    assert post(client, cancel, {}, bearer("rep")).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = post(client, cancel, {}, bearer("staff")).json()
    assert cancelled["status"] == "cancelled"
    # The background job (immediate in tests) gave the freed seat to the first waiting.
    mine = client.get(url, headers=bearer("rep")).json()
    assert [(r["user"], r["status"]) for r in mine] == [("rep", "confirmed")]


def test_certificate_check_is_public(client, world, events):
    registration = services.registration_create(
        actor=world.rep, event=events.training, user=world.rep
    )
    for session in events.training.sessions.all():
        services.attendance_record(actor=world.staff, session=session, present=[registration])
    (certificate,) = services.certificates_issue(actor=world.staff, event=events.training)
    answer = client.get(f"/api/v1/events/certificates/{certificate.code.lower()}").json()
    assert answer["valid"] is True and answer["event"] == "Procurement course"
    assert client.get("/api/v1/events/certificates/NOPE").status_code == 404


def test_b2b_schedule_is_for_organisers(client, bearer, world, events):
    url = f"/api/v1/events/events/{events.conference.pk}/b2b-schedule"
    assert post(client, url, {}, bearer("rep")).status_code == 403
    answer = post(client, url, {}, bearer("staff")).json()
    assert answer["held"] == 0 and answer["requested"] == 0
    assert "ejection" in answer["method"] or answer["method"] == "greedy first-fit"


def test_attendance_check_in_and_programme(client, bearer, world, events):
    registration = services.registration_create(
        actor=world.rep, event=events.training, user=world.rep
    )
    session = events.training.sessions.first()
    url = f"/api/v1/events/events/{events.training.pk}/sessions/{session.pk}/attendance"
    put = lambda body, headers: client.put(  # noqa: E731
        url, body, content_type="application/json", headers=headers
    )
    assert put({"present": ["rep"]}, bearer("rep")).status_code == 403
    assert put({"present": ["ghost"]}, bearer("staff")).status_code == 422
    assert put({"present": ["rep"]}, bearer("staff")).json()["present"] == ["rep"]
    assert list(session.attendees.all()) == [registration]
    door = f"/api/v1/events/events/{events.training.pk}/check-in"
    admitted = post(client, door, {"code": registration.badge_code}, bearer("staff"))
    assert admitted.status_code == 200 and admitted.json()["user"] == "rep"
    again = post(client, door, {"code": registration.badge_code}, bearer("staff"))
    assert again.status_code == 422 and "code" in again.json()["detail"]
    listed = client.get(f"/api/v1/events/events/{events.training.pk}/programme").json()
    assert [s["title"] for s in listed] == ["Day 1", "Day 2", "Day 3"]
