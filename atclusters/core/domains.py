"""The domain contract: what a domain declares about itself, in its own AppConfig, so that the
settings, the URLs, the API, the navigation, the home page, the sitemap, the scheduler and the demo
find it without being edited.

A domain is an app whose AppConfig subclasses `DomainConfig`; adding one is one INSTALLED_APPS line
(docs/architecture.md walks through it). Every declaration is a dotted path, imported only when the
part that needs it runs, so that declaring costs nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.apps import AppConfig, apps
from django.http import HttpRequest
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from atclusters.core.sitemaps import SITEMAPS as KERNEL_SITEMAPS


class Audience(StrEnum):
    """Who sees a navigation entry (the pages themselves still check permissions)."""

    EVERYONE = "everyone"
    SIGNED_IN = "signed-in"
    STAFF = "staff"  # agency staff and platform admins


@dataclass(frozen=True)
class NavEntry:
    label: Any  # a lazily translated string
    url_name: str
    order: int
    audience: Audience = Audience.EVERYONE


@dataclass(frozen=True)
class SearchResult:
    title: str
    url: str
    kind: Any  # what it is, a lazily translated string ("cluster", "organisation")
    summary: str = ""


@dataclass(frozen=True)
class PeriodicJob:
    task: str  # dotted path to a django.tasks task
    hour: int  # local hour of the day at which the scheduler queues it
    # Sub-daily: queued every this many minutes instead (`hour` is then not used); 0: daily.
    every_minutes: int = 0

    def slot(self, now: datetime) -> str | None:
        """The period `now` falls in, for which the job is queued once whichever scheduler
        queues it: the day from the job's hour, or the `every_minutes` interval of the day;
        None before a daily job's hour."""
        if self.every_minutes:
            minute = now.hour * 60 + now.minute
            return f"{now:%Y-%m-%d}+{minute // self.every_minutes * self.every_minutes}m"
        return f"{now:%Y-%m-%d}" if now.hour >= self.hour else None


@dataclass(frozen=True)
class RetentionRule:
    """How long the rows of one model are kept: `setting` names the number of years (counted back
    from today on `date_field`), `minimum_years` the floor the law sets (a system check refuses
    less), `source` where the period comes from."""

    model: str  # "app_label.ModelName"
    date_field: str
    what: Any  # lazily translated plural ("state aid grants")
    setting: str
    source: str
    minimum_years: int = 0


class DomainConfig(AppConfig):
    # Module whose `urlpatterns` are included under the language prefix.
    urls: str | None = None
    # Lower first: a domain with catch-all patterns (the registry's slugs) goes last.
    urls_order: int = 50
    # Dotted path to a list of URL patterns served outside the language prefix (data files that
    # read the same in every language).
    root_urls: str | None = None
    # First path segments of the domain's private pages, disallowed in robots.txt.
    robots_disallow: tuple[str, ...] = ()
    # "module.router": a ninja Router added to the API under /api/v1/.
    api_router: str | None = None
    nav: tuple[NavEntry, ...] = ()
    # Dotted paths to functions of the request that return a rendered home-page section.
    home_sections: tuple[str, ...] = ()
    periodic_jobs: tuple[PeriodicJob, ...] = ()
    # Dotted path to a dict of name -> Sitemap class.
    sitemaps: str | None = None
    # Dotted path to a function with no arguments that loads the domain's demo data and returns
    # the lines to print about it; `demo_after` names the domains (labels) whose demo it needs.
    demo: str | None = None
    demo_after: tuple[str, ...] = ()
    # Dotted paths to functions of the request that return the user's part of "My work"
    # (rendered), empty when the user has nothing there.
    my_work: tuple[str, ...] = ()
    # Dotted path to a function (*, user, query, limit) -> list[SearchResult] of what the user
    # may see, for the site search.
    search: str | None = None
    # Records kept for a period the law or the operator sets (`atclusters retention` reports them).
    retention: tuple[RetentionRule, ...] = ()


def registered() -> list[DomainConfig]:
    return [config for config in apps.get_app_configs() if isinstance(config, DomainConfig)]


def url_modules() -> list[str]:
    ordered = sorted(
        (config for config in registered() if config.urls), key=lambda config: config.urls_order
    )
    return [config.urls for config in ordered if config.urls]


def root_url_patterns() -> list[Any]:
    return [
        pattern
        for config in registered()
        if config.root_urls
        for pattern in import_string(config.root_urls)
    ]


def robots_disallow() -> list[str]:
    return [path for config in registered() for path in config.robots_disallow]


def api_routers() -> list[Any]:
    return [import_string(config.api_router) for config in registered() if config.api_router]


# The kernel's own pages in the navigation, among the domains' entries.
KERNEL_NAV = (
    NavEntry(_("Search"), "site_search", 95),
    NavEntry(_("My work"), "dashboard", 100, Audience.SIGNED_IN),
)


def nav_entries() -> list[NavEntry]:
    declared = [entry for config in registered() for entry in config.nav]
    return sorted([*declared, *KERNEL_NAV], key=lambda entry: entry.order)


def home_sections(request: HttpRequest) -> list[SafeString]:
    """The home page's sections, each rendered by the domain that declares it, in domain order."""
    return [
        import_string(path)(request) for config in registered() for path in config.home_sections
    ]


def my_work_sections(request: HttpRequest) -> list[SafeString]:
    """The user's parts of "My work", each rendered by the domain that declares it."""
    sections = (import_string(path)(request) for config in registered() for path in config.my_work)
    return [section for section in sections if section]


def search(*, user: Any, query: str, limit: int = 20) -> list[SearchResult]:
    """What every domain finds for the query among what the user may see, domain by domain."""
    return [
        result
        for config in registered()
        if config.search
        for result in import_string(config.search)(user=user, query=query, limit=limit)
    ]


# The kernel's own: the audit log, kept as long as the longest legal period of what it records.
KERNEL_RETENTION = (
    RetentionRule(
        model="core.AuditEntry",
        date_field="at",
        what=_("audit log entries"),
        setting="AUDIT_RETENTION_YEARS",
        source="operator's choice (GDPR Art. 5(1)(e), storage limitation); default 10 years, "
        "the longest period the state-aid records it documents are kept",
    ),
)


def retention_rules() -> list[RetentionRule]:
    return [*KERNEL_RETENTION, *(rule for config in registered() for rule in config.retention)]


def periodic_jobs() -> list[PeriodicJob]:
    return [job for config in registered() for job in config.periodic_jobs]


def sitemaps() -> dict[str, Any]:
    merged: dict[str, Any] = dict(KERNEL_SITEMAPS)
    for config in registered():
        if config.sitemaps:
            merged.update(import_string(config.sitemaps))
    return merged


class DemoOrderError(Exception):
    pass


def demo_loaders() -> list[tuple[str, Callable[[], Iterable[str]]]]:
    """Each domain's demo loader after the loaders of the domains it needs, in INSTALLED_APPS
    order otherwise."""
    declared = {config.label: config for config in registered() if config.demo}
    ordered: list[str] = []
    visiting: set[str] = set()

    def visit(label: str) -> None:
        if label in ordered:
            return
        if label in visiting:
            raise DemoOrderError(f"demo_after forms a cycle through {label!r}")
        if label not in declared:
            raise DemoOrderError(f"demo_after names {label!r}, which declares no demo")
        visiting.add(label)
        for needed in declared[label].demo_after:
            visit(needed)
        visiting.discard(label)
        ordered.append(label)

    for label in declared:
        visit(label)
    return [(label, import_string(declared[label].demo or "")) for label in ordered]
