"""`atclusters watch …`: the technology watch on the command line (docs/watch.md).

The command line is trusted (it acts with the platform admin's rights), like every `atclusters`
command; the fetcher's SSRF checks apply to it all the same.

Exit codes: 0 done; 1 a URL refused by `check-url`, or a fetch that failed; 2 bad input,
nothing written (the message names the option)."""

import json
import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from atclusters.core.errors import DomainError
from atclusters.registry.models import ClusterOrganisation
from atclusters.watch import connectors, documents, feeds, periods, selectors, services
from atclusters.watch.models import Bulletin, Source, Topic

MAX_FILE_BYTES = 20 * 1024 * 1024
SCHEDULE = re.compile(r"every (?P<count>\d{1,4}) (?P<unit>hours?|days?)")


def _fail(option: str, message: str) -> CommandError:
    return CommandError(f"--{option.replace('_', '-')}: {message}", returncode=2)


class Command(BaseCommand):
    help = (
        "Technology watch: check URLs, add and fetch sources, import a feed file, list items, "
        "write a bulletin as HTML, text, PDF or Atom, make and send a topic's weekly or monthly "
        "bulletin."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        check = actions.add_parser(
            "check-url", help="whether the fetcher would fetch URL (exit 1 when refused)"
        )
        check.add_argument("url")
        check.add_argument("--json", action="store_true")

        add = actions.add_parser("add-source", help="monitor a feed for a cluster")
        add.add_argument("url")
        add.add_argument("--name", required=True)
        add.add_argument("--cluster", required=True, help="the cluster's slug")
        add.add_argument(
            "--schedule", default="every 6 hours",
            help='how often: "every N hours" or "every N days" (default every 6 hours)',
        )  # fmt: skip
        add.add_argument(
            "--kind", choices=Source.Kind.values, default=Source.Kind.FEED,
            help="what the address answers (default feed: RSS, Atom or JSON Feed)",
        )  # fmt: skip
        add.add_argument(
            "--full-text", action="store_true", help="read each new item's linked page too"
        )
        add.add_argument("--json", action="store_true")

        fetch = actions.add_parser("fetch", help="fetch the sources due (or one, now)")
        fetch.add_argument("--source", type=int, help="a source's id: fetch it now")
        fetch.add_argument("--json", action="store_true")

        load = actions.add_parser(
            "import-feed",
            help="read a file as if fetched from a source (a feed, or what the source's kind reads)",
        )
        load.add_argument("file")
        load.add_argument("--source", type=int, required=True, help="the source's id")
        load.add_argument("--json", action="store_true")

        bulletin = actions.add_parser(
            "bulletin",
            help="write a bulletin as a file, or make (and send) a topic's weekly or monthly one",
        )
        bulletin.add_argument("bulletin", type=int, nargs="?", help="the bulletin's id")
        bulletin.add_argument(
            "--topic", type=int, help="a topic's id: its bulletin of the last week or month"
        )
        bulletin.add_argument("--period", choices=periods.KINDS, default=periods.WEEK)
        bulletin.add_argument(
            "--send", action="store_true", help="send it to the cluster's subscribers"
        )
        bulletin.add_argument("--format", choices=documents.FORMATS, default="html")
        bulletin.add_argument("-o", "--output", help="the file to write")
        bulletin.add_argument("--json", action="store_true")

        listing = actions.add_parser("list", help="the items, newest first")
        listing.add_argument("--cluster", help="the cluster's slug")
        listing.add_argument("--status", choices=["new", "validated", "rejected"])
        listing.add_argument("--limit", type=int, default=50)
        listing.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        getattr(self, "_" + options["action"].replace("-", "_"))(options)

    def _emit(self, options: dict[str, Any], document: Any, text: str) -> None:
        self.stdout.write(
            json.dumps(document, ensure_ascii=False, indent=2, default=str)
            if options["json"]
            else text
        )

    def _check_url(self, options) -> None:
        verdict = services.url_verdict(options["url"], operator=True)
        self._emit(
            options,
            verdict,
            "allowed " + ", ".join(verdict["addresses"])
            if verdict["allowed"]
            else f"refused: {verdict['reason']}",
        )
        if not verdict["allowed"]:
            raise CommandError("refused", returncode=1)

    def _source(self, value: int) -> Source:
        row = Source.objects.select_related("cluster").filter(pk=value).first()
        if row is None:
            raise _fail("source", f"no source with id {value}")
        return row

    def _add_source(self, options) -> None:
        cluster = ClusterOrganisation.objects.filter(slug=options["cluster"]).first()
        if cluster is None:
            raise _fail("cluster", f"no cluster {options['cluster']!r}")
        match = SCHEDULE.fullmatch(options["schedule"].strip().lower())
        if match is None:
            raise _fail("schedule", 'write "every N hours" or "every N days"')
        hours = int(match["count"]) * (24 if match["unit"].startswith("day") else 1)
        try:
            row = services.source_add(
                actor=None, cluster=cluster, name=options["name"], url=options["url"],
                interval_hours=hours, kind=options["kind"],
                full_text=options["full_text"], source="cli",
            )  # fmt: skip
        except DomainError as error:
            field = {"interval_hours": "schedule"}.get(error.field, error.field)
            raise _fail(field, "; ".join(f"{k}: {v}" for k, v in error.errors.items())) from error
        self._emit(options, {"id": row.pk, "name": row.name}, f"{row.pk}\t{row.name}")

    @staticmethod
    def _report(row: Source, report: services.IngestReport) -> dict[str, Any]:
        return {
            "source": row.pk,
            "new": len(report.new),
            "duplicates": report.duplicates,
            "not_modified": report.not_modified,
            "error": report.error,
        }

    @staticmethod
    def _line(document: dict[str, Any]) -> str:
        if document["error"]:
            return f"{document['source']}\tfailed: {document['error']}"
        if document["not_modified"]:
            return f"{document['source']}\tnot modified"
        return f"{document['source']}\t{document['new']} new, {document['duplicates']} duplicates"

    def _fetch(self, options) -> None:
        if options["source"] is not None:
            row = self._source(options["source"])
            reports = [(row, services.source_fetch(source_row=row))]
        else:
            reports = services.sources_due()
        document = [self._report(row, report) for row, report in reports]
        self._emit(options, document, "\n".join(map(self._line, document)) or "no source due")
        if any(d["error"] for d in document):
            raise CommandError("some sources failed", returncode=1)

    def _import_feed(self, options) -> None:
        row = self._source(options["source"])
        path = Path(options["file"])
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            raise _fail("file", f"{path} is not a file of at most {MAX_FILE_BYTES} bytes")
        try:
            feed = connectors.parse(row.kind, path.read_bytes())
        except feeds.FeedError as error:
            raise _fail("file", str(error)) from error
        report = services.items_ingest(actor=None, source_row=row, feed=feed, origin="cli")
        document = {
            "new": len(report.new),
            "duplicates": report.duplicates,
            "items": [
                {"id": item.pk, "language": item.language, "relevance": item.relevance,
                 "topics": [{"topic": m.topic.name, "score": m.score, "explanation": m.explanation}
                            for m in item.matches.select_related("topic")]}
                for item in report.new
            ],
        }  # fmt: skip
        self._emit(options, document, f"{document['new']} new, {document['duplicates']} duplicates")

    def _bulletin(self, options) -> None:
        if (options["bulletin"] is None) == (options["topic"] is None):
            raise _fail("topic", "give either a bulletin's id or --topic")
        if options["topic"] is not None:
            self._bulletin_of_period(options)
            return
        if not options["output"]:
            raise _fail("output", "the file to write is required")
        bulletin = Bulletin.objects.select_related("cluster").filter(pk=options["bulletin"]).first()
        if bulletin is None:
            raise _fail("bulletin", f"no bulletin with id {options['bulletin']}")
        content = documents.bulletin_document(bulletin, options["format"])
        Path(options["output"]).write_bytes(content)
        self.stdout.write(f"{options['output']}: {len(content)} bytes")

    def _bulletin_of_period(self, options) -> None:
        topic = Topic.objects.select_related("cluster").filter(pk=options["topic"]).first()
        if topic is None:
            raise _fail("topic", f"no topic with id {options['topic']}")
        bulletin, sent = services.bulletin_of_period(
            actor=None, topic=topic, kind=options["period"], send=options["send"]
        )
        document = {
            "bulletin": bulletin and bulletin.pk, "period": bulletin and bulletin.period,
            "items": bulletin.items.count() if bulletin else 0,
            "status": bulletin and bulletin.status, "sent_to": sent,
        }  # fmt: skip
        if bulletin is not None and options["output"]:
            Path(options["output"]).write_bytes(
                documents.bulletin_document(bulletin, options["format"])
            )
        self._emit(
            options, document,
            f"bulletin {bulletin.pk} ({bulletin.period}): {document['items']} items, "
            f"{bulletin.status}, sent to {sent}"
            if bulletin else "no validated item of the topic in that period: no bulletin",
        )  # fmt: skip

    def _list(self, options) -> None:
        cluster = None
        if options["cluster"]:
            found = ClusterOrganisation.objects.filter(slug=options["cluster"]).first()
            if found is None:
                raise _fail("cluster", f"no cluster {options['cluster']!r}")
            cluster = found.pk
        filters = selectors.InboxFilter(cluster=cluster, status=options["status"] or "")
        items = selectors.inbox(None, filters)[: max(1, options["limit"])]
        document = [
            {"id": i.pk, "cluster": i.cluster.slug, "title": i.title, "url": i.url,
             "status": i.status, "relevance": i.relevance, "found_at": i.found_at}
            for i in items
        ]  # fmt: skip
        self._emit(
            options,
            document,
            "\n".join(
                f"{d['id']}\t{d['relevance']}\t{d['status']}\t{d['title']}" for d in document
            ),
        )
