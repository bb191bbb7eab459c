from django.utils.translation import gettext_lazy as _

from atclusters.core import domains


class FundingConfig(domains.DomainConfig):
    name = "atclusters.funding"
    label = "funding"
    verbose_name = "EU funding"
    urls = "atclusters.funding.urls"
    api_router = "atclusters.funding.api.router"
    nav = (domains.NavEntry(_("EU funding"), "funding_calls", 75),)
    periodic_jobs = (
        domains.PeriodicJob("atclusters.funding.tasks.feeds_read", 6),
        domains.PeriodicJob("atclusters.funding.tasks.deadline_alerts", 7),
    )
    demo = "atclusters.funding.demo.domain_demo_load"
    demo_after = ("registry", "cooperation")
    my_work = ("atclusters.funding.work.my_work",)
    search = "atclusters.funding.selectors.site_search"
