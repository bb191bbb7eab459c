"""The shipped indicator framework, loaded once for the demo."""

from atclusters.benchmarking import frameworks, services
from atclusters.benchmarking.models import Framework


def demo_framework_load() -> Framework:
    return services.framework_import(
        actor=None, document=frameworks.default_framework(), source="demo"
    )[1]
