from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the demo data (agencies, 81 real Atlantic Area clusters, fictitious members, demo users) and serve."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="load the data only")
        parser.add_argument(
            "--addrport", default="127.0.0.1:8000", help="where to serve (default 127.0.0.1:8000)"
        )

    def handle(self, *args, **options):
        from atclusters.registry.demo import demo_load

        call_command("migrate", verbosity=0, interactive=False)
        result = demo_load()
        self.stdout.write(
            f"Demo data ready ({result['clusters_created']} clusters added this run)."
        )
        self.stdout.write(f"Demo accounts (password for all: {result['users'][0]['password']}):")
        for user in result["users"]:
            self.stdout.write(f"  {user['username']:<16} {user['role']}")
        if not options["no_serve"]:
            self.stdout.write(
                f"Serving on http://{options['addrport']}/  (admin login: admin / {result['users'][0]['password']})"
            )
            call_command("runserver", options["addrport"], use_reloader=False)
