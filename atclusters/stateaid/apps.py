from django.apps import AppConfig


class StateAidConfig(AppConfig):
    name = "atclusters.stateaid"
    label = "stateaid"
    verbose_name = "State aid"

    def ready(self) -> None:
        from atclusters.stateaid import checks  # noqa: F401  (registers the settings check)
