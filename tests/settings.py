"""Test settings: the platform's settings with a fixed key, fast hashing and immediate tasks."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_COOKIES", "false")

from atclusters.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_AUTOREFRESH = True
ACCOUNT_RATE_LIMITS = {"login_failed": "5/m/ip,3/5m/key"}
# Off: tests change data through factories, which the audit does not see; the page cache's own
# tests turn it on (tests/core/test_page_cache.py).
PAGE_CACHE_SECONDS = 0

# A database file rather than memory, so that tests can open several connections at once (the
# state-aid concurrency test); one per test run, so that runs side by side never share one.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}  # noqa: F405
