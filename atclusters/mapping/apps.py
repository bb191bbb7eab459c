from django.utils.translation import gettext_lazy as _

from atclusters.core import domains


class MappingConfig(domains.DomainConfig):
    name = "atclusters.mapping"
    label = "mapping"
    urls = "atclusters.mapping.urls"
    api_router = "atclusters.mapping.api.router"
    nav = (domains.NavEntry(_("Statistics"), "statistics", 50),)
    sitemaps = "atclusters.mapping.sitemaps.SITEMAPS"
    demo = "atclusters.mapping.demo.domain_demo_load"
    demo_after = ("registry",)

    def ready(self) -> None:
        from atclusters.mapping import (
            checks,  # noqa: F401  (registers the settings checks)
            receivers,  # noqa: F401  (connects to the jobs' ends)
        )
