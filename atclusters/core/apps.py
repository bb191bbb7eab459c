from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "atclusters.core"
    label = "core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate
        from django.utils.translation import gettext

        from atclusters.core import (
            checks,  # noqa: F401  (registers the jobs timing check)
            tables,
        )
        from atclusters.core.reference import reference_load_on_first_migrate

        # The table readers are pure Python; their messages are translated here, in the
        # language of the request or command that reads.
        tables.install_translation(gettext)
        post_migrate.connect(reference_load_on_first_migrate, sender=self)
