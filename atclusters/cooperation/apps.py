from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "atclusters.cooperation"
    label = "cooperation"
    verbose_name = "Cooperation"

    def ready(self):
        from atclusters.cooperation import checks  # noqa: F401  (registers the settings check)
