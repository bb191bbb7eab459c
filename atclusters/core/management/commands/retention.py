import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from atclusters.core import retention


class Command(BaseCommand):
    help = (
        "Report the records past their retention period (state-aid records: 10 years, "
        "Regulation (EU) 2023/2831 Art. 6(4); the audit log: AUDIT_RETENTION_YEARS). Nothing is "
        "deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="count as on this day (YYYY-MM-DD), default today")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(
                    f"--date: {options['date']!r} is not a YYYY-MM-DD day", returncode=2
                ) from error
        lines = retention.report(today)
        if options["json"]:
            rows = [
                {
                    "model": line.rule.model,
                    "what": str(line.rule.what),
                    "years": line.years,
                    "setting": line.rule.setting,
                    "source": line.rule.source,
                    "before": line.cutoff.isoformat(),
                    "past": line.count,
                }
                for line in lines
            ]
            self.stdout.write(json.dumps({"date": today.isoformat(), "records": rows}, indent=2))
            return
        for line in lines:
            self.stdout.write(
                f"{line.rule.what}: {line.count:,} dated before {line.cutoff.isoformat()} are past "
                f"their {line.years} years ({line.rule.setting}; {line.rule.source})"
            )
