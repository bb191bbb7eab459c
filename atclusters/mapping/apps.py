from django.apps import AppConfig


class MappingConfig(AppConfig):
    name = "atclusters.mapping"
    label = "mapping"

    def ready(self) -> None:
        from atclusters.mapping import checks  # noqa: F401  (registers the settings checks)
