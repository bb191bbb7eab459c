import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from atclusters.core.processes import child_processes


class Command(BaseCommand):
    help = (
        "Load the demo data (six agencies, 81 real Atlantic Area clusters, fictitious members, "
        "demo users, real regional employment statistics, a demo de minimis register, benchmarking "
        "rounds and cluster policies), then serve it with a background worker and the scheduler "
        "(both stop with it, on Ctrl+C or SIGTERM)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="load the data only")
        parser.add_argument(
            "--addrport", default="127.0.0.1:8000", help="where to serve (default 127.0.0.1:8000)"
        )

    def handle(self, *args, **options):
        from atclusters.benchmarking.demo import (
            demo_framework_load,
            demo_gold_assessments_load,
            demo_policies_load,
            demo_rounds_load,
        )
        from atclusters.cooperation.demo import demo_postings_load
        from atclusters.mapping.demo import (
            demo_ratings_compute,
            demo_statistics_load,
            partner_regions_load,
            us_cmp_categories_load,
        )
        from atclusters.registry.demo import demo_load
        from atclusters.stateaid.demo import demo_register_load

        call_command("migrate", verbosity=0, interactive=False)
        result = demo_load()
        dataset = demo_statistics_load()
        us_cmp_categories_load()
        partner_regions_load()
        demo_ratings_compute()
        demo_register_load()
        demo_rounds_load(demo_framework_load())
        demo_gold_assessments_load()
        demo_policies_load()
        demo_postings_load()
        password = result["users"][0]["password"]
        self.stdout.write(f"Demo data ready ({result['clusters_created']} clusters added now).")
        self.stdout.write(
            f"Statistics: {dataset.name}, {dataset.observation_count:,} observations."
        )
        self.stdout.write(f"Demo accounts (password for all: {password}):")
        for user in result["users"]:
            self.stdout.write(f"  {user['username']:<16} {user['role']}")
        if options["no_serve"]:
            return
        # The worker without its code reloader: the reloader's parent process would SIGKILL the
        # worker on SIGTERM and lose the job in hand, where the worker itself finishes it.
        background = [
            [sys.executable, "-m", "atclusters", "db_worker", "--no-reload"],
            [sys.executable, "-m", "atclusters", "scheduler"],
        ]
        with child_processes(background):
            self.stdout.write(
                f"Serving on http://{options['addrport']}/  (admin login: admin / {password})"
            )
            call_command("runserver", options["addrport"], use_reloader=False)
