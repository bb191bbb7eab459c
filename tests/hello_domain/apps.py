"""A domain made only to prove the domain contract: everything it adds to the platform is
declared here, and the platform needs nothing else than this app in INSTALLED_APPS
(tests/hello_domain/settings.py) to serve it."""

from atclusters.core import domains


class HelloConfig(domains.DomainConfig):
    name = "tests.hello_domain"
    label = "hello"
    urls = "tests.hello_domain.urls"
    api_router = "tests.hello_domain.api.router"
    nav = (domains.NavEntry("Hello", "hello_page", 85),)
    home_sections = ("tests.hello_domain.views.home_section",)
    periodic_jobs = (domains.PeriodicJob("tests.hello_domain.tasks.hello_tick", 6),)
    sitemaps = "tests.hello_domain.views.SITEMAPS"
    demo = "tests.hello_domain.views.demo_load"
    demo_after = ("registry",)
    my_work = ("tests.hello_domain.views.my_work",)
    search = "tests.hello_domain.views.search"
