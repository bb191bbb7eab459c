"""`atclusters facilities …`: the hub's rooms and equipment on the command line
(docs/facilities.md).

The command line is the hub's desk: it books on behalf of the user named by `--user`, whatever
their role, under the facility's rules (hours, holidays, durations, buffer, approval).

Exit codes: 0 done (booked: confirmed or awaiting approval; closed; cancelled); 1 the time is taken
(the booking it conflicts with and the next free slots are given); 2 bad input, nothing written
(the message names the option)."""

import json
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from atclusters.core.models import Agency
from atclusters.facilities import permissions, selectors, services
from atclusters.facilities.models import Booking, Resource
from atclusters.registry.models import ClusterOrganisation, Organisation
from atclusters.stateaid import services as aid_services


def _fail(option: str, message: str) -> CommandError:
    return CommandError(f"--{option.replace('_', '-')}: {message}", returncode=2)


class Command(BaseCommand):
    help = "The hub's shared facilities: list them, book them, close them, cancel bookings."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("resources", help="the rooms and equipment")
        listing.add_argument("--json", action="store_true")

        book = actions.add_parser(
            "book", help="book a facility for a user (exit 1: the time is taken)"
        )
        book.add_argument("--resource", required=True, help="the facility's id")
        book.add_argument(
            "--start",
            required=True,
            help="ISO 8601, e.g. 2030-03-05T10:00+01:00 (without an offset: the facility's time)",
        )
        book.add_argument("--end", required=True, help="ISO 8601, like --start")
        book.add_argument("--user", required=True, help="username of whom the booking is for")
        book.add_argument("--organisation", help="member organisation (slug): the member price")
        book.add_argument("--cluster", help="cluster (slug): the member price")
        book.add_argument("--purpose", default="")
        book.add_argument("--repeat", default="", help="RFC 5545 RRULE, e.g. FREQ=WEEKLY;COUNT=4")
        book.add_argument(
            "--unsubsidised",
            action="store_true",
            help="the list price, no de minimis aid (exit 1 without it: no headroom)",
        )
        book.add_argument("--json", action="store_true")

        close = actions.add_parser("close", help="close a facility for a time (no booking then)")
        close.add_argument("--resource", required=True, help="the facility's id")
        close.add_argument("--start", required=True, help="ISO 8601, like book --start")
        close.add_argument("--end", required=True, help="ISO 8601")
        close.add_argument("--reason", default="")
        close.add_argument("--json", action="store_true")

        share = actions.add_parser(
            "contribution",
            help="record an undertaking's share of a hub's investment costs (GBER Art. 27(3))",
        )
        share.add_argument("--agency", required=True, help="the agency's slug")
        share.add_argument("--hub", required=True, help="the hub, as its facilities name it")
        share.add_argument("--organisation", required=True, help="the organisation's slug")
        share.add_argument("--share", required=True, help="percent of the investment costs")
        share.add_argument("--json", action="store_true")

        cancel = actions.add_parser(
            "cancel", help="cancel a booking (and the later ones of its series)"
        )
        cancel.add_argument("booking", help="the booking's id")
        cancel.add_argument("--reason", default="")
        cancel.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        getattr(self, f"_{options['action']}")(options)

    def _emit(self, options: dict[str, Any], document: Any, text: str) -> None:
        if options["json"]:
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(text)

    def _resources(self, options) -> None:
        resources = permissions.visible_resources(None).order_by("pk")
        document = [
            {"id": r.pk, "name": r.name_en, "kind": r.kind, "capacity": r.capacity}
            for r in resources
        ]
        self._emit(
            options,
            document,
            "\n".join(f"{r.pk}\t{r.kind}\t{r.capacity}\t{r.name_en} ({r.hub})" for r in resources),
        )

    def _resource(self, value: str) -> Resource:
        resource = (
            Resource.objects.select_related("agency").filter(pk=int(value)).first()
            if value.isdigit()
            else None
        )
        if resource is None:
            raise _fail("resource", f"no facility with id {value!r}")
        return resource

    def _moment(self, option: str, value: str, resource: Resource) -> datetime:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as error:
            raise _fail(option, f"{value!r} is not an ISO 8601 date and time") from error
        if timezone.is_naive(moment):
            return timezone.make_aware(moment, selectors.resource_rules(resource).zone)
        return moment

    def _party(self, model, option: str, slug: str | None):
        if not slug:
            return None
        found = model.objects.filter(slug=slug).first()
        if found is None:
            raise _fail(option, f"no {option} {slug!r}")
        return found

    def _book(self, options) -> None:
        resource = self._resource(options["resource"])
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise _fail("user", f"no user {options['user']!r}")
        zone = selectors.resource_rules(resource).zone
        try:
            booked = services.booking_create(
                actor=None,
                user=user,
                resource=resource,
                start=self._moment("start", options["start"], resource),
                end=self._moment("end", options["end"], resource),
                organisation=self._party(Organisation, "organisation", options["organisation"]),
                cluster=self._party(ClusterOrganisation, "cluster", options["cluster"]),
                purpose=options["purpose"],
                recurrence=options["repeat"],
                subsidised=not options["unsubsidised"],
                source="cli",
            )
        except aid_services.AidRefused as refused:
            self._emit(
                options,
                {
                    "booked": False,
                    "status": None,
                    "booking_id": None,
                    "reason": str(refused),
                    "aid_eur": str(refused.aid_eur),
                    "headroom_eur": str(refused.headroom_eur),
                    "unsubsidised_eur": str(refused.unsubsidised_eur),
                },
                f"refused: {refused} (--unsubsidised books at the list price)",
            )
            raise SystemExit(1) from refused
        except services.BookingInvalid as error:
            option = {"recurrence": "repeat", "status": "resource"}.get(error.field, error.field)
            raise _fail(option, str(error)) from error
        except services.BookingConflict as conflict:
            free = [
                [span.start.astimezone(zone).isoformat(), span.end.astimezone(zone).isoformat()]
                for span in conflict.next_free
            ]
            self._emit(
                options,
                {
                    "booked": False,
                    "status": None,
                    "booking_id": None,
                    "conflict_with": conflict.conflict_with,
                    "next_free": free,
                },
                f"taken: {conflict}\nnext free:\n" + "\n".join(f"  {s} – {e}" for s, e in free),
            )
            raise SystemExit(1) from conflict
        first = booked.first
        self._emit(
            options,
            {
                "booked": True,
                "status": first.status,
                "booking_id": first.pk,
                "conflict_with": None,
                "next_free": [],
                "price_eur": str(first.price_eur),
                "aid_eur": str(first.aid_eur),
                "grant_id": first.grant_id,
            },
            f"booked: {first.pk} ({first.get_status_display()}), "
            f"{len(booked.bookings)} occurrence(s), EUR {first.price_eur} "
            f"(de minimis aid EUR {first.aid_eur}) the first",
        )

    def _contribution(self, options) -> None:
        agency = self._party(Agency, "agency", options["agency"])
        organisation = self._party(Organisation, "organisation", options["organisation"])
        try:
            share = Decimal(options["share"])
        except InvalidOperation as error:
            raise _fail("share", f"{options['share']!r} is not a number") from error
        try:
            saved = services.contribution_save(
                actor=None, agency=agency, hub=options["hub"], organisation=organisation,
                share_percent=share, source="cli",
            )  # fmt: skip
        except services.BookingInvalid as error:
            option = {"share_percent": "share"}.get(error.field, error.field)
            raise _fail(option, str(error)) from error
        self._emit(
            options,
            {"hub": saved.hub, "organisation": organisation.slug,
             "share_percent": str(saved.share_percent)},
            f"{organisation.slug}: {saved.share_percent} % of {saved.hub}",
        )  # fmt: skip

    def _close(self, options) -> None:
        resource = self._resource(options["resource"])
        start = self._moment("start", options["start"], resource)
        end = self._moment("end", options["end"], resource)
        try:
            closure = services.closure_add(
                actor=None, resource=resource, start=start, end=end, reason=options["reason"],
                source="cli",
            )  # fmt: skip
        except services.BookingInvalid as error:
            raise _fail(error.field, str(error)) from error
        held = selectors.active_bookings(resource, start, end).filter(start__lt=end, end__gt=start)
        ids = list(held.values_list("pk", flat=True))
        self._emit(
            options,
            {"closure_id": closure.pk, "bookings_in_closure": ids},
            f"closed: {closure.pk}; bookings to move or cancel: {ids or 'none'}",
        )

    def _cancel(self, options) -> None:
        value = options["booking"]
        booking = Booking.objects.filter(pk=int(value)).first() if value.isdigit() else None
        if booking is None:
            raise _fail("booking", f"no booking with id {value!r}")
        try:
            cancelled = services.booking_cancel(
                actor=None, booking=booking, reason=options["reason"], source="cli"
            )
        except services.BookingInvalid as error:
            raise _fail("booking", str(error)) from error
        ids = [item.pk for item in cancelled]
        self._emit(options, {"cancelled": ids}, f"cancelled: {', '.join(map(str, ids))}")
