from django.core.management.base import BaseCommand, CommandError

from atclusters.mapping.cli import build_parser, main


class Command(BaseCommand):
    help = "Compute a regional specialisation, relatedness or complexity metric from a CSV matrix."

    def run_from_argv(self, argv):
        # `atclusters metrics` skips Django entirely (see __main__); this keeps it listed in
        # `atclusters --help` and usable as `manage.py metrics`.
        code = main(argv[2:])
        if code:
            raise SystemExit(code)

    def create_parser(self, prog_name, subcommand, **kwargs):
        return build_parser()

    def handle(self, *args, **options):
        raise CommandError("run as: atclusters metrics METRIC INPUT [-o OUTPUT] [options]")
