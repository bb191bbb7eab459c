"""Participant lists of an event from a file (CSV, XLSX or JSON): every row checked first,
nothing written unless the whole file is valid (core/importing.py). Columns: `username`
(required) and `organisation` (the registry slug of whom they come for). Rows beyond the
capacity go to the waiting list, in the file's order."""

from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from atclusters.core.errors import DomainError
from atclusters.core.importing import Importer, Row, RowInvalid
from atclusters.core.permissions import AnyUser
from atclusters.events import services
from atclusters.events.models import Event
from atclusters.registry.models import Organisation


class ParticipantImporter(Importer):
    kind = "participants"
    columns = ["username", "organisation"]
    required_columns = {"username"}

    def __init__(self, *, actor: AnyUser, event: Event):
        super().__init__(actor=actor)
        self.event = event

    def prepare(self) -> None:
        self.users = {u.username.lower(): u for u in User.objects.filter(is_active=True)}
        self.organisations = {o.slug.lower(): o for o in Organisation.objects.all()}

    def apply(self, row: Row) -> tuple[str, Any]:
        user = row.lookup("username", self.users, _("user"), required=True)
        organisation = row.lookup("organisation", self.organisations, _("organisation"))
        if row.failed:
            raise RowInvalid
        try:
            registration = services.registration_create(
                actor=self.actor, event=self.event, user=user, organisation=organisation,
                source="import",
            )  # fmt: skip
        except DomainError as error:
            row.error("username" if error.field == "user" else error.field, str(error))
            raise RowInvalid from error
        return "created", registration

    def template_row(self) -> dict[str, str]:
        return {"username": "jdoe", "organisation": "acme-sl"}
