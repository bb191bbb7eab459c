"""Organisers change and remove what they created: an event, its sessions, speakers, ticket
types and questions, a meeting's decisions — with the rules that keep what was given on their
strength (seats taken, answers given, attendance taken), every change audited."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from atclusters.core.errors import DomainError
from atclusters.core.models import AuditEntry
from atclusters.core.permissions import PermissionDenied
from atclusters.events import services
from atclusters.events.models import Decision, Event, Question, Session, Speaker, TicketType
from tests.events.conftest import at
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _entries(model: str, pk: int) -> list[str]:
    return list(
        AuditEntry.objects.filter(model=model, object_pk=str(pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_an_event_keeps_its_seats_taken_sessions_and_scheduled_slots(
    world, events, django_capture_on_commit_callbacks
):
    training = events.training  # capacity 2, three sessions on 1–3 April
    people = [UserFactory() for _ in range(3)]
    for person in people:
        services.registration_create(actor=person, event=training, user=person)
    values = {
        "agency": world.agency, "kind": "training", "title": "Procurement II",
        "starts_at": training.starts_at, "ends_at": training.ends_at, "capacity": 2,
    }  # fmt: skip
    with pytest.raises(DomainError) as raised:
        services.event_save(actor=world.staff, event=training, **values | {"capacity": 1})
    assert (raised.value.field, str(raised.value.message)) == (
        "capacity",
        "2 people have a seat: it cannot be fewer",
    )
    with pytest.raises(DomainError) as raised:
        services.event_save(actor=world.staff, event=training, **values | {"ends_at": at(4, 2, 9)})
    assert raised.value.field == "starts_at"
    with pytest.raises(PermissionDenied):
        services.event_save(actor=world.rep, event=training, **values)
    # One more seat: the background job gives it to the first waiting.
    with django_capture_on_commit_callbacks(execute=True):
        services.event_save(actor=world.staff, event=training, **values | {"capacity": 3})
    training.refresh_from_db()
    assert (training.title, training.capacity) == ("Procurement II", 3)
    assert training.registrations.get(user=people[2]).status == "confirmed"
    assert _entries("events.event", training.pk) == ["create", "update"]
    with pytest.raises(DomainError) as raised:
        services.event_remove(actor=world.staff, event=training)
    assert raised.value.field == "event"


def test_a_slot_holding_a_b2b_meeting_stays(world, events):
    conference = events.conference
    slots = conference.b2b_slots
    profiles = []
    for user, organisation in ((world.rep, world.member), (world.manager, world.outsider)):
        seat = services.registration_create(actor=None, event=conference, user=user)
        profiles.append(
            services.b2b_profile_save(
                actor=None, registration=seat, organisation=organisation, available=slots[1:]
            )
        )
    request = services.b2b_request_create(
        actor=world.rep, requester=profiles[0], recipient=profiles[1]
    )
    services.b2b_request_answer(actor=world.manager, request=request, accept=True)
    services.b2b_schedule(actor=world.staff, event=conference)
    values = {
        "agency": world.agency, "kind": "conference", "title": conference.title,
        "starts_at": conference.starts_at, "ends_at": conference.ends_at, "capacity": 100,
        "b2b_tables": 1,
    }  # fmt: skip
    with pytest.raises(DomainError) as raised:
        services.event_save(actor=world.staff, event=conference, **values, b2b_slots=slots[:1])
    assert str(raised.value.message) == f"meetings are scheduled in {slots[1]}"
    services.event_save(actor=world.staff, event=conference, **values, b2b_slots=slots[1:])
    assert Event.objects.get(pk=conference.pk).b2b_slots == slots[1:]


def test_an_event_nobody_registered_for_is_removed_with_its_parts(world, events):
    conference, key = events.conference, events.conference.pk
    services.speaker_save(actor=world.staff, event=conference, name="Ana")
    with pytest.raises(PermissionDenied):
        services.event_remove(actor=world.rep, event=conference)
    services.event_remove(actor=world.staff, event=conference)
    assert not Event.objects.filter(pk=key).exists()
    assert not Speaker.objects.filter(event_id=key).exists()
    assert _entries("events.event", key) == ["create", "delete"]


def test_a_ticket_with_registrations_is_closed_not_removed(world, events):
    conference = events.conference
    full = services.ticket_type_save(
        actor=world.staff, event=conference, name="Full", price_eur=Decimal(120), capacity=2
    )
    day = services.ticket_type_save(actor=world.staff, event=conference, name="Day")
    services.registration_create(actor=world.rep, event=conference, user=world.rep, ticket=full)
    changed = services.ticket_type_save(
        actor=world.staff, event=conference, ticket=full, name="Full pass",
        price_eur=Decimal(150), capacity=1,
    )  # fmt: skip
    assert (changed.pk, changed.name, changed.price_eur) == (full.pk, "Full pass", 150)
    # The price given at registration stays on record.
    assert conference.registrations.get(user=world.rep).price_eur == Decimal(120)
    with pytest.raises(DomainError) as raised:
        services.ticket_type_remove(actor=world.staff, ticket=full)
    assert raised.value.field == "ticket"
    closed = services.ticket_type_close(actor=world.staff, ticket=full)
    assert closed.sales_end is not None and closed.sales_end <= timezone.now()
    with pytest.raises(DomainError) as raised:
        services.registration_create(
            actor=world.manager, event=conference, user=world.manager, ticket=full
        )
    assert raised.value.field == "ticket"
    services.ticket_type_remove(actor=world.staff, ticket=day)
    assert list(TicketType.objects.filter(event=conference)) == [full]
    with pytest.raises(PermissionDenied):
        services.ticket_type_remove(actor=world.rep, ticket=full)


def test_an_answered_question_keeps_its_kind_and_the_choices_chosen(world, events):
    conference = events.conference
    size = services.question_save(
        actor=world.staff, event=conference, label="T-shirt", kind="choice", choices="S\nM\nL"
    )
    services.registration_create(
        actor=world.rep, event=conference, user=world.rep, answers={str(size.pk): "M"}
    )
    edit = {"actor": world.staff, "event": conference, "question": size, "label": "Size"}
    with pytest.raises(DomainError) as raised:
        services.question_save(**edit, kind="text")
    assert raised.value.field == "kind"
    with pytest.raises(DomainError) as raised:
        services.question_save(**edit, kind="choice", choices="S\nL")
    assert str(raised.value.message) == "“M” was chosen already: keep it"
    services.question_save(**edit, kind="choice", choices="S\nM\nXL", required=True)
    size.refresh_from_db()
    assert (size.label, size.choice_list(), size.required) == ("Size", ["S", "M", "XL"], True)
    with pytest.raises(DomainError):
        services.question_remove(actor=world.staff, question=size)
    unanswered = services.question_save(actor=world.staff, event=conference, label="Dinner?")
    services.question_remove(actor=world.staff, question=unanswered)
    assert list(Question.objects.filter(event=conference)) == [size]


def test_a_session_with_attendance_stays_and_a_speaker_leaves_its_sessions(world, events):
    training = events.training
    first, second, third = training.sessions.all()
    seat = services.registration_create(actor=world.rep, event=training, user=world.rep)
    services.attendance_record(actor=world.staff, session=first, present=[seat])
    with pytest.raises(DomainError) as raised:
        services.session_remove(actor=world.staff, session=first)
    assert raised.value.field == "session"
    speaker = services.speaker_save(actor=world.staff, event=training, name="Ana")
    services.session_save(
        actor=world.staff, event=training, session=second, title="Day 2: tenders",
        starts_at=at(4, 2, 10), ends_at=at(4, 2, 13), speakers=[speaker],
    )  # fmt: skip
    second.refresh_from_db()
    assert (second.title, second.starts_at, list(second.speakers.all())) == (
        "Day 2: tenders",
        at(4, 2, 10),
        [speaker],
    )
    with pytest.raises(DomainError) as raised:
        services.session_save(
            actor=world.staff, event=events.conference, session=second, title="Moved",
            starts_at=at(5, 6, 10), ends_at=at(5, 6, 11),
        )  # fmt: skip
    assert raised.value.field == "event"
    services.speaker_remove(actor=world.staff, speaker=speaker)
    assert list(second.speakers.all()) == []
    services.session_remove(actor=world.staff, session=third)
    assert list(Session.objects.filter(event=training)) == [first, second]


def test_decisions_are_corrected_and_removed_keeping_the_others_numbers(world, events):
    meeting = events.meeting
    first, second, third = (
        services.decision_add(actor=world.manager, meeting=meeting, text=text)
        for text in ("Budget", "Fair", "Report")
    )
    services.decision_change(actor=world.manager, decision=second, text="Fair in Vigo")
    with pytest.raises(PermissionDenied):
        services.decision_remove(actor=world.rep, decision=first)
    key = first.pk
    services.decision_remove(actor=world.manager, decision=first)
    fourth = services.decision_add(actor=world.staff, meeting=meeting, text="Next")
    assert [(d.number, d.text) for d in Decision.objects.filter(meeting=meeting)] == [
        (2, "Fair in Vigo"),
        (3, "Report"),
        (4, "Next"),
    ]
    assert fourth.number == 4 and third.number == 3
    assert _entries("events.decision", key) == ["create", "delete"]


def test_organisers_edit_and_remove_on_the_event_page(login, world, events):
    conference = events.conference
    client = login(world.staff)
    client.post(
        reverse("events_ticket_add", args=[conference.pk]),
        {"name": "Full", "price_eur": "120", "sales_end": "2030-05-01T18:00"},
    )
    ticket = TicketType.objects.get(event=conference)
    # Times are read in the event's zone (Madrid: UTC+2 in May).
    assert ticket.sales_end == at(5, 1, 18)
    edit = reverse("events_ticket_edit", args=[conference.pk, ticket.pk])
    page = client.get(edit)
    assert 'value="2030-05-01T18:00"' in page.text and 'value="Full"' in page.text
    response = client.post(edit, {"name": "Full pass", "price_eur": "90", "capacity": "0"})
    assert response.status_code == 200  # at least 1 seat: the form says so
    response = client.post(edit, {"name": "Full pass", "price_eur": "90"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.name, ticket.price_eur, ticket.sales_end) == ("Full pass", 90, None)
    detail = client.get(reverse("events_event", args=[conference.pk])).text
    assert reverse("events_ticket_remove", args=[conference.pk, ticket.pk]) in detail
    assert reverse("events_event_edit", args=[conference.pk]) in detail
    # Another event's ticket is not this event's to change.
    other = reverse("events_ticket_edit", args=[events.training.pk, ticket.pk])
    assert client.get(other).status_code == 404
    assert login(world.rep).post(edit, {"name": "Mine", "price_eur": "0"}).status_code == 403
    client = login(world.staff)
    client.post(reverse("events_ticket_remove", args=[conference.pk, ticket.pk]))
    assert not TicketType.objects.filter(pk=ticket.pk).exists()
    page = client.get(reverse("events_event_edit", args=[conference.pk]))
    assert "2030-05-06 15:00\n2030-05-06 15:20" in page.text
    key = conference.pk
    response = client.post(reverse("events_event_remove", args=[key]))
    assert response.status_code == 302
    assert not Event.objects.filter(pk=key).exists()
