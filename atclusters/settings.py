"""Settings, read from environment variables only (see docs/configuration.md)."""

import json
import os
from pathlib import Path
from typing import Any

import dj_database_url
import xstatic.pkg.leaflet
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from atclusters.core import languages


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("ATCLUSTERS_VAR_DIR", BASE_DIR.parent / "var"))

DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_htmx",
    "ninja",
    "allauth",
    "allauth.account",
    "atclusters.core",
    # After core, whose `db_worker` (with its heartbeat) takes the place of this app's own.
    "django_tasks_db",
    "atclusters.registry",
    "atclusters.mapping",
    "atclusters.stateaid",
    "atclusters.benchmarking",
    "atclusters.cooperation",
    "atclusters.facilities",
    "atclusters.services",
    "atclusters.funding",
    "atclusters.watch",
    "atclusters.events",
    "atclusters.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files come pre-compressed); Django's gzip pads each response
    # with random bytes against BREACH on pages that carry a CSRF token.
    "django.middleware.gzip.GZipMiddleware",
    # 304 Not Modified for a matching If-None-Match: pages kept for anonymous readers carry their
    # own entity tag (core.middleware.AnonymousPageCacheMiddleware), other answers a digest.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "atclusters.core.middleware.RequestSizeLimitMiddleware",
    "atclusters.core.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "atclusters.core.middleware.RejectNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "atclusters.core.middleware.RequestRolesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "atclusters.core.middleware.VaryOnHtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Inside CSRF, sessions and messages, whose answers it needs; outside the views.
    "atclusters.core.middleware.AnonymousPageCacheMiddleware",
    # Last, so that its process_exception is the first to see a view's lost database.
    "atclusters.core.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "atclusters.urls"

# Each process's own memory: the page cache's keys carry the newest audit entry, read from the
# database, so processes never disagree about what changed (docs/operations.md).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_ENTRIES", "2000"))},
    }
}
PAGE_CACHE_ALIAS = "default"
# Shared by every process of the installation (web and task workers): what one of them asked a
# service for and may reuse, such as the EPO OPS access token, is not asked again by the others.
# The database's cache table by default (created by `atclusters migrate`); SHARED_CACHE_URL
# (redis://…, with the redis package installed) for Redis (docs/operations.md).
SHARED_CACHE_ALIAS = "shared"
CACHES[SHARED_CACHE_ALIAS] = (
    {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["SHARED_CACHE_URL"],
    }
    if os.environ.get("SHARED_CACHE_URL")
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "atclusters_shared_cache",
    }
)
# How long an anonymous reader's page may be kept at most (what changes with time alone, such
# as "3 days left", is at most this old); 0 turns the page cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
WSGI_APPLICATION = "atclusters.wsgi.application"
ASGI_APPLICATION = "atclusters.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "atclusters.core.context_processors.navigation",
                "atclusters.core.branding.brand",
                "atclusters.core.context_processors.platform",
                "atclusters.core.context_processors.language_urls",
            ],
        },
    },
]

_sqlite_path = VAR_DIR / "atclusters.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{_sqlite_path}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    if DATABASES["default"]["NAME"] == str(_sqlite_path):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_ADAPTER = "atclusters.core.accounts.InvitationOnlyAccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("LOGIN_RATE_LIMIT", "10/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
INVITATION_MAX_AGE_DAYS = 14
# The home page's sections after the headline figures; each domain appends its own.
# Cluster-mapping ratings: JSON of any fields of atclusters.mapping.ratings.Thresholds, e.g.
# MAPPING_RATING_THRESHOLDS='{"specialisation_lq": 1.5}'; after a change run
# `atclusters mapping recompute` (stored results keep the thresholds they were computed with).
MAPPING_RATING_THRESHOLDS: dict[str, float] = json.loads(
    os.environ.get("MAPPING_RATING_THRESHOLDS") or "{}"
)
MAPPING_GROWTH_YEARS = int(os.environ.get("MAPPING_GROWTH_YEARS", "5"))
# State aid: where the three-year window starts when the grant date is 29 February (docs/stateaid.md)
STATEAID_LEAP_DAY = os.environ.get("STATEAID_LEAP_DAY", "feb28")
# ... and whether aid granted on the same date three years earlier still counts (docs/stateaid.md)
STATEAID_WINDOW_START = os.environ.get("STATEAID_WINDOW_START", "same-day")
# ... and the Member States whose fiscal year is not the calendar year, for the "three fiscal
# years" of the old regulations: comma-separated MS=MM-DD (docs/stateaid.md); checked at start-up
STATEAID_FISCAL_YEAR_STARTS = os.environ.get("STATEAID_FISCAL_YEAR_STARTS", "")
# Years the state-aid records are kept (`atclusters retention`): at least the law's 10
# (Regulation (EU) 2023/2831 Art. 6(4)); the audit log as long by default.
STATEAID_RETENTION_YEARS = int(os.environ.get("STATEAID_RETENTION_YEARS", "10"))
AUDIT_RETENTION_YEARS = int(os.environ.get("AUDIT_RETENTION_YEARS", "10"))
# Aggregates shown to people who may not see the records behind them rest on at least this many
# records, or are withheld (core/smallcells.py; docs/security.md, "Small cells")
CONFIDENTIALITY_MIN_GROUP = int(os.environ.get("CONFIDENTIALITY_MIN_GROUP", "5"))
# Benchmarking: no peer statistic is shown for fewer reporting peers than this (docs/benchmarking.md)
BENCHMARKING_MIN_GROUP = int(
    os.environ.get("BENCHMARKING_MIN_GROUP", str(CONFIDENTIALITY_MIN_GROUP))
)
# EU funding: the public pipeline statistics show no figure of a programme with proposals of fewer
# clusters than this (docs/funding.md, "Statistics")
FUNDING_MIN_CLUSTERS = int(os.environ.get("FUNDING_MIN_CLUSTERS", "5"))
# ... and what CORDIS files given to the command line (`atclusters eu import-cordis`) may hold: a
# framework programme's full organization.csv has some 200,000 rows (uploads keep IMPORT_MAX_*)
FUNDING_CORDIS_MAX_ROWS = int(os.environ.get("FUNDING_CORDIS_MAX_ROWS", "500000"))
FUNDING_CORDIS_MAX_BYTES = int(os.environ.get("FUNDING_CORDIS_MAX_BYTES", str(500 * 1024 * 1024)))
# Benchmarking: cluster managers are reminded this many days before a round's deadline
BENCHMARKING_REMINDER_DAYS = [
    int(days) for days in os.environ.get("BENCHMARKING_REMINDER_DAYS", "14,3,1").split(",")
]
# Partner matching: JSON of signal weights, e.g. COOPERATION_WEIGHTS='{"text": 0.3, "nace": 0.2}'
# (the others keep their defaults; docs/cooperation.md); checked at start-up
COOPERATION_WEIGHTS: dict[str, float] = json.loads(os.environ.get("COOPERATION_WEIGHTS") or "{}")
# ... and of the regional question (synergies across sectors), e.g. '{"proximity": 0.3}'
COOPERATION_REGION_WEIGHTS: dict[str, float] = json.loads(
    os.environ.get("COOPERATION_REGION_WEIGHTS") or "{}"
)
# ... and the optional semantic signal's model: empty (off), "wordllama" (the model in the
# `semantic` extra) or a Model2Vec directory (docs/cooperation.md); checked at start-up
COOPERATION_SEMANTIC_MODEL = os.environ.get("COOPERATION_SEMANTIC_MODEL", "")
# Reading addresses users give (core/fetching.py: watch sources, call feeds; docs/operations.md,
# "Fetching for users"): the ports allowed, and hosts (names or addresses) the fetcher may reach
# although they resolve to private addresses (an intranet feed, tests' local servers). The
# watch's older name for the hosts, WATCH_ALLOWED_HOSTS, is still read.
FETCH_ALLOWED_PORTS = [int(port) for port in env_list("FETCH_ALLOWED_PORTS", "80,443")]
FETCH_ALLOWED_HOSTS = env_list("FETCH_ALLOWED_HOSTS", os.environ.get("WATCH_ALLOWED_HOSTS", ""))
# Technology watch (docs/watch.md): the bounds of one fetch, the pause between two requests to
# one host, the score from which validated items are alerted.
WATCH_TIMEOUT_SECONDS = float(os.environ.get("WATCH_TIMEOUT_SECONDS", "10"))
WATCH_MAX_BYTES = int(os.environ.get("WATCH_MAX_BYTES", str(5 * 1024 * 1024)))
WATCH_HOST_INTERVAL_SECONDS = float(os.environ.get("WATCH_HOST_INTERVAL_SECONDS", "2"))
WATCH_ALERT_SCORE = int(os.environ.get("WATCH_ALERT_SCORE", "80"))
# EPO Open Patent Services: the deployment's consumer key and secret (OPS's "My apps"), read
# from the environment only and never stored in the database; the token address is set by tests.
WATCH_EPO_OPS_KEY = os.environ.get("WATCH_EPO_OPS_KEY", "")
WATCH_EPO_OPS_SECRET = os.environ.get("WATCH_EPO_OPS_SECRET", "")
WATCH_EPO_OPS_TOKEN_URL = os.environ.get(
    "WATCH_EPO_OPS_TOKEN_URL", "https://ops.epo.org/3.2/auth/accesstoken"
)

# Links in emails sent by background jobs (no request to take the address from)
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# The installation's identity and its legal pages (core/branding.py, docs/configuration.md#branding).
# Text settings take one text or a JSON object by language: {"en": "...", "es": "..."}.
SITE_NAME = os.environ.get("SITE_NAME", "atclusters")
SITE_LOGO = os.environ.get("SITE_LOGO", "")  # URL of an SVG or PNG; default the atclusters icon
SITE_ACCENT_COLOUR = os.environ.get("SITE_ACCENT_COLOUR", "")  # #rrggbb; default the blue
SITE_OPERATOR = os.environ.get("SITE_OPERATOR", "")
SITE_OPERATOR_URL = os.environ.get("SITE_OPERATOR_URL", "")
SITE_OPERATOR_ADDRESS = os.environ.get("SITE_OPERATOR_ADDRESS", "")
SITE_OPERATOR_IDENTIFIER = os.environ.get("SITE_OPERATOR_IDENTIFIER", "")  # tax or register ID
SITE_CONTACT_EMAIL = os.environ.get("SITE_CONTACT_EMAIL", "")
SITE_FUNDING = os.environ.get("SITE_FUNDING", "")
SITE_FUNDING_EMBLEM = os.environ.get("SITE_FUNDING_EMBLEM", "")  # URL of the funder's emblem
DATA_CONTROLLER = os.environ.get("DATA_CONTROLLER", "")  # default: the operator
DATA_CONTROLLER_EMAIL = os.environ.get("DATA_CONTROLLER_EMAIL", "")  # default: the contact
DATA_PROTECTION_OFFICER_EMAIL = os.environ.get("DATA_PROTECTION_OFFICER_EMAIL", "")
DATA_PROTECTION_AUTHORITY = os.environ.get("DATA_PROTECTION_AUTHORITY", "")
ACCESSIBILITY_REVIEWED = os.environ.get("ACCESSIBILITY_REVIEWED", "2026-12-07")

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
LANGUAGES = [(code, _(name)) for code, name in languages.LANGUAGES]
# allauth ships no Galician: its strings in gl are ours, kept apart from the project catalog.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_allauth"]
FORMAT_MODULE_PATH = ["atclusters.formats"]  # what Django's own locale formats lack (gl grouping)
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Madrid")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static", ("leaflet", xstatic.pkg.leaflet.BASE_DIR)]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

_email_backend = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS: dict[str, dict[str, Any]] = {"default": {"BACKEND": _email_backend}}
if _email_backend.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS"),
        "timeout": 20,
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "atclusters <noreply@localhost>")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Each `db_worker` records that it is alive every TASKS_HEARTBEAT_SECONDS; a running job whose
# worker has not been heard from for TASKS_LEASE_SECONDS is stale and the live workers queue it
# again, until it has been started TASKS_MAX_ATTEMPTS times, then mark it failed
# (docs/operations.md); checked at start-up
TASKS_HEARTBEAT_SECONDS = float(os.environ.get("TASKS_HEARTBEAT_SECONDS", "30"))
TASKS_LEASE_SECONDS = float(os.environ.get("TASKS_LEASE_SECONDS", "300"))
TASKS_MAX_ATTEMPTS = int(os.environ.get("TASKS_MAX_ATTEMPTS", "3"))
# /readyz answers 503 when the oldest due job has waited longer than this, or when more jobs
# than this failed in the last hour (docs/operations.md, "Health").
HEALTH_QUEUE_LAG_SECONDS = float(os.environ.get("HEALTH_QUEUE_LAG_SECONDS", "600"))
HEALTH_FAILED_JOBS_PER_HOUR = int(os.environ.get("HEALTH_FAILED_JOBS_PER_HOUR", "20"))

# Uploads: imports are held in memory up to this size and refused above it.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "20000"))
IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS", "100"))
# What an XLSX upload may unpack to: a full 20 000-row, 33-column registry sheet unpacks to
# about 48 MB from 2.2 MB.
IMPORT_MAX_UNPACKED_BYTES = int(
    os.environ.get("IMPORT_MAX_UNPACKED_BYTES", str(20 * IMPORT_MAX_BYTES))
)
LOGO_MAX_BYTES = int(os.environ.get("LOGO_MAX_BYTES", str(1024 * 1024)))
DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024
# A whole request body: the largest file allowed and the form around it. Larger requests are
# answered 413 before their body is read (core/middleware.py; asgi.py while it streams in), so an
# oversized upload never reaches the disk.
REQUEST_MAX_BYTES = int(
    os.environ.get(
        "REQUEST_MAX_BYTES",
        str(max(IMPORT_MAX_BYTES, LOGO_MAX_BYTES, DOCUMENT_MAX_BYTES) + 1024 * 1024),
    )
)

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
    # Probes ask the web process directly, over plain HTTP on the loopback.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
    if env_bool("BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
