from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "atclusters.cooperation"
    label = "cooperation"
    verbose_name = "Cooperation"
