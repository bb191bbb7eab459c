"""The participant import with the ticket and the registration form's answers: each cell checked
as the web form checks it, a bad one named by row and column, nothing written unless the whole
file is valid; the registrations' export heads its columns the same way."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from atclusters.events import selectors, services
from atclusters.events.importers import ParticipantImporter

pytestmark = pytest.mark.django_db


@pytest.fixture
def form(world, events):
    """The conference's form: two tickets, a required yes/no question, a choice, a free text and
    a question whose text reads like the export's `email` column."""
    conference = events.conference
    services.ticket_type_save(
        actor=world.staff, event=conference, name="Full pass", price_eur=Decimal("120"),
        member_price_eur=Decimal("60"),
    )  # fmt: skip
    services.ticket_type_save(actor=world.staff, event=conference, name="Morning", price_eur=30)
    dinner = services.question_save(
        actor=world.staff, event=conference, label="Networking dinner", kind="yesno",
        required=True,
    )  # fmt: skip
    size = services.question_save(
        actor=world.staff, event=conference, label="Company size", kind="choice",
        choices="1-9\n10-49\n50+",
    )  # fmt: skip
    diet = services.question_save(actor=world.staff, event=conference, label="Dietary requirements")
    email = services.question_save(actor=world.staff, event=conference, label="Email", kind="yesno")
    return {"dinner": dinner, "size": size, "diet": diet, "email": email}


def test_import_checks_every_answer_and_writes_nothing_unless_all_are_valid(world, events, form):
    conference = events.conference
    importer = ParticipantImporter(actor=world.staff, event=conference)
    assert importer.columns == [
        "username", "organisation", "ticket", "Networking dinner", "Company size",
        "Dietary requirements", "Email (2)",
    ]  # fmt: skip
    bad = (
        "username,organisation,ticket,networking dinner,company size,dietary requirements,email (2)\n"
        "rep,member,Full pass,yes,10-49,vegetarian,no\n"
        "manager,,Gala,,500+,,\n"
        "nobody,,,maybe,,,\n"
    )
    report = importer.run(bad.encode(), "list.csv")
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "ticket", "unknown ticket 'Gala'"),
        (3, "Networking dinner", "is required"),
        (3, "Company size", "is not one of the choices"),
        (4, "Networking dinner", "answer yes or no"),
    ]
    assert not conference.registrations.exists()
    # A row whose cells are right but whose registration the service refuses: no ticket chosen.
    report = importer.run(b"username,networking dinner\nrep,yes\n", "list.csv")
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "ticket", "choose a ticket")
    ]
    assert not conference.registrations.exists()

    good = bad.replace("Gala,,500+", "morning,no,50+").replace(",maybe,", "Full pass,yes,")
    report = ParticipantImporter(actor=world.staff, event=conference).run(good.encode(), "l.csv")
    assert (report.ok, report.created) == (True, 3)
    registrations = {r.user.username: r for r in conference.registrations.all()}
    rep = registrations["rep"]
    assert (rep.ticket.name, rep.price_eur, rep.status) == (
        "Full pass",
        Decimal("60.00"),
        "confirmed",
    )
    assert rep.answers == {
        str(form["dinner"].pk): "yes", str(form["size"].pk): "10-49",
        str(form["diet"].pk): "vegetarian", str(form["email"].pk): "no",
    }  # fmt: skip
    assert registrations["manager"].ticket.name == "Morning"
    assert registrations["manager"].answers == {
        str(form["dinner"].pk): "no",
        str(form["size"].pk): "50+",
    }
    assert registrations["nobody"].price_eur == Decimal("120.00")


def test_export_heads_the_answers_as_the_import_reads_them(login, world, events, form):
    conference = events.conference
    services.registration_create(
        actor=world.staff, event=conference, user=world.rep, organisation=world.member,
        ticket=conference.ticket_types.get(name="Morning"),
        answers={str(form["dinner"].pk): "no", str(form["email"].pk): "yes"},
    )  # fmt: skip
    columns, _rows = selectors.registrations_table(conference)
    assert columns[:3] == ["username", "organisation", "ticket"]
    assert columns[-4:] == [
        "Networking dinner",
        "Company size",
        "Dietary requirements",
        "Email (2)",
    ]
    client = login(world.staff)
    exported = client.get(reverse("events_registrations_export", args=[conference.pk, "csv"]))
    (row,) = csv.DictReader(io.StringIO(exported.content.decode()))
    assert (row["organisation"], row["ticket"], row["Networking dinner"]) == (
        "member",
        "Morning",
        "no",
    )
    assert (row["email"], row["Email (2)"]) == (world.rep.email, "yes")
    xlsx = client.get(reverse("events_registrations_export", args=[conference.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    header, values = [[c.value for c in r] for r in sheet.iter_rows(max_row=2)]
    assert dict(zip(header, values, strict=True))["Networking dinner"] == "no"
    page = client.get(reverse("events_import", args=[conference.pk])).text
    assert "<code>Company size</code>: 1-9, 10-49, 50+" in page
    assert "<code>Networking dinner</code> (required): yes, no" in page
