"""Participant lists of an event from a file (CSV, XLSX or JSON): every row checked first,
nothing written unless the whole file is valid (core/importing.py). Columns: `username`
(required), `organisation` (the registry slug of whom they come for), `ticket` (a ticket type's
name) and one column per question of the event's registration form, headed as in the
registrations' export (selectors.question_columns). Rows beyond the capacity go to the waiting
list, in the file's order."""

from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from atclusters.core.errors import DomainError
from atclusters.core.importing import Importer, Row, RowInvalid
from atclusters.core.permissions import AnyUser
from atclusters.events import selectors, services
from atclusters.events.models import Event
from atclusters.registry.models import Organisation

OWN_COLUMNS = ["username", "organisation", "ticket"]


class ParticipantImporter(Importer):
    kind = "participants"
    required_columns = {"username"}

    def __init__(self, *, actor: AnyUser, event: Event):
        super().__init__(actor=actor)
        self.event = event
        self.questions = selectors.question_columns(event)
        self.columns = [*OWN_COLUMNS, *self.questions]
        # The service's fields → the file's columns, so that its refusals name the column.
        self.service_columns = {
            "user": "username",
            **{f"question_{question.pk}": column for column, question in self.questions.items()},
        }

    def prepare(self) -> None:
        self.users = {u.username.lower(): u for u in User.objects.filter(is_active=True)}
        self.organisations = {o.slug.lower(): o for o in Organisation.objects.all()}
        self.tickets = {t.name.lower(): t for t in self.event.ticket_types.all()}

    def apply(self, row: Row) -> tuple[str, Any]:
        user = row.lookup("username", self.users, _("user"), required=True)
        organisation = row.lookup("organisation", self.organisations, _("organisation"))
        ticket = row.lookup("ticket", self.tickets, _("ticket"))
        answers = {}
        for column, question in self.questions.items():
            try:
                answer = services.answer_checked(question, row.values.get(column.lower(), ""))
            except DomainError as error:
                row.error(column, str(error))
            else:
                if answer:
                    answers[str(question.pk)] = answer
        if row.failed:
            raise RowInvalid
        try:
            registration = services.registration_create(
                actor=self.actor, event=self.event, user=user, organisation=organisation,
                ticket=ticket, answers=answers, source="import",
            )  # fmt: skip
        except DomainError as error:
            row.error(self.service_columns.get(error.field, error.field), str(error))
            raise RowInvalid from error
        return "created", registration

    def template_row(self) -> dict[str, str]:
        ticket = self.event.ticket_types.first()
        return {
            "username": "jdoe",
            "organisation": "acme-sl",
            "ticket": ticket.name if ticket else "",
            **{column: ([*q.allowed(), ""])[0] for column, q in self.questions.items()},
        }
