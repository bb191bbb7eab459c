"""Start-up checks: the timing of background jobs, and the shared check of settings that
override the numbers of a dataclass by name."""

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from atclusters.core import domains


@register()
def jobs_timing_check(app_configs, **kwargs) -> list[Error]:
    """A lease shorter than a few heartbeats would take a busy live worker's jobs for stale and
    run them twice (docs/operations.md, "Background jobs")."""
    heartbeat, lease = settings.TASKS_HEARTBEAT_SECONDS, settings.TASKS_LEASE_SECONDS
    errors = []
    if heartbeat <= 0:
        errors.append(Error("TASKS_HEARTBEAT_SECONDS must be above 0", id="core.E001"))
    elif lease < 3 * heartbeat:
        errors.append(
            Error(
                f"TASKS_LEASE_SECONDS ({lease:g}) must be at least three heartbeats "
                f"(3 × TASKS_HEARTBEAT_SECONDS = {3 * heartbeat:g})",
                id="core.E002",
            )
        )
    if settings.TASKS_MAX_ATTEMPTS < 1:
        errors.append(Error("TASKS_MAX_ATTEMPTS must be at least 1", id="core.E003"))
    return errors


def number_overrides_errors(
    setting: str,
    overrides: Mapping[str, Any],
    defaults: type,
    app: str,
    *,
    word: str,
    minimum: float | None = None,
) -> list[Error]:
    """`{app}.E001` for a name that `defaults` (a dataclass) does not have, `{app}.E002` for a
    value that is not a number (or is below `minimum`)."""
    known = {field.name for field in fields(defaults)}
    errors = [
        Error(
            f"{setting}: unknown {word} {name!r}",
            hint=f"use some of {', '.join(sorted(known))}",
            id=f"{app}.E001",
        )
        for name in overrides
        if name not in known
    ]
    requirement = "a number" if minimum is None else f"a number from {minimum:g}"
    errors += [
        Error(f"{setting}: {name} must be {requirement}", id=f"{app}.E002")
        for name, value in overrides.items()
        if name in known
        and (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (minimum is not None and value < minimum)
        )
    ]
    return errors


# The apps of the platform that are not domains: the kernel and the API that gathers the domains.
NOT_DOMAINS = {"atclusters.core", "atclusters.api"}


@register()
def domains_check(app_configs, **kwargs) -> list[Error]:
    """A domain whose AppConfig Django did not pick up would vanish from the URLs, the API and
    the navigation without a word; Django picks a plain AppConfig when apps.py holds two
    AppConfig classes, as it does when it imports DomainConfig by name."""
    from django.apps import apps

    from atclusters.core.domains import DomainConfig

    return [
        Error(
            f"{config.name} is not a domain: its AppConfig does not subclass DomainConfig",
            hint="In its apps.py: `from atclusters.core import domains` and subclass "
            "`domains.DomainConfig` (docs/architecture.md, 'Adding a domain').",
            id="core.E010",
        )
        for config in apps.get_app_configs()
        if config.name.startswith("atclusters.")
        and config.name not in NOT_DOMAINS
        and not isinstance(config, DomainConfig)
    ]


@register()
def retention_check(app_configs, **kwargs) -> list[Error]:
    """A retention period shorter than the law's floor would report records the law still
    requires as purgeable."""
    floors: dict[str, domains.RetentionRule] = {}
    for rule in domains.retention_rules():
        if rule.setting not in floors or rule.minimum_years > floors[rule.setting].minimum_years:
            floors[rule.setting] = rule
    errors = []
    for setting, rule in floors.items():
        years = getattr(settings, setting, None)
        floor = max(rule.minimum_years, 1)
        if not isinstance(years, int) or years < floor:
            errors.append(
                Error(
                    f"{setting}: {years!r} years is less than the {floor} the records of "
                    f"{rule.model} must be kept",
                    hint=rule.source,
                    id="core.E020",
                )
            )
    return errors
