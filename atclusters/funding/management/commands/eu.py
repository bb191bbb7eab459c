"""`atclusters eu …` (also `atclusters funding …`): EU funding on the command line
(docs/funding.md, "Command line").

The command line is trusted (it acts with the platform admin's rights). Exit codes: 0 done;
2 bad input or an import with errors, nothing written (the errors name the row and column)."""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from atclusters.core import tables
from atclusters.core.errors import DomainError
from atclusters.core.models import Agency, NutsRegion
from atclusters.funding import selectors, services
from atclusters.funding.models import CallFeed, Proposal
from atclusters.registry.models import ClusterOrganisation


def _fail(option: str, message: str) -> CommandError:
    return CommandError(f"--{option.replace('_', '-')}: {message}", returncode=2)


def _read(option: str, name: str) -> bytes:
    path = Path(name)
    if not path.is_file():
        raise _fail(option, f"no file {name!r}")
    return path.read_bytes()


class Command(BaseCommand):
    help = "EU funding: import and rank calls, import CORDIS projects, read call feeds."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        calls_import = actions.add_parser(
            "import-calls", help="calls from the portal's search API answer (JSON) or a table"
        )
        calls_import.add_argument("file")
        calls_import.add_argument("--dry-run", action="store_true")
        calls_import.add_argument("--json", action="store_true")

        calls = actions.add_parser("calls", help="open calls, or those ranked for a cluster")
        calls.add_argument("--cluster", help="the cluster's slug: its best-fitting calls")
        calls.add_argument("--top", type=int, default=10)
        calls.add_argument("--json", action="store_true")

        cordis = actions.add_parser(
            "import-cordis", help="CORDIS project.csv and organization.csv, both or neither"
        )
        cordis.add_argument("projects")
        cordis.add_argument("participants")
        cordis.add_argument("--demo", action="store_true", help="mark the projects as demo data")
        cordis.add_argument("--dry-run", action="store_true")
        cordis.add_argument("--json", action="store_true")

        feed = actions.add_parser("add-feed", help="a search API address read every day")
        feed.add_argument("--agency", required=True, help="the agency's slug")
        feed.add_argument("--name", required=True)
        feed.add_argument("--url", required=True)
        feed.add_argument("--json", action="store_true")

        read = actions.add_parser("read-feeds", help="read every active feed now")
        read.add_argument("--json", action="store_true")

        record = actions.add_parser("track-record", help="EU projects of a cluster or region")
        record.add_argument("--cluster", help="the cluster's slug")
        record.add_argument("--region", help="a NUTS code")
        record.add_argument("--json", action="store_true")

        check = actions.add_parser(
            "consortium-check", help="a proposal's consortium against the call's rules"
        )
        check.add_argument("proposal", help="the proposal's id")
        check.add_argument("--json", action="store_true")

        partners = actions.add_parser(
            "partners", help="partners proposed for a proposal (engine and CORDIS track record)"
        )
        partners.add_argument("proposal", help="the proposal's id")
        partners.add_argument("--top", type=int, default=5)
        partners.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        getattr(self, "_" + options["action"].replace("-", "_"))(options)

    def _emit(self, options: dict[str, Any], document: Any, text: str) -> None:
        if options["json"]:
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str))
        else:
            self.stdout.write(text)

    def _import_calls(self, options) -> None:
        report = services.calls_import(
            actor=None, content=_read("file", options["file"]), filename=options["file"],
            dry_run=options["dry_run"], source="cli",
        )  # fmt: skip
        self._emit(
            options,
            report.as_dict(),
            "\n".join(str(error) for error in report.errors)
            or f"{report.rows} rows: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged"
            + (" (dry run)" if report.dry_run else ""),
        )
        if not report.ok:
            raise SystemExit(2)

    def _cluster(self, slug: str) -> ClusterOrganisation:
        cluster = ClusterOrganisation.objects.filter(slug=slug).first()
        if cluster is None:
            raise _fail("cluster", f"no cluster {slug!r}")
        return cluster

    def _calls(self, options) -> None:
        now = timezone.now()
        if options["top"] < 1:
            raise _fail("top", "give a positive number")
        if options["cluster"]:
            ranked = selectors.ranked_calls(
                self._cluster(options["cluster"]), top=options["top"], now=now
            )
            document = [
                {
                    "identifier": r.call.identifier,
                    "title": r.call.title,
                    "deadline": r.deadline.isoformat() if r.deadline else None,
                    "score": r.score,
                    "reasons": r.reasons,
                }
                for r in ranked
            ]
            text = "\n".join(
                f"{r.score:.3f}\t{r.call.identifier}\t{r.call.title}\n\t" + "; ".join(r.reasons)
                for r in ranked
            )
        else:
            chosen = list(selectors.calls(now=now)[: options["top"]])
            document = [
                {
                    "identifier": c.identifier,
                    "title": c.title,
                    "programme": c.programme,
                    "deadline": (d.isoformat() if (d := selectors.next_deadline(c, now)) else None),
                }
                for c in chosen
            ]
            text = "\n".join(f"{c['deadline']}\t{c['identifier']}\t{c['title']}" for c in document)
        self._emit(options, document, text or "no call")

    def _import_cordis(self, options) -> None:
        result = services.cordis_import(
            actor=None,
            projects=_read("projects", options["projects"]),
            projects_name=options["projects"],
            participants=_read("participants", options["participants"]),
            participants_name=options["participants"],
            is_demo=options["demo"],
            dry_run=options["dry_run"],
            source="cli",
            # Trusted: CORDIS's full files, beyond what an upload on the site may hold.
            limits=tables.Limits(
                bytes=settings.FUNDING_CORDIS_MAX_BYTES,
                rows=settings.FUNDING_CORDIS_MAX_ROWS,
                columns=settings.IMPORT_MAX_COLUMNS,
                unpacked_bytes=settings.IMPORT_MAX_UNPACKED_BYTES,
            ),
        )
        document = result.as_dict()
        errors = "\n".join(
            f"{e['file']}: row {e['row']}, column {e['column']}: {e['message']}"
            for e in document["errors"]
        )
        linked = result.linked
        self._emit(
            options,
            document,
            errors
            or f"{document['projects']} projects, {document['participants']} participants; "
            f"linked by PIC {linked['pic']}, VAT {linked['vat']}, name {linked['name']}; "
            f"{result.review} to review",
        )
        if not result.ok:
            raise SystemExit(2)

    def _add_feed(self, options) -> None:
        agency = Agency.objects.filter(slug=options["agency"]).first()
        if agency is None:
            raise _fail("agency", f"no agency {options['agency']!r}")
        try:
            feed = services.feed_save(
                actor=None, agency=agency, name=options["name"], url=options["url"], source="cli"
            )
        except DomainError as error:
            raise _fail(error.field, error.message) from error
        self._emit(options, {"feed_id": feed.pk}, f"feed {feed.pk} added")

    def _read_feeds(self, options) -> None:
        results = []
        for feed in CallFeed.objects.filter(active=True).order_by("pk"):
            report = services.feed_run(actor=None, feed=feed, source="cli")
            results.append({"feed_id": feed.pk, "ok": report.ok, "result": feed.last_result})
        self._emit(
            options,
            results,
            "\n".join(f"{r['feed_id']}\t{r['result']}" for r in results) or "no active feed",
        )

    def _track_record(self, options) -> None:
        if options["cluster"]:
            figures = selectors.cluster_track_record(self._cluster(options["cluster"]))
        elif options["region"]:
            code = options["region"].upper()
            if not NutsRegion.objects.filter(code=code).exists():
                raise _fail("region", f"no NUTS region {code!r}")
            figures = selectors.region_track_record(code)
        else:
            raise _fail("cluster", "give --cluster or --region")
        document = figures.as_dict()
        self._emit(
            options,
            document,
            f"{figures.projects} projects ({figures.coordinated} coordinated), "
            f"EUR {figures.contribution}",
        )

    @staticmethod
    def _proposal(value: str) -> Proposal:
        proposal = Proposal.objects.filter(pk=int(value)).first() if value.isdigit() else None
        if proposal is None:
            raise _fail("proposal", f"no proposal with id {value!r}")
        return proposal

    def _partners(self, options) -> None:
        if options["top"] < 1:
            raise _fail("top", "at least 1")
        found = selectors.partner_suggestions(
            self._proposal(options["proposal"]), top=options["top"]
        )
        document = [{k: v for k, v in s.items() if k != "organisation"} for s in found]
        self._emit(
            options,
            document,
            "\n".join(
                f"{s['score']:.4f}\t{s['slug']}\t{s['country']}\t{'; '.join(s['reasons'])}"
                for s in document
            ),
        )

    def _consortium_check(self, options) -> None:
        proposal = self._proposal(options["proposal"])
        document = selectors.consortium_document(proposal)
        self._emit(
            options,
            document,
            "\n".join(
                f"{'met' if r['met'] else 'NOT MET'}\t{r['rule']}\t{r['detail']}"
                for r in document["rules"]
            ),
        )
