import json as jsonlib

from django.core.management.base import BaseCommand

from atclusters.core.reference import reference_load


class Command(BaseCommand):
    help = "Load or refresh the shipped reference data (countries, NUTS, NACE, taxonomies). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print counts as JSON")

    def handle(self, *args, **options):
        counts = reference_load()
        if options["json"]:
            self.stdout.write(jsonlib.dumps(counts))
        else:
            for name, count in counts.items():
                self.stdout.write(f"{name}: {count}")
