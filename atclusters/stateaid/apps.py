from django.utils.translation import gettext_lazy as _

from atclusters.core import domains


class StateAidConfig(domains.DomainConfig):
    name = "atclusters.stateaid"
    label = "stateaid"
    verbose_name = "State aid"
    urls = "atclusters.stateaid.urls"
    api_router = "atclusters.stateaid.api.router"
    nav = (domains.NavEntry(_("State aid"), "stateaid_overview", 80, domains.Audience.STAFF),)
    demo = "atclusters.stateaid.demo.domain_demo_load"
    demo_after = ("registry",)

    def ready(self) -> None:
        from atclusters.stateaid import (
            checks,  # noqa: F401  (registers the settings check)
            pickers,  # noqa: F401  (registers the undertaking picker)
        )
