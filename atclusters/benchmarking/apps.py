from django.apps import AppConfig


class BenchmarkingConfig(AppConfig):
    name = "atclusters.benchmarking"
    label = "benchmarking"
    verbose_name = "Benchmarking"
