from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "atclusters.core"
    label = "core"

    def ready(self) -> None:
        from atclusters.core import checks  # noqa: F401  (registers the jobs timing check)
