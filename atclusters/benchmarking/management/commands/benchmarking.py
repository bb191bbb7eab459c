"""`atclusters benchmarking …` (docs/benchmarking.md). Exit codes: 0 done; 2 bad input, nothing
written."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from atclusters.benchmarking import frameworks, selectors, services


class Command(BaseCommand):
    help = "Cluster benchmarking: indicator frameworks (YAML/JSON export and import)."

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
        importing.add_argument("file", type=Path, nargs="?", help="default: the shipped framework")

    def handle(self, *args, **options):
        getattr(self, f"_{options['framework_action']}")(options)

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
        path: Path = options["file"] or frameworks.DEFAULT_FRAMEWORK
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
