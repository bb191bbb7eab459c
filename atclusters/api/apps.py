from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "atclusters.api"
    label = "atclusters_api"
