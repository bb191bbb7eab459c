from django.utils.translation import gettext_lazy as _

from atclusters.core import domains


class EventsConfig(domains.DomainConfig):
    name = "atclusters.events"
    label = "events"
    verbose_name = "Events"
    urls = "atclusters.events.urls"
    api_router = "atclusters.events.api.router"
    nav = (domains.NavEntry(_("Events"), "events_home", 62),)
    periodic_jobs = (domains.PeriodicJob("atclusters.events.tasks.meeting_reminders_send", 7),)
    sitemaps = "atclusters.events.sitemaps.SITEMAPS"
    robots_disallow = ("verify",)
    home_sections = ("atclusters.events.home.upcoming",)
    demo = "atclusters.events.demo.domain_demo_load"
    demo_after = ("registry", "cooperation")
    my_work = ("atclusters.events.work.my_work",)
    search = "atclusters.events.selectors.site_search"
