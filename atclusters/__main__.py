"""The `atclusters` command: Django's manage.py with the platform's settings."""

import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["metrics"]:
        # The metrics need neither settings nor a database: researchers run them anywhere.
        from atclusters.mapping.cli import main as metrics_main

        sys.exit(metrics_main(sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atclusters.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
