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
    # Regulation (EU) 2023/2831 Art. 6(4) (and 1407/2013 Art. 6(4) before it): records of
    # individual de minimis aid are kept 10 years from the date the aid was granted; Regulation
    # (EU) 651/2014 Art. 12(1): the GBER's records 10 years from the date the aid was granted.
    retention = (
        domains.RetentionRule(
            model="stateaid.Grant",
            date_field="grant_date",
            what=_("state aid grants"),
            setting="STATEAID_RETENTION_YEARS",
            source="Regulation (EU) 2023/2831 Art. 6(4); Regulation (EU) 651/2014 Art. 12(1)",
            minimum_years=10,
        ),
        domains.RetentionRule(
            model="stateaid.Restructuring",
            date_field="date",
            what=_("mergers, acquisitions and splits of undertakings"),
            setting="STATEAID_RETENTION_YEARS",
            source="Regulation (EU) 2023/2831 Art. 6(4) (they decide which grants count, "
            "Art. 3(8)-(9))",
            minimum_years=10,
        ),
    )

    def ready(self) -> None:
        from atclusters.stateaid import (
            checks,  # noqa: F401  (registers the settings check)
            pickers,  # noqa: F401  (registers the undertaking picker)
        )
