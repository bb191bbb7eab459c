"""The registry's section of the home page (declared in RegistryConfig.home_sections)."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from atclusters.registry import selectors


def newest_clusters(request: HttpRequest) -> SafeString:
    return SafeString(
        render_to_string(
            "registry/home/newest_clusters.html",
            {"clusters": selectors.newest_clusters(count=6)},
            request=request,
        )
    )
