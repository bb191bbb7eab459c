from django.utils.translation import gettext_lazy as _

from atclusters.core import domains


class CooperationConfig(domains.DomainConfig):
    name = "atclusters.cooperation"
    label = "cooperation"
    verbose_name = "Cooperation"
    urls = "atclusters.cooperation.urls"
    api_router = "atclusters.cooperation.api.router"
    nav = (domains.NavEntry(_("Partner search"), "posting_list", 60),)
    periodic_jobs = (domains.PeriodicJob("atclusters.cooperation.tasks.posting_digests", 8),)
    demo = "atclusters.cooperation.demo.domain_demo_load"
    demo_after = ("registry", "benchmarking")
    my_work = ("atclusters.cooperation.work.my_work",)
    search = "atclusters.cooperation.selectors.site_search"

    def ready(self):
        from atclusters.cooperation import checks  # noqa: F401  (registers the settings check)
