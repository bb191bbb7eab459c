"""A course made of modules: attendance per module, and the completion rule held in each."""

import pytest
from django.urls import reverse

from atclusters.events import rules, selectors, services
from tests.events.conftest import at

pytestmark = pytest.mark.django_db


def test_the_rule_holds_in_each_module():
    sessions = {"Tenders": 2, "Innovation": 3}
    assert rules.completed_modules(
        attended={"Tenders": 2, "Innovation": 3}, sessions=sessions, percent=80
    )
    # 4 of 5 sessions is 80 %, but 2 of 3 in one module is under it.
    assert not rules.completed_modules(
        attended={"Tenders": 2, "Innovation": 2}, sessions=sessions, percent=80
    )
    assert rules.completed_modules(attended={"": 4}, sessions={"": 5}, percent=80)
    assert not rules.completed_modules(attended={}, sessions={}, percent=80)


def test_organisers_add_modules_sessions_and_certificates_follow_each_module(login, world):
    course = services.event_save(
        actor=world.staff, agency=world.agency, kind="training", title="Procurement",
        starts_at=at(4, 1, 9), ends_at=at(4, 5, 14), capacity=5, completion_percent=50,
    )  # fmt: skip
    client = login(world.staff)
    client.post(reverse("events_speaker_add", args=[course.pk]), {"name": "Ana Pereira"})
    (trainer,) = course.speakers.all()
    for day, module in ((1, "Tenders"), (2, "Tenders"), (3, "Innovation")):
        client.post(
            reverse("events_session_add", args=[course.pk]),
            {
                "title": f"Day {day}", "module": module, "speakers": [trainer.pk],
                "starts_at": f"2030-04-0{day}T09:00", "ends_at": f"2030-04-0{day}T14:00",
            },
        )  # fmt: skip
    first, second, third = course.sessions.order_by("starts_at")
    assert (first.module, third.module) == ("Tenders", "Innovation")
    assert first.starts_at == at(4, 1, 9)  # the event's zone, Europe/Madrid
    assert list(third.speakers.all()) == [trainer]
    rep = services.registration_create(actor=world.rep, event=course, user=world.rep)
    manager = services.registration_create(actor=world.manager, event=course, user=world.manager)
    # 2 of 3 sessions each (67 % ≥ 50 %), but the manager missed the one Innovation session.
    services.attendance_record(actor=world.staff, session=first, present=[rep, manager])
    services.attendance_record(actor=world.staff, session=second, present=[manager])
    services.attendance_record(actor=world.staff, session=third, present=[rep])
    assert selectors.completers(course) == [rep]
    assert selectors.module_attendance(course)[manager.pk] == [
        ("Tenders", 2, 2),
        ("Innovation", 0, 1),
    ]
    page = client.get(reverse("events_event", args=[course.pk])).content.decode()
    assert "Module: Innovation" in page and "Innovation: 0 / 1" in page
