"""Production settings: the defaults plus transport security. `check --deploy` passes under these."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from siaga.settings import *  # noqa: F403
from siaga.settings import SECRET_KEY, env_bool, env_int

if SECRET_KEY.startswith("dev-insecure") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SIAGA_SECRET_KEY must be set to a random value of at least 50 characters")

DEBUG = False
SIAGA_DEMO_MODE = False
SECURE_SSL_REDIRECT = env_bool("SIAGA_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SIAGA_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
