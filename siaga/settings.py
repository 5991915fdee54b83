"""Siaga settings. Every setting comes from the environment; `.env.example` lists them all.

The embedded default is SQLite with WAL and IMMEDIATE transactions; production sets DATABASE_URL to
PostgreSQL and uses `siaga.settings_production`, which adds the transport-security settings.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Setting {name} is required (see .env.example)")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"Setting {name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"Setting {name} must be an integer, not {raw!r}") from exc


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"Setting {name} must be a number, not {raw!r}") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DATA_DIR = Path(env_str("SIAGA_DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

# The development key is only good on a laptop; production settings refuse it.
SECRET_KEY = env_str("SIAGA_SECRET_KEY", "dev-insecure-siaga-key-change-me-in-production-0123456789")
DEBUG = env_bool("SIAGA_DEBUG", False)
ALLOWED_HOSTS = env_list("SIAGA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("SIAGA_CSRF_TRUSTED_ORIGINS", "http://127.0.0.1,http://localhost")

# Demo mode creates the demo accounts; they must never exist anywhere else.
SIAGA_DEMO_MODE = env_bool("SIAGA_DEMO_MODE", False)
SIAGA_DEMO_PASSWORD = os.environ.get("SIAGA_DEMO_PASSWORD", "")
# The demo's calendar is the real Pemilu 2024 one moved as a whole so that voting day falls this many days after
# the day the demo is loaded: the live boards, today's patrol routes and the guard board then have data.
SIAGA_DEMO_VOTING_IN_DAYS = env_int("SIAGA_DEMO_VOTING_IN_DAYS", 3)
# A fixed demo voting day (YYYY-MM-DD) instead; 2024-02-14 gives the historical dates.
SIAGA_DEMO_VOTING_DAY = env_str("SIAGA_DEMO_VOTING_DAY", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_bootstrap5",
    "bootstrap",  # django-bootstrap-static: Bootstrap 5 served from our own static files
    "django_tasks",
    "django_tasks_db",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Listed so Ninja renders /api/v1/docs with the Swagger UI files it ships (static/ninja/) instead of its
    # CDN template: the docs must work offline.
    "ninja",
    "siaga.core",
    "siaga.accounts",
    "siaga.territory",
    "siaga.sites",
    "siaga.operations",
    "siaga.personnel",
    # Guard before deployment: demo loaders run in this order, and the voting-day plan must leave out
    # officers already rostered on guard posts.
    "siaga.guard",
    "siaga.deployment",
    "siaga.patrols",
    "siaga.incidents",
    # After deployment and guard: their demo plans are in place when events and escorts pick officers.
    "siaga.events",
    "siaga.logistics",
    "siaga.neutrality",
    "siaga.public",
    "siaga.polda",
    "siaga.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Compresses pages and the static files WhiteNoise serves from the finders (demo, small installs): a phone
    # on a weak signal gets the apel page in ~110 KB instead of ~430 KB. Files WhiteNoise already serves
    # compressed (after collectstatic) keep their encoding. Django masks the CSRF token per response and pads
    # the gzip header (BREACH mitigations).
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "siaga.core.middleware.NoStoreMiddleware",
    "siaga.core.middleware.IdleTimeoutMiddleware",
    "siaga.core.middleware.LoginRequiredMiddleware",
    "siaga.accounts.mfa.MfaRequiredMiddleware",
    "siaga.core.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "siaga.core.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "siaga.urls"
WSGI_APPLICATION = "siaga.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:map"
LOGOUT_REDIRECT_URL = "landing"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "siaga" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "siaga.core.context_processors.siaga",
            ],
        },
    },
]

_sqlite_path = DATA_DIR / "siaga.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{_sqlite_path}"), conn_max_age=env_int("SIAGA_DB_CONN_MAX_AGE", 0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE: readers never block the writer, and a read->write upgrade cannot fail instantly
    # with "database is locked" (it waits for the busy timeout instead).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
    }

elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Workers never hang on the database (G5): connecting gives up after SIAGA_DB_CONNECT_TIMEOUT_S, a statement
    # after SIAGA_DB_STATEMENT_TIMEOUT_MS, and the kernel drops a connection whose peer stopped answering
    # (keepalives, tcp_user_timeout) instead of waiting for TCP's default of many minutes. A setting given in
    # DATABASE_URL's query string wins.
    _pg = DATABASES["default"].setdefault("OPTIONS", {})
    _pg.setdefault("connect_timeout", env_int("SIAGA_DB_CONNECT_TIMEOUT_S", 5))
    _pg.setdefault("keepalives", 1)
    _pg.setdefault("keepalives_idle", 10)
    _pg.setdefault("keepalives_interval", 3)
    _pg.setdefault("keepalives_count", 3)
    _pg.setdefault("tcp_user_timeout", env_int("SIAGA_DB_STATEMENT_TIMEOUT_MS", 30_000) + 5_000)
    _pg["options"] = (
        f"{_pg.get('options', '')} -c statement_timeout={env_int('SIAGA_DB_STATEMENT_TIMEOUT_MS', 30_000)}"
    ).strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords (ASVS 6.2, G17): length and lists, no composition rules (so no NumericPasswordValidator): at least
# 15 characters, not among the ~20,000 most common (breached) passwords Django ships, not similar to the account
# and not made only of this deployment's context words.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("SIAGA_PASSWORD_MIN_LENGTH", 15)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "siaga.accounts.passwords.ContextWordsValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "siaga" / "locale"]
TIME_ZONE = env_str("SIAGA_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Leaflet's files come from the installed django-leaflet package; the app itself is not installed because
# its admin module needs GDAL, which Siaga does not use (boundaries are GeoJSON, geometry is shapely).
_LEAFLET_STATIC = Path(importlib.util.find_spec("leaflet").origin).parent / "static"  # type: ignore[union-attr, arg-type]
STATICFILES_DIRS = [BASE_DIR / "siaga" / "static", _LEAFLET_STATIC]
MEDIA_ROOT = DATA_DIR / "media"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files are served from the finders by WhiteNoise in demo and test; `collectstatic` is a deploy step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Sessions: an idle officer's session ends; a stolen phone does not stay logged in for two weeks.
SESSION_COOKIE_AGE = env_int("SIAGA_SESSION_MAX_AGE", 12 * 3600)
SIAGA_SESSION_IDLE_SECONDS = env_int("SIAGA_SESSION_IDLE_SECONDS", 30 * 60)
SIAGA_SESSION_IDLE_SECONDS_ADMIN = env_int("SIAGA_SESSION_IDLE_SECONDS_ADMIN", 15 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Two-factor login (TOTP, django-otp; ASVS 6.3.3, G17): the roles that must use a second factor. Every role by
# default; demo accounts are exempt in demo mode (SIAGA_MFA_EXEMPT_DEMO) so `make demo` logs in with the printed
# password alone.
SIAGA_MFA_REQUIRED_ROLES = env_list(
    "SIAGA_MFA_REQUIRED_ROLES",
    "admin,commander,ops_staff,polsek_officer,field_officer,partner_viewer,propam,polda_staff,mabes_staff",
)
SIAGA_MFA_EXEMPT_DEMO = env_bool("SIAGA_MFA_EXEMPT_DEMO", True)
SIAGA_MFA_ISSUER = env_str("SIAGA_MFA_ISSUER", "Siaga")
SIAGA_MFA_RECOVERY_CODES = 10

# Login throttling (per username and per client address), see siaga.accounts.throttle.
SIAGA_LOGIN_MAX_FAILURES = env_int("SIAGA_LOGIN_MAX_FAILURES", 5)
SIAGA_LOGIN_WINDOW_SECONDS = env_int("SIAGA_LOGIN_WINDOW_SECONDS", 600)
# The anomaly alert (an audit record + a "siaga.security" log warning, never a lock-out): failures for one
# account from anywhere, and failures over all accounts, within the window.
SIAGA_LOGIN_ALERT_ACCOUNT = env_int("SIAGA_LOGIN_ALERT_ACCOUNT", 20)
SIAGA_LOGIN_ALERT_GLOBAL = env_int("SIAGA_LOGIN_ALERT_GLOBAL", 200)
# The device cookie that lets a browser an account logged in from before keep its own throttle bucket.
SIAGA_LOGIN_DEVICE_COOKIE = env_str("SIAGA_LOGIN_DEVICE_COOKIE", "siaga_device")
SIAGA_LOGIN_DEVICE_DAYS = env_int("SIAGA_LOGIN_DEVICE_DAYS", 180)

# Content Security Policy: nothing from another host, ever (police networks are offline).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *env_list("SIAGA_MAP_TILE_HOSTS", "")],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Map: with no tile server the map shows the kabupaten/kecamatan/desa boundaries as its base layer.
SIAGA_MAP_TILE_URL = env_str("SIAGA_MAP_TILE_URL", "")
SIAGA_MAP_TILE_ATTRIBUTION = env_str("SIAGA_MAP_TILE_ATTRIBUTION", "")
# Travel-distance model until a road network is imported: great-circle distance times this factor.
SIAGA_CIRCUITY_FACTOR = env_float("SIAGA_CIRCUITY_FACTOR", 1.35)

BOOTSTRAP5 = {
    "css_url": {"url": "/static/bootstrap/css/bootstrap.min.css"},
    "javascript_url": {"url": "/static/bootstrap/js/bootstrap.bundle.min.js"},
}

TASKS = {
    "default": {
        "BACKEND": env_str("SIAGA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Scale-out: SIAGA_TASKS_BACKEND=django_tasks_rq.RQBackend queues on Redis, with `siaga worker` on as many
# machines as needed (docs/deployment.md). A queued job waits in Redis; its Job row stays in the database.
SIAGA_REDIS_URL = env_str("SIAGA_REDIS_URL", "redis://127.0.0.1:6379/0")
if str(TASKS["default"]["BACKEND"]).startswith("django_tasks_rq"):
    INSTALLED_APPS.append("django_rq")
RQ_QUEUES = {
    # RQ's default job timeout (180 s) would kill a long plan; a plan bounds its own time (<= 1 h).
    "default": {"URL": SIAGA_REDIS_URL, "DEFAULT_TIMEOUT": env_int("SIAGA_RQ_JOB_TIMEOUT_S", 4 * 3600)},
}
# A running job's worker touches its row every SIAGA_JOB_HEARTBEAT_S; a row silent for SIAGA_JOB_STALE_AFTER_S is
# a lost worker's: queued again up to SIAGA_JOB_MAX_ATTEMPTS runs, then failed (siaga.core.jobs.reap_stale_jobs,
# run by every `siaga worker` every SIAGA_JOB_REAP_INTERVAL_S).
SIAGA_JOB_HEARTBEAT_S = env_float("SIAGA_JOB_HEARTBEAT_S", 5.0)
SIAGA_JOB_STALE_AFTER_S = env_float("SIAGA_JOB_STALE_AFTER_S", 60.0)
SIAGA_JOB_MAX_ATTEMPTS = env_int("SIAGA_JOB_MAX_ATTEMPTS", 2)
SIAGA_JOB_REAP_INTERVAL_S = env_float("SIAGA_JOB_REAP_INTERVAL_S", 15.0)

# Uploads: imports are spreadsheets, photos are re-encoded; nothing large is accepted in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("SIAGA_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

SIAGA_PAGE_SIZE = env_int("SIAGA_PAGE_SIZE", 50)
SIAGA_API_MAX_PAGE_SIZE = env_int("SIAGA_API_MAX_PAGE_SIZE", 1000)
# Imports (CSV/XLSX): larger files are refused before parsing (a 50 MB CSV once took a worker to 1.2 GB).
SIAGA_IMPORT_MAX_BYTES = env_int("SIAGA_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
SIAGA_IMPORT_MAX_ROWS = env_int("SIAGA_IMPORT_MAX_ROWS", 200_000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SIAGA_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
# Only behind a reverse proxy that overwrites X-Forwarded-For may the app read the client address from it.
SIAGA_TRUST_X_FORWARDED_FOR = env_bool("SIAGA_TRUST_X_FORWARDED_FOR", False)
AUTHENTICATION_BACKENDS = ["siaga.accounts.backends.SiagaBackend"]
# Public intake group commit (siaga.incidents.batch): how long a batch's leader waits for more reports when the
# previous batch was not alone. Longer: fewer, larger commits (less CPU per report) for a little latency.
SIAGA_INTAKE_LINGER_MS = env_float("SIAGA_INTAKE_LINGER_MS", 3.0)

# Messages as Bootstrap alerts: an error is "danger" (Bootstrap has no "alert-error"; a refusal showed unstyled).
MESSAGE_TAGS = {40: "danger"}  # django.contrib.messages.constants.ERROR
