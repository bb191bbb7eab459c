from django.utils.translation import gettext_lazy as _

from atclusters.core import domains


class RegistryConfig(domains.DomainConfig):
    name = "atclusters.registry"
    label = "registry"
    urls = "atclusters.registry.urls"
    urls_order = 90  # its cluster and organisation slugs catch what the other domains leave
    root_urls = "atclusters.registry.urls.root_urlpatterns"
    robots_disallow = ("import", "export")
    api_router = "atclusters.registry.api.router"
    nav = (
        domains.NavEntry(_("Clusters"), "cluster_list", 10),
        domains.NavEntry(_("Map"), "cluster_map", 20),
        domains.NavEntry(_("Organisations"), "organisation_list", 30),
        domains.NavEntry(_("Agencies"), "agency_list", 40),
        domains.NavEntry(_("Agreements"), "agreement_list", 70, domains.Audience.SIGNED_IN),
    )
    home_sections = (
        "atclusters.registry.home.overview",
        "atclusters.registry.home.newest_clusters",
    )
    sitemaps = "atclusters.registry.sitemaps.SITEMAPS"
    demo = "atclusters.registry.demo.domain_demo_load"
    my_work = ("atclusters.registry.work.my_work",)
    search = "atclusters.registry.selectors.site_search"

    def ready(self) -> None:
        # registers the organisation and cluster pickers
        from atclusters.registry import pickers  # noqa: F401
