"""The one settings module, driven by environment variables.

``MIEVAL_ENV=production`` switches to production: then ``SECRET_KEY``, ``ALLOWED_HOSTS`` and
``DATABASE_URL`` must be set, and a missing one stops start-up with a message naming it.
Everything else has a development default: SQLite in ``MIEVAL_DATA_DIR`` (``./var``), a
secret key generated once into that folder, debug on.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mieval.core import limits

PACKAGE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if required:
        raise ImproperlyConfigured(f"The environment variable {name} must be set in production.")
    return default


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use true or false.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None


def env_list(name: str, default: list[str], *, required: bool = False) -> list[str]:
    value = env_str(name, required=required)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


ENVIRONMENT = env_str("MIEVAL_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"MIEVAL_ENV={ENVIRONMENT!r} is not known; use development or production."
    )
PRODUCTION = ENVIRONMENT == "production"

DATA_DIR = Path(env_str("MIEVAL_DATA_DIR", str(Path.cwd() / "var"))).resolve()


def _development_secret_key() -> str:
    """A random key kept in the data folder, so that sessions survive restarts."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY", required=True)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [], required=True)
    DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", required=True))}
else:
    SECRET_KEY = env_str("SECRET_KEY") or _development_secret_key()
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'mieval.sqlite3'}")
        )
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (the server, the CLI) share the file: wait for a lock, don't fail.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEBUG = env_bool("DEBUG", not PRODUCTION)
# Background jobs run in the request right after commit instead of in `manage.py run_jobs`
# (a development server without a worker).
JOBS_EAGER = env_bool("MIEVAL_JOBS_EAGER", False)
# A running job whose worker has given no sign of life (heartbeat) for this many seconds is
# marked failed: its worker stopped (killed, machine restarted).
JOBS_STALE_AFTER = env_int("MIEVAL_JOBS_STALE_AFTER", 600)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_htmx",
    "mieval.accounts",
    "mieval.registry",
    "mieval.indicators",
    "mieval.collection",
    "mieval.analytics",
    "mieval.panels",
    "mieval.reports",
    "mieval.exchange",
    "mieval.practices",
    "mieval.rectification",
    "mieval.selfeval",
    "mieval.visits",
    "mieval.backbone",
    "mieval.jobs",
    "mieval.web",
    "mieval.api",
    # django-ninja's templates and static files: the API docs are served from this site.
    "ninja",
]

MIDDLEWARE = [
    # First: one log line per request with its duration (MIEVAL_REQUEST_LOG).
    "mieval.web.middleware.request_log",
    "django.middleware.security.SecurityMiddleware",
    # Static files from the production server itself: compressed, hashed names, cached forever.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the body (the CSRF check reads a POST).
    "mieval.web.middleware.request_size_limit",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mieval.urls"
WSGI_APPLICATION = "mieval.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mieval.web.context.navigation",
            ],
        },
    },
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed logins: after 5 for one user name from one address, that pair waits 15 minutes.
# Two limits within the cool-off window: failures of a user name from one address lock that
# pair; failures of a user name from any address lock the name everywhere (one name tried from
# many addresses). mieval.accounts.lockout counts the second; the office unlocks either.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
MIEVAL_LOCKOUT_USERNAME_LIMIT = env_int("MIEVAL_LOCKOUT_USERNAME_LIMIT", 20)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "mieval.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "mieval.accounts.lockout.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("MIEVAL_STATIC_ROOT", str(DATA_DIR / "static"))).resolve()
# Production serves what `manage collectstatic` wrote, gzip-compressed under hashed names;
# development serves the apps' folders as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded evidence: served only through permission-checked views, never as public media.
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media-not-served/"
# Upload limits (the README's table "Limits"; the limits of the files' contents are in
# mieval.core.limits). An evidence file of collection or practices:
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", limits.EVIDENCE_MAX_BYTES)
# A whole request (files included), refused with 413 before it is read: the largest upload
# (an evidence file) and the form around it. Django has no such bound of its own.
REQUEST_MAX_BYTES = env_int("MIEVAL_REQUEST_MAX_BYTES", EVIDENCE_MAX_BYTES + 1024 * 1024)
# The request without its files (forms, JSON bodies of the API).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Fields of one form: the entry form has three per value cell (the value, its version and the
# text as loaded), so 10,000 serve a framework of 3,300 cells (e.g. 330 indicators x 10 years);
# Django's default of 1,000 would refuse 34 indicators x 10 years.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# An upload larger than this is spooled to a temporary file instead of memory (Django's default).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Scripts, styles and fonts come from this site only: no inline script, no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# One line per request (method, path, status, duration, user) from ``mieval.requests``, and the
# background jobs' events (taken, done, failed, with their duration) from ``mieval.jobs``: on in
# production, where the development server's own request lines are missing.
REQUEST_LOG = env_bool("MIEVAL_REQUEST_LOG", PRODUCTION)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        name: {"handlers": ["console"], "level": "INFO", "propagate": False}
        for name in ("mieval.requests", "mieval.jobs")
    },
}
# The health endpoint (/health/) fails below this much free disk in the data folder.
HEALTH_DISK_MIN_BYTES = env_int("MIEVAL_HEALTH_DISK_MIN_MB", 1024) * 1024 * 1024
