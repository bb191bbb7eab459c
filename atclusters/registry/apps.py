from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "atclusters.registry"
    label = "registry"
