import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from atclusters.core.domains import demo_loaders
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
        call_command("migrate", verbosity=0, interactive=False)
        # Each domain's demo, after the domains it builds on (`demo_after` in its AppConfig).
        for _label, load in demo_loaders():
            for line in load():
                self.stdout.write(line)
        if options["no_serve"]:
            return
        # The worker without its code reloader: the reloader's parent process would SIGKILL the
        # worker on SIGTERM and lose the job in hand, where the worker itself finishes it.
        background = [
            [sys.executable, "-m", "atclusters", "db_worker", "--no-reload"],
            [sys.executable, "-m", "atclusters", "scheduler"],
        ]
        with child_processes(background):
            self.stdout.write(f"Serving on http://{options['addrport']}/")
            call_command("runserver", options["addrport"], use_reloader=False)
