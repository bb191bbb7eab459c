"""Ticket types (seats, price, member price, end of sale) and custom registration questions
with their answers exported, guarded against formulas."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from atclusters.core.errors import DomainError
from atclusters.core.permissions import PermissionDenied
from atclusters.events import rules, selectors, services
from atclusters.events.models import Event, Registration
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_full_ticket_type_waits_on_its_own_and_its_freed_seat_goes_to_its_first_waiting():
    # 3 seats at the event; the "student" ticket has 1 seat of its own.
    assert rules.promotions(
        capacity=3, confirmed=1, waiting=[7, 8, 9], ticket_of={7: 2, 8: 2, 9: 1},
        ticket_free={2: 0},
    ) == [9]  # fmt: skip
    assert rules.promotions(
        capacity=3, confirmed=1, waiting=[7, 8, 9], ticket_of={7: 2, 8: 2, 9: 1},
        ticket_free={2: 1},
    ) == [7, 9]  # fmt: skip
    assert rules.price(price=Decimal(120), member_price=Decimal(60), member=True) == 60
    assert rules.price(price=Decimal(120), member_price=None, member=True) == 120
    assert rules.price(price=Decimal(120), member_price=Decimal(60), member=False) == 120


def test_ticket_seats_member_price_and_answers(world, events, django_capture_on_commit_callbacks):
    conference = events.conference
    student = services.ticket_type_save(
        actor=world.staff, event=conference, name="Student", price_eur=Decimal("40"),
        member_price_eur=Decimal("10"), capacity=1,
    )  # fmt: skip
    services.ticket_type_save(actor=world.staff, event=conference, name="Full", price_eur=120)
    dinner = services.question_save(
        actor=world.staff, event=conference, label="Dinner?", kind="yesno", required=True
    )
    size = services.question_save(
        actor=world.staff, event=conference, label="T-shirt", kind="choice", choices="S\nM\nL\n"
    )
    answers = {str(dinner.pk): "yes", str(size.pk): "M"}
    with pytest.raises(DomainError) as raised:
        services.registration_create(actor=world.rep, event=conference, user=world.rep)
    assert raised.value.field == "ticket"
    with pytest.raises(DomainError) as raised:
        services.registration_create(
            actor=world.rep, event=conference, user=world.rep, ticket=student, answers={}
        )
    assert raised.value.field == f"question_{dinner.pk}"
    with pytest.raises(DomainError) as raised:
        services.registration_create(
            actor=world.rep, event=conference, user=world.rep, ticket=student,
            answers={**answers, str(size.pk): "XL"},
        )  # fmt: skip
    assert raised.value.field == f"question_{size.pk}"
    # The representative comes for a member of the agency's cluster: the member price.
    seat = services.registration_create(
        actor=world.rep, event=conference, user=world.rep, organisation=world.member,
        ticket=student, answers=answers,
    )  # fmt: skip
    assert (seat.status, seat.price_eur, seat.answers) == ("confirmed", Decimal("10.00"), answers)
    # The student ticket is full: the next student waits though the event has seats.
    late = services.registration_create(
        actor=world.manager, event=conference, user=world.manager, ticket=student,
        answers={str(dinner.pk): "no"},
    )  # fmt: skip
    assert (late.status, late.price_eur) == ("waiting", Decimal("40.00"))
    assert selectors.waiting_position(late) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=world.rep, registration=seat)
    late.refresh_from_db()
    assert late.status == "confirmed"
    assert [(row["ticket"].name, row["left"]) for row in selectors.ticket_types(conference)] == [
        ("Student", 0),
        ("Full", None),
    ]


def test_a_ticket_off_sale_and_organiser_only_setup(world, events):
    conference = events.conference
    closed = services.ticket_type_save(
        actor=world.staff, event=conference, name="Early bird",
        sales_end=timezone.now() - timedelta(days=1),
    )  # fmt: skip
    with pytest.raises(DomainError) as raised:
        services.registration_create(
            actor=world.rep, event=conference, user=world.rep, ticket=closed
        )
    assert str(raised.value.detail["ticket"][0]) == "is no longer on sale"
    with pytest.raises(PermissionDenied):
        services.ticket_type_save(actor=world.rep, event=conference, name="Mine")
    with pytest.raises(PermissionDenied):
        services.question_save(actor=world.rep, event=conference, label="Why?")
    with pytest.raises(DomainError) as raised:
        services.question_save(actor=world.staff, event=conference, label="Size", kind="choice")
    assert raised.value.field == "choices"


def test_the_page_asks_the_questions_and_the_export_guards_formulas(login, world, events):
    conference = events.conference
    staff = login(world.staff)
    staff.post(
        reverse("events_ticket_add", args=[conference.pk]),
        {"name": "Full pass", "price_eur": "120", "member_price_eur": "60", "capacity": "100"},
    )
    staff.post(
        reverse("events_question_add", args=[conference.pk]),
        {"label": "Company size", "kind": "text", "required": "on"},
    )
    (ticket,) = conference.ticket_types.all()
    (question,) = conference.questions.all()
    participant = UserFactory(username="visitor")
    client = login(participant)
    page = client.get(reverse("events_event", args=[conference.pk])).content.decode()
    assert "Company size" in page and "Full pass · EUR 120.00 · members EUR 60.00" in page
    refused = client.post(
        reverse("events_register", args=[conference.pk]), {"ticket": str(ticket.pk)}
    )
    assert refused.status_code == 200 and "This field is required." in refused.content.decode()
    client.post(
        reverse("events_register", args=[conference.pk]),
        {"ticket": str(ticket.pk), f"question_{question.pk}": '=HYPERLINK("http://x")'},
    )
    registration = Registration.objects.get(user=participant)
    assert registration.ticket == ticket and registration.price_eur == Decimal("120.00")
    assert login(participant).get(
        reverse("events_registrations_export", args=[conference.pk, "csv"])
    ).status_code == 403  # fmt: skip
    exported = login(world.staff).get(
        reverse("events_registrations_export", args=[conference.pk, "csv"])
    )
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert rows[0]["username"] == "visitor" and rows[0]["ticket"] == "Full pass"
    assert rows[0]["Company size"] == '\'=HYPERLINK("http://x")'
    assert exported["Content-Type"].startswith("text/csv")


def test_registration_api_with_ticket_and_answers(login, world, events):
    conference = events.conference
    ticket = services.ticket_type_save(actor=world.staff, event=conference, name="Day", price_eur=5)
    question = services.question_save(
        actor=world.staff, event=conference, label="Lunch?", kind="yesno", required=True
    )
    client = login(world.nobody)
    form = client.get(f"/api/v1/events/events/{conference.pk}/registration-form").json()
    assert form["tickets"][0]["name"] == "Day" and form["questions"][0]["kind"] == "yesno"
    url = f"/api/v1/events/events/{conference.pk}/registrations"
    refused = client.post(
        url, {"ticket": ticket.pk, "answers": {str(question.pk): "maybe"}},
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 422
    assert f"question_{question.pk}" in refused.json()["detail"]
    made = client.post(
        url, {"ticket": ticket.pk, "answers": {str(question.pk): "no"}},
        content_type="application/json",
    )  # fmt: skip
    assert made.status_code == 201
    assert made.json()["ticket"] == ticket.pk and made.json()["answers"] == {str(question.pk): "no"}


def test_staff_create_an_event_with_its_cluster_and_b2b_slots_in_its_zone(login, world):
    client = login(world.staff)
    form = {
        "agency": world.agency.pk, "kind": "conference", "title": "Atlantic days",
        "starts_at": "2030-05-06T09:00", "ends_at": "2030-05-06T19:00",
        "timezone": "Europe/Lisbon", "capacity": 80, "price_eur": "0", "visibility": "public",
        "languages": ["pt", "es"], "cluster": world.cluster.pk, "completion_percent": 80,
        "b2b_slots": "2030-05-06 15:00\n2030-05-06 15:20\n", "b2b_tables": 4,
    }  # fmt: skip
    bad = client.post(reverse("events_event_new"), {**form, "b2b_slots": "15:00"})
    assert "line 1 is not a time YYYY-MM-DD HH:MM" in bad.content.decode()
    client.post(reverse("events_event_new"), form)
    event = Event.objects.get(title="Atlantic days")
    assert event.b2b_slots == ["2030-05-06T15:00:00+01:00", "2030-05-06T15:20:00+01:00"]
    assert event.starts_at.isoformat() == "2030-05-06T08:00:00+00:00"  # 09:00 in Lisbon
    assert (event.cluster, event.languages, event.b2b_tables) == (world.cluster, ["pt", "es"], 4)
    assert login(world.rep).get(reverse("events_event_new")).status_code == 403


def test_a_ticket_needing_approval_waits_for_the_organisers(world, events):
    conference = events.conference
    guest = services.ticket_type_save(
        actor=world.staff, event=conference, name="Guest", capacity=1, approval=True
    )
    asked = services.registration_create(
        actor=world.rep, event=conference, user=world.rep, ticket=guest
    )
    other = services.registration_create(
        actor=world.manager, event=conference, user=world.manager, ticket=guest
    )
    assert (asked.status, other.status) == ("pending", "pending")
    assert selectors.confirmed_count(conference, ticket=guest) == 0
    with pytest.raises(PermissionDenied):
        services.registration_approve(actor=world.rep, registration=asked, accept=True)
    services.registration_approve(actor=world.staff, registration=asked, accept=True)
    # The guest ticket's one seat is taken: the next approved waits.
    services.registration_approve(actor=world.staff, registration=other, accept=True)
    assert (asked.status, other.status) == ("confirmed", "waiting")
    with pytest.raises(DomainError):
        services.registration_approve(actor=world.staff, registration=asked, accept=False)
    third = services.registration_create(
        actor=world.nobody, event=conference, user=world.nobody, ticket=guest
    )
    services.registration_approve(actor=world.staff, registration=third, accept=False)
    assert third.status == "cancelled"


def test_organisers_record_payments_at_the_price_given(world, events, client, bearer, login):
    conference = events.conference
    full = services.ticket_type_save(
        actor=world.staff, event=conference, name="Full", price_eur=Decimal(120),
        member_price_eur=Decimal(60),
    )  # fmt: skip
    free = services.ticket_type_save(actor=world.staff, event=conference, name="Press")
    # The rep comes for a member of the agency's cluster: the member price applies.
    member = services.registration_create(
        actor=world.rep, event=conference, user=world.rep, organisation=world.member, ticket=full
    )
    other = services.registration_create(
        actor=world.manager, event=conference, user=world.manager, ticket=full
    )
    press = services.registration_create(
        actor=world.nobody, event=conference, user=world.nobody, ticket=free
    )
    assert (member.price_eur, other.price_eur, member.payment) == (60, 120, "unpaid")
    with pytest.raises(DomainError) as raised:
        services.registration_payment_record(
            actor=world.staff, registration=member, payment="refunded"
        )
    assert str(raised.value.message) == "only a paid registration is refunded"
    with pytest.raises(DomainError) as raised:
        services.registration_payment_record(actor=world.staff, registration=press, payment="paid")
    assert raised.value.field == "payment"
    with pytest.raises(PermissionDenied):
        services.registration_payment_record(actor=world.rep, registration=member, payment="paid")
    services.registration_payment_record(actor=world.staff, registration=member, payment="paid")
    assert member.payment_recorded_at is not None
    assert selectors.payments(conference) == {"due": 120, "paid": 60, "refunded": 0}
    answer = client.post(
        f"/api/v1/events/registrations/{member.pk}/payment", {"payment": "refunded"},
        content_type="application/json", headers=bearer("staff"),
    )  # fmt: skip
    assert (answer.status_code, answer.json()["payment"]) == (200, "refunded")
    assert selectors.payments(conference) == {"due": 120, "paid": 0, "refunded": 60}
    page = login(world.staff).post(
        reverse("events_registration_payment", args=[other.pk]), {"payment": "paid"}
    )
    assert page.status_code == 302
    other.refresh_from_db()
    assert other.payment == "paid"
    text = login(world.staff).get(reverse("events_event", args=[conference.pk])).text
    assert (
        "EUR 120.00 paid, EUR 0.00 still due from confirmed participants, EUR 60.00 refunded"
        in text
    )
    assert "member price" in text
    rows = list(csv.DictReader(io.StringIO(
        login(world.staff).get(
            reverse("events_registrations_export", args=[conference.pk, "csv"])
        ).content.decode()
    )))  # fmt: skip
    # Decimal: SQLite gives 60, PostgreSQL 60.00.
    assert [(r["username"], Decimal(r["price_eur"]), r["payment"]) for r in rows] == [
        ("rep", 60, "refunded"),
        ("manager", 120, "paid"),
        ("nobody", 0, ""),
    ]
