from django.utils.translation import gettext_lazy as _

from atclusters.core import domains


class ServicesConfig(domains.DomainConfig):
    name = "atclusters.services"
    label = "services"
    verbose_name = "Services"
    urls = "atclusters.services.urls"
    api_router = "atclusters.services.api.router"
    nav = (domains.NavEntry(_("Services"), "service_catalogue", 70),)
    demo = "atclusters.services.demo.domain_demo_load"
    demo_after = ("registry", "stateaid")
