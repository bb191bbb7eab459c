"""`atclusters services …`: the catalogue, its import and deliveries on the command line
(docs/services.md).

The command line acts as the operator unless `--as USERNAME` names the user to act as.

Exit codes: 0 done; 1 refused (the single undertaking has not the de minimis headroom for the
aid: nothing written, the reason gives the headroom and the unsubsidised price); 2 bad input,
naming the field, nothing written; 3 not allowed for the `--as` user."""

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from atclusters.core.permissions import AnyUser, PermissionDenied
from atclusters.services import documents, importers, permissions, selectors, services
from atclusters.services.models import ServiceRequest
from atclusters.stateaid import services as aid_services

FORBIDDEN = 3


class Command(BaseCommand):
    help = "The services catalogue and the delivery of requested services."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        catalogue = actions.add_parser("catalogue", help="the services offered")
        catalogue.add_argument("--provider", default="", help="agency or cluster (slug)")
        catalogue.add_argument("--category", default="", help="category (slug)")
        catalogue.add_argument("--json", action="store_true")

        deliver = actions.add_parser(
            "deliver", help="record the delivery of an accepted request (exit 1: no headroom)"
        )
        deliver.add_argument("request_id", help="the request's number")
        deliver.add_argument("--date", required=True, help="delivery date, YYYY-MM-DD")
        deliver.add_argument("--units", required=True, help="units delivered")
        deliver.add_argument("--hours", default=None)
        deliver.add_argument("--outcome", default="")
        deliver.add_argument(
            "--unsubsidised", action="store_true", help="at the list price: no aid"
        )
        deliver.add_argument("--as", dest="as_user", metavar="USERNAME")
        deliver.add_argument("--json", action="store_true")

        importing = actions.add_parser(
            "import", help="import services from CSV/XLSX/JSON (docs/services.md); all or nothing"
        )
        importing.add_argument("file", type=Path)
        importing.add_argument(
            "--provider", default="", help="agency or cluster (slug) of rows that name none"
        )
        importing.add_argument("--dry-run", action="store_true", help="check, write nothing")
        importing.add_argument("--as", dest="as_user", metavar="USERNAME")
        importing.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        try:
            getattr(self, f"_{options['action']}")(options)
        except services.ServiceError as error:
            raise self._fail(error.field, str(error)) from error
        except PermissionDenied as error:
            raise self._fail("as", "may not do this", FORBIDDEN) from error

    def _fail(self, field: str, message: str, code: int = 2) -> CommandError:
        name = (
            "request_id" if field in ("request", "request_id") else f"--{field.replace('_', '-')}"
        )
        return CommandError(f"{name}: {message}", returncode=code)

    def _emit(self, options, document: Any, text: str) -> None:
        self.stdout.write(
            json.dumps(document, ensure_ascii=False, indent=1) if options["json"] else text
        )

    def _actor(self, username: str | None) -> AnyUser:
        if username is None:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise self._fail("as", f"no active user {username!r}")
        return user

    def _catalogue(self, options) -> None:
        items = [
            documents.catalogue_item(service)
            for service in selectors.catalogue(
                provider=options["provider"], category=options["category"]
            )
        ]
        lines = [
            f"{item['id']:>5}  {item['name']} ({item['provider']}, {item['category']}): "
            f"EUR {item['price_eur']:,.2f} / members {item['member_price_eur']:,.2f}; "
            f"{item['aid_treatment']}, aid {item['aid_value_eur']:,.2f} per unit"
            for item in items
        ]
        self._emit(options, items, "\n".join(lines) or "no services")

    def _deliver(self, options) -> None:
        try:
            day = date.fromisoformat(options["date"])
        except ValueError as error:
            raise self._fail("date", f"{options['date']!r} is not a date (YYYY-MM-DD)") from error
        if not options["request_id"].isdigit():
            raise self._fail("request_id", f"{options['request_id']!r} is not a request number")
        request = ServiceRequest.objects.filter(pk=int(options["request_id"])).first()
        if request is None:
            raise self._fail("request_id", f"no request {options['request_id']}")
        try:
            delivery = services.request_deliver(
                actor=self._actor(options["as_user"]),
                request=request,
                delivered_on=day,
                units=options["units"],
                hours=options["hours"],
                outcome=options["outcome"],
                subsidised=not options["unsubsidised"],
                source="cli",
            )
        except aid_services.AidRefused as refused:
            document = documents.delivery_document(
                delivered=False,
                aid_eur=refused.aid_eur,
                grant_id=None,
                headroom_eur=refused.headroom_eur,
                reason=str(refused),
            )
            self._emit(options, document, f"refused: {refused}")
            raise SystemExit(1) from refused
        grant = delivery.grant
        reason = (
            f"aid of EUR {delivery.aid_eur} granted as {grant.reference}"
            if grant
            else "no aid: delivered at a price that is not aid"
        )
        document = documents.delivery_document(
            delivered=True,
            aid_eur=delivery.aid_eur,
            grant_id=grant.pk if grant else None,
            headroom_eur=delivery.headroom_eur,
            reason=reason,
        )
        self._emit(options, document, f"delivered: {reason}")

    def _import(self, options) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise self._fail("file", f"{path}: no such file")
        actor = self._actor(options["as_user"])
        if not permissions.is_provider_staff(actor):
            raise PermissionDenied
        importer = importers.ServiceImporter(actor=actor, provider=options["provider"])
        report = importer.run(path.read_bytes(), path.name, dry_run=options["dry_run"])
        if not report.ok:
            if options["json"]:
                self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
            problems = "\n".join(str(error) for error in report.errors)
            raise CommandError(
                f"{path.name}: nothing imported; {len(report.errors)} problem(s):\n{problems}",
                returncode=2,
            )
        self._emit(
            options,
            report.as_dict(),
            f"{path.name}: {report.rows} rows, {report.created} created, "
            f"{report.updated} updated, {report.unchanged} unchanged"
            + (" (dry run: nothing written)" if options["dry_run"] else ""),
        )
