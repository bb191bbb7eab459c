"""The registry's sections of the home page (declared in RegistryConfig.home_sections): the
platform's introduction with its headline figures and agencies, and the newest clusters."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from atclusters.core.models import Agency
from atclusters.registry import selectors


def overview(request: HttpRequest) -> SafeString:
    return SafeString(
        render_to_string(
            "registry/home.html",
            {
                "figures": selectors.headline_figures(),
                "agencies": Agency.objects.prefetch_related("regions").order_by("name"),
            },
            request=request,
        )
    )


def newest_clusters(request: HttpRequest) -> SafeString:
    return SafeString(
        render_to_string(
            "registry/home/newest_clusters.html",
            {"clusters": selectors.newest_clusters(count=6)},
            request=request,
        )
    )
