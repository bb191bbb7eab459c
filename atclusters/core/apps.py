from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "atclusters.core"
    label = "core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from atclusters.core import checks  # noqa: F401  (registers the jobs timing check)
        from atclusters.core.reference import reference_load_on_first_migrate

        post_migrate.connect(reference_load_on_first_migrate, sender=self)
