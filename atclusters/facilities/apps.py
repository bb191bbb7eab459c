from django.utils.translation import gettext_lazy as _

from atclusters.core import domains


class FacilitiesConfig(domains.DomainConfig):
    name = "atclusters.facilities"
    label = "facilities"
    verbose_name = "Facilities"
    urls = "atclusters.facilities.urls"
    api_router = "atclusters.facilities.api.router"
    demo = "atclusters.facilities.demo.domain_demo_load"
    demo_after = ("registry",)
    nav = (domains.NavEntry(_("Facilities"), "facilities_resources", 65),)
    my_work = ("atclusters.facilities.work.my_work",)
