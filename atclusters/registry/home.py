"""Sections of the home page. Each domain adds its own (newest clusters, upcoming events, news…)
to the HOME_SECTIONS setting: a dotted path to a function that takes the request and returns
the section's HTML, in the order the page shows them."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString

from atclusters.registry import selectors


def home_sections(request: HttpRequest, paths: list[str]) -> list[SafeString]:
    return [import_string(path)(request) for path in paths]


def newest_clusters(request: HttpRequest) -> SafeString:
    return SafeString(
        render_to_string(
            "registry/home/newest_clusters.html",
            {"clusters": selectors.newest_clusters(count=6)},
            request=request,
        )
    )
