from django.utils.translation import gettext_lazy as _

from atclusters.core import domains


class WatchConfig(domains.DomainConfig):
    name = "atclusters.watch"
    label = "watch"
    verbose_name = "Watch"
    urls = "atclusters.watch.urls"
    api_router = "atclusters.watch.api.router"
    robots_disallow = ("watch",)
    nav = (
        domains.NavEntry(_("Watch"), "watch_inbox", 75, domains.Audience.SIGNED_IN),
        domains.NavEntry(_("Watch boards"), "watch_boards", 76),
    )
    sitemaps = "atclusters.watch.sitemaps.SITEMAPS"
    # Every quarter of an hour: each run fetches the sources whose own interval has come
    # (docs/watch.md, "Fetching").
    # At 6 every morning, the topics' weekly and monthly bulletins of the period just ended
    # that have not gone out yet (docs/watch.md, "Bulletins").
    periodic_jobs = (
        domains.PeriodicJob("atclusters.watch.tasks.sources_fetch", 0, every_minutes=15),
        domains.PeriodicJob("atclusters.watch.tasks.bulletins_periodic", 6),
    )
    demo = "atclusters.watch.demo.domain_demo_load"
    demo_after = ("registry",)
    my_work = ("atclusters.watch.work.to_review",)
    search = "atclusters.watch.selectors.site_search"
