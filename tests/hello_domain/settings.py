"""The test settings with the hello domain: one INSTALLED_APPS line."""

from tests.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.hello_domain"]  # noqa: F405
