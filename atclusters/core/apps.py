from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "atclusters.core"
    label = "core"
