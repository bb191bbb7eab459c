"""What is past its retention period: the rules the kernel and the domains declare
(`core.domains.RetentionRule`), counted on today's date. A report only: nothing here deletes."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from atclusters.core import domains


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier; 29 February falls back to the 28th (the earlier cutoff, so
    that a record is never reported a day before its period ends)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Past:
    rule: domains.RetentionRule
    years: int
    cutoff: date  # rows dated before it are past their period
    count: int


def report(today: date) -> list[Past]:
    lines = []
    for rule in domains.retention_rules():
        years = getattr(settings, rule.setting)
        cutoff = years_before(today, years)
        model = apps.get_model(rule.model)
        before: date | datetime = cutoff
        if isinstance(model._meta.get_field(rule.date_field), models.DateTimeField):
            before = timezone.make_aware(datetime.combine(cutoff, time.min))  # local midnight
        past = model._base_manager.filter(**{f"{rule.date_field}__lt": before}).count()
        lines.append(Past(rule=rule, years=years, cutoff=cutoff, count=past))
    return lines
