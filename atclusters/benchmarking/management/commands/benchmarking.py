"""`atclusters benchmarking …` (docs/benchmarking.md). Exit codes: 0 done; 2 bad input, nothing
written."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from atclusters.benchmarking import documents, frameworks, reports, selectors, services
from atclusters.core.templatetags.numbers import count_text
from atclusters.registry.models import ClusterOrganisation

LANGUAGES = [code for code, _name in settings.LANGUAGES]


class Command(BaseCommand):
    help = (
        "Cluster benchmarking: indicator frameworks and Gold assessments (YAML/JSON export and "
        "import), peer comparison, label readiness, characterization reports, the "
        "cluster-policy comparison and deadline reminders."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        framework = commands.add_parser("framework", help="export or import a framework")
        actions = framework.add_subparsers(dest="framework_action", required=True)
        export = actions.add_parser("export", help="a stored framework as YAML or JSON")
        export.add_argument("--framework", default="atclusters-cluster-management")
        export.add_argument("--version", type=int, help="default: the newest")
        export.add_argument("--format", choices=["yaml", "json"], help="default: from -o")
        export.add_argument("-o", "--output", type=Path, help="default: standard output")
        importing = actions.add_parser("import", help="store a framework document (new version)")
        importing.add_argument(
            "file",
            type=Path,
            nargs="?",
            help="default: the shipped benchmarking framework and Gold assessment",
        )

        report = commands.add_parser("report", help="a cluster's characterization report")
        report.add_argument("--cluster", required=True, help="the cluster's identifier (slug)")
        report.add_argument("--year", type=int, required=True)
        report.add_argument("--format", choices=["pdf", "html"], default="pdf")
        report.add_argument("--language", choices=LANGUAGES, default="en")
        report.add_argument("--group", default="all", help="peer group (default: all)")
        report.add_argument("-o", "--output", type=Path, required=True)

        peers = commands.add_parser("peers", help="a cluster's values against its peers")
        peers.add_argument("--cluster", required=True, help="the cluster's identifier (slug)")
        peers.add_argument("--year", type=int, required=True)
        peers.add_argument("--group", default="all", help="all|country|region|sector|ecosystem|size|"
                           "label|picked:NAME")  # fmt: skip
        peers.add_argument("--json", action="store_true")

        labels = commands.add_parser("labels", help="a cluster's readiness for the labels")
        labels.add_argument("--cluster", required=True, help="the cluster's identifier (slug)")
        labels.add_argument("--year", type=int, required=True)
        labels.add_argument("--language", choices=LANGUAGES, default="en")
        labels.add_argument("--json", action="store_true")

        policies = commands.add_parser("policies", help="the cluster-policy comparison of a year")
        policies.add_argument("--year", type=int, required=True)
        policies.add_argument("--format", choices=["pdf", "html", "json"], default="pdf")
        policies.add_argument("--language", choices=LANGUAGES, default="en")
        policies.add_argument("-o", "--output", type=Path, help="default: standard output (json)")

        commands.add_parser("reminders", help="send the deadline reminders due today")

    def handle(self, *args, **options):
        if options["action"] == "framework":
            getattr(self, f"_{options['framework_action']}")(options)
        else:
            getattr(self, f"_{options['action']}")(options)

    def _cluster_and_year(self, options) -> ClusterOrganisation:
        cluster = ClusterOrganisation.objects.filter(slug=options["cluster"]).first()
        if cluster is None:
            raise CommandError(f"--cluster: no cluster {options['cluster']!r}", returncode=2)
        if not 1990 <= options["year"] <= 2100:
            raise CommandError("--year: give a year between 1990 and 2100", returncode=2)
        return cluster

    def _peers(self, options) -> None:
        cluster = self._cluster_and_year(options)
        submission = selectors.latest_validated(cluster=cluster, year=options["year"])
        if submission is None:
            raise CommandError(
                f"--year: {cluster.slug} has no validated benchmarking answers for "
                f"{options['year']}",
                returncode=2,
            )
        try:
            comparison = services.peer_comparison_show(
                actor=None, submission=submission, group=options["group"], source="cli"
            )
        except ValueError as error:
            raise CommandError(f"--group: {error}", returncode=2) from error
        if options["json"]:
            self.stdout.write(json.dumps(comparison, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{comparison['cluster']} {comparison['year']} · {comparison['framework']} · "
            f"group {comparison['group']} "
            f"({count_text(comparison['peers'], comparison['min_group'])} peers)"
        )
        for row in comparison["indicators"]:
            if "n" not in row:
                continue
            figures = (
                row["suppressed"]
                if row["suppressed"]
                else f"median {row['median']:g}  Q1 {row['q1']:g}  Q3 {row['q3']:g}  "
                f"percentile {row['percentile']:.1f}"
            )
            n = count_text(row["n"], comparison["min_group"])
            self.stdout.write(f"  {row['code']:<5} {row['value']!s:>12}  n={n:<3} {figures}")

    def _labels(self, options) -> None:
        cluster = self._cluster_and_year(options)
        with translation.override(options["language"]):
            readiness = selectors.label_readiness(cluster=cluster, year=options["year"])
        if options["json"]:
            self.stdout.write(json.dumps(readiness, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{cluster.slug} {options['year']}")
        bronze = {None: "—", True: "ready", False: "not ready"}[readiness["bronze"]]
        self.stdout.write(f"  bronze  {bronze} {', '.join(readiness['bronze_missing'])}".rstrip())
        for label, details in (
            ("silver", readiness["silver_readiness"]),
            ("gold", readiness["gold_assessment"]),
        ):
            self.stdout.write(f"  {label:<7} {'ready' if readiness[label] else 'not ready'}")
            for reason in details["reasons"]:
                self.stdout.write(f"          {reason}")

    def _report(self, options) -> None:
        cluster = self._cluster_and_year(options)
        with translation.override(options["language"]):
            try:
                context = reports.characterization(
                    cluster=cluster,
                    year=options["year"],
                    user=None,
                    language=options["language"],
                    group=options["group"],
                    source="cli",
                )
            except ValueError as error:
                raise CommandError(f"--group: {error}", returncode=2) from error
            self._write(options, "benchmarking/report.html", context)

    def _policies(self, options) -> None:
        if options["format"] == "json":
            comparison = selectors.policy_comparison(year=options["year"])
            text = json.dumps(documents.policy_document(comparison), ensure_ascii=False, indent=2)
            if options["output"] is None:
                self.stdout.write(text)
            else:
                options["output"].write_text(text, encoding="utf-8")
            return
        if options["output"] is None:
            raise CommandError("-o: give a file for the PDF or HTML report", returncode=2)
        with translation.override(options["language"]):
            context = reports.policy_report(year=options["year"], language=options["language"])
            self._write(options, "benchmarking/policies_report.html", context)

    def _write(self, options, template: str, context: dict) -> None:
        output: Path = options["output"]
        if options["format"] == "pdf":
            output.write_bytes(reports.render_pdf(template, context))
        else:
            output.write_text(reports.render_html(template, context), encoding="utf-8")
        self.stdout.write(f"{output}: {output.stat().st_size:,} bytes")

    def _reminders(self, options) -> None:
        sent = services.deadline_reminders_send(today=timezone.localdate())
        self.stdout.write(f"{sent} reminder(s) sent")

    def _export(self, options) -> None:
        framework = selectors.framework_named(options["framework"], options["version"])
        if framework is None:
            raise CommandError(
                f"--framework: no framework {options['framework']!r}"
                + (f" version {options['version']}" if options["version"] else ""),
                returncode=2,
            )
        output: Path | None = options["output"]
        fmt = options["format"] or ("json" if output and output.suffix == ".json" else "yaml")
        text = frameworks.write(selectors.framework_document(framework), fmt)
        if output is None:
            self.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
            self.stdout.write(f"{output}: {framework} ({framework.indicators.count()} indicators)")

    def _import(self, options) -> None:
        paths: tuple[Path, ...] = (options["file"],) if options["file"] else frameworks.SHIPPED
        for path in paths:
            if not path.is_file():
                raise CommandError(f"{path}: no such file", returncode=2)
            try:
                document = frameworks.load(path.read_text(encoding="utf-8"), path.name)
                outcome, framework = services.framework_import(
                    actor=None, document=document, source="cli"
                )
            except frameworks.FrameworkError as error:
                raise CommandError(
                    f"{path.name}: nothing stored; {len(error.problems)} problem(s):\n{error}",
                    returncode=2,
                ) from error
            self.stdout.write(f"{framework}: {outcome} ({framework.indicators.count()} indicators)")
