import importlib
import pkgutil

import pytest

import atclusters


@pytest.fixture(scope="session", autouse=True)
def every_module_of_ours_loaded() -> None:
    """Hypothesis draws some values from the constants in the project's loaded modules, and reads
    them again whenever a new module appears: a module first imported halfway through a run (our
    lazy imports) would change what the same choices draw, and Hypothesis then stops the run as
    flaky. Loading them all first keeps the property-based runs reproducible."""
    for module in pkgutil.walk_packages(atclusters.__path__, "atclusters."):
        importlib.import_module(module.name)
