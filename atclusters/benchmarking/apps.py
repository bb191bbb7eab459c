from django.utils.translation import gettext_lazy as _

from atclusters.core import domains


class BenchmarkingConfig(domains.DomainConfig):
    name = "atclusters.benchmarking"
    label = "benchmarking"
    verbose_name = "Benchmarking"
    urls = "atclusters.benchmarking.urls"
    api_router = "atclusters.benchmarking.api.router"
    nav = (domains.NavEntry(_("Benchmarking"), "benchmarking", 90, domains.Audience.SIGNED_IN),)
    periodic_jobs = (domains.PeriodicJob("atclusters.benchmarking.tasks.deadline_reminders", 7),)
    demo = "atclusters.benchmarking.demo.domain_demo_load"
    demo_after = ("registry", "mapping", "stateaid")
