"""`atclusters events …`: events on the command line, for agency staff (docs/events.md).

The command line is trusted (it acts with the platform admin's rights). Exit codes: 0 done;
2 bad input, nothing written (the message names the option or the instance's item)."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from atclusters.core.errors import DomainError
from atclusters.events import permissions, scheduling, selectors, services
from atclusters.events.importers import ParticipantImporter
from atclusters.events.models import ActionItem, Event


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Events: list them, open action items, issue certificates, schedule B2B meetings."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help="upcoming conferences, trainings and meetings")
        listing.add_argument("--json", action="store_true")
        open_items = actions.add_parser("actions", help="open action items, the overdue first")
        open_items.add_argument("--json", action="store_true")
        certificates = actions.add_parser(
            "certificates", help="issue the certificates of a training to those who completed it"
        )
        certificates.add_argument("event", help="the event's id")
        certificates.add_argument("--json", action="store_true")
        imports = actions.add_parser(
            "import-participants",
            help="register a list of participants (CSV, XLSX or JSON): all or nothing",
        )
        imports.add_argument("event", help="the event's id")
        imports.add_argument("file", help="columns: username, organisation (slug)")
        imports.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        imports.add_argument("--json", action="store_true")
        b2b = actions.add_parser(
            "schedule-b2b",
            help="schedule a conference's accepted B2B requests, or any instance (--input)",
        )
        b2b.add_argument("event", nargs="?", help="the conference's id")
        b2b.add_argument("--input", help="an instance (JSON file): scheduled, nothing stored")
        b2b.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        getattr(self, "_" + options["action"].replace("-", "_"))(options)

    def _emit(self, options: dict[str, Any], document: Any, text: str) -> None:
        if options["json"]:
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str))
        else:
            self.stdout.write(text)

    def _event(self, value: str | None) -> Event:
        event = Event.objects.filter(pk=int(value)).first() if value and value.isdigit() else None
        if event is None:
            raise _fail(f"event: no event with id {value!r}")
        return event

    def _list(self, options) -> None:
        events = selectors.upcoming_events(None)
        meetings = selectors.upcoming_meetings(None)
        document = {
            "events": [
                {"id": e.pk, "kind": e.kind, "title": e.title, "starts_at": e.starts_at,
                 "capacity": e.capacity, "confirmed": e.confirmed, "waiting": e.waiting}  # type: ignore[attr-defined]
                for e in events
            ],
            "meetings": [
                {"id": m.pk, "title": m.title, "group": m.group_id, "starts_at": m.starts_at}
                for m in meetings
            ],
        }  # fmt: skip
        lines = [
            f"event {e['id']}\t{e['starts_at']:%Y-%m-%d}\t{e['kind']}\t"
            f"{e['confirmed']}/{e['capacity']} (+{e['waiting']} waiting)\t{e['title']}"
            for e in document["events"]
        ] + [
            f"meeting {m['id']}\t{m['starts_at']:%Y-%m-%d}\t{m['title']}"
            for m in document["meetings"]
        ]
        self._emit(options, document, "\n".join(lines))

    def _actions(self, options) -> None:
        items = (
            ActionItem.objects.filter(status=ActionItem.Status.OPEN)
            .filter(meeting__in=permissions.visible_meetings(None))
            .select_related("owner", "meeting")
            .order_by("due")
        )
        document = [
            {"id": a.pk, "title": a.title, "owner": a.owner.get_username(), "due": a.due,
             "meeting": a.meeting_id}
            for a in items
        ]  # fmt: skip
        self._emit(
            options,
            document,
            "\n".join(
                f"{a['due']}\t{a['owner']}\t{a['title']} (meeting {a['meeting']})" for a in document
            ),
        )

    def _certificates(self, options) -> None:
        event = self._event(options["event"])
        try:
            issued = services.certificates_issue(actor=None, event=event, source="cli")
        except DomainError as error:
            raise _fail(f"{error.field}: {error}") from error
        document = [{"code": c.code, "user": c.registration.user.get_username()} for c in issued]
        self._emit(
            options, document, "\n".join(f"{c['code']}\t{c['user']}" for c in document) or "none"
        )

    def _import_participants(self, options) -> None:
        event = self._event(options["event"])
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise _fail(f"file: {error.strerror}") from error
        report = ParticipantImporter(actor=None, event=event).run(
            content, path.name, dry_run=options["dry_run"]
        )
        self._emit(
            options,
            report.as_dict(),
            "\n".join(str(error) for error in report.errors)
            or f"{report.rows} rows: {report.created} registered"
            + (" (check only, nothing written)" if report.dry_run else ""),
        )
        if not report.ok:
            raise SystemExit(2)

    def _schedule_b2b(self, options) -> None:
        if options["input"]:
            if options["event"]:
                raise _fail("give either an event or --input, not both")
            try:
                document = json.loads(Path(options["input"]).read_text(encoding="utf-8"))
                instance = scheduling.instance_read(document)
            except OSError as error:
                raise _fail(f"--input: {error.strerror}") from error
            except json.JSONDecodeError as error:
                raise _fail(f"--input: not JSON ({error})") from error
            except scheduling.InstanceError as error:
                raise _fail(str(error)) from error
            result = scheduling.schedule(instance)
            answer = result.document()
        else:
            event = self._event(options["event"])
            result = services.b2b_schedule(actor=None, event=event, source="cli")
            answer = selectors.b2b_schedule_document(event, result)
        self._emit(
            options,
            answer,
            f"held {result.held} of {result.requested} requested meetings "
            f"(greedy first-fit: {result.greedy_held}); {result.method}; {result.seconds:.2f} s",
        )
