from django.apps import AppConfig


class MappingConfig(AppConfig):
    name = "atclusters.mapping"
    label = "mapping"
