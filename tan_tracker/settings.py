"""All settings, read from the environment in this one module (see README, "Configuration")."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_list, env_str, env_time_limits, env_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", required=not DEBUG) or "insecure-local-development-key-only"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "bootstrap",
    "django_bootstrap5",
    "axes",
    "core",
    "reviews",
    "needs",
    "assistance",
    "alerts",
    "dashboard",
    "countries",
    "translations",
    # Last: the demo and scale data generators write into every app above.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses the pages and the API's answers (WhiteNoise above serves the static files
    # compressed already); above every middleware that writes a body. Why BREACH does not
    # apply: docs/OPERATIONS.md, "Compression".
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tan_tracker.urls"
WSGI_APPLICATION = "tan_tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.can",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    ("sqlite", "postgres", "postgresql", "pgsql"),
)
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except ValueError as error:
    raise ImproperlyConfigured(
        f"The environment variable DATABASE_URL is invalid: {error}"
    ) from None
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# --- Cache --------------------------------------------------------------------------------
# What one process keeps in the cache must reach the others of a deployment (gunicorn's
# workers, the Celery worker): the version under which a corrected translation is read, the
# pages and fragments built once. CACHE_URL names a Redis database of its own, apart from the
# broker's, since emptying the cache must never empty the task queue. Without it each process
# keeps its own cache (the embedded default, a single process).
CACHE_URL = env_url("CACHE_URL", None, ("redis", "rediss"))
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Celery -------------------------------------------------------------------------------
# Without a broker the tasks run in-process (the embedded default for a quick local look).
BROKER_SCHEMES = ("redis", "rediss", "memory")
# Each variable is checked on its own, so that a bad REDIS_URL is reported by its own name.
CELERY_BROKER_URL = env_url(
    "CELERY_BROKER_URL", env_url("REDIS_URL", None, BROKER_SCHEMES), BROKER_SCHEMES
)
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
# A task lost with its worker (SIGKILL, OOM) is redelivered instead of forgotten.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Every task's time limits, in seconds (a task names no limits of its own): these for all of
# them but the two below. The dashboard recomputation takes about a second at a hundred times
# today's volume, the daily digest one e-mail per focal point.
CELERY_TASK_SOFT_TIME_LIMIT, CELERY_TASK_TIME_LIMIT = env_time_limits("CELERY_TASK", 300, 360)
# The import of a big file in the worker (its page tells the user what happened).
IMPORT_TASK_SOFT_TIME_LIMIT, IMPORT_TASK_TIME_LIMIT = env_time_limits("IMPORT_TASK", 600, 660)
# The worker's heartbeat, every minute: one that cannot write within seconds is stopped, so
# that it does not hold the worker (/healthz shows when the worker was last seen).
HEARTBEAT_TASK_SOFT_TIME_LIMIT, HEARTBEAT_TASK_TIME_LIMIT = env_time_limits(
    "HEARTBEAT_TASK", 10, 20
)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must fail fast when the broker is down: the write is already committed and
# the figures are flagged stale, so a request must not hang on retries.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "core.tasks.record_worker_heartbeat", "schedule": 60.0},
    # Catches up when a change could not enqueue its recomputation (broker down); a no-op
    # while the figures are fresh.
    "dashboard-recompute": {"task": "dashboard.tasks.recompute_figures", "schedule": 300.0},
    "confirmation-digests": {
        "task": "needs.tasks.send_confirmation_digests_task",
        "schedule": crontab(hour=6, minute=0),
    },
    "old-import-files": {
        "task": "core.tasks.discard_old_import_files_task",
        "schedule": crontab(hour=3, minute=30),
    },
    # Each run sends a batch of the saved searches' alerts that are due (daily, weekly).
    "saved-search-alerts": {
        "task": "alerts.tasks.send_saved_search_alerts_task",
        "schedule": crontab(minute="*/15"),
    },
}

# --- Auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# django-axes first: it refuses a locked-out account+address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling: after AXES_FAILURE_LIMIT failed attempts for one account from one
# address, that combination is refused for the cool-off time (a lockout does not let a
# stranger lock a colleague out everywhere, nor one address try every account). Staff lift a
# lockout at /accounts/lockouts/ or in the admin; `manage.py axes_reset` lifts them all.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked.html"

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en"
# The six official languages of the Convention, each named in its own language for the switcher.
LANGUAGES = [
    ("ar", "العربية"),
    ("zh-hans", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["tan_tracker.formats"]

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
BOOTSTRAP5 = {
    "css_url": {"url": "/static/bootstrap/css/bootstrap.min.css"},
    "javascript_url": {"url": "/static/bootstrap/js/bootstrap.bundle.min.js"},
}

# --- Uploads ------------------------------------------------------------------------------
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 20 * 1024 * 1024, minimum=1024)
# Imports of files with more rows than this run in the Celery worker, with a progress bar.
# How long a web process serves its cached public dashboard page before asking the database
# whether the figures changed (0: ask on every request).
DASHBOARD_PAGE_RECHECK_SECONDS = env_int("DASHBOARD_PAGE_RECHECK_SECONDS", 2, minimum=0)
IMPORT_IN_WORKER_ABOVE_ROWS = env_int("IMPORT_IN_WORKER_ABOVE_ROWS", 2000, minimum=0)
# Uploaded import files are deleted this many days after their check or import finished
# (the job's record, counts and problems stay); one waiting for confirmation is then closed.
IMPORT_FILES_KEPT_DAYS = env_int("IMPORT_FILES_KEPT_DAYS", 30, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail -------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ta-needs-tracker@localhost")
# Links in e-mails (the confirmation digest) start with this address.
SITE_URL = env_url("SITE_URL", "http://localhost:8000", ("http", "https"))

# --- Domain -------------------------------------------------------------------------------
# A need not confirmed as still relevant for longer than this is flagged as possibly stale.
NEED_STALE_AFTER_DAYS = env_int("NEED_STALE_AFTER_DAYS", 365, minimum=1)
# Who publishes the IATI export: the organisation identifier registered with IATI, its name,
# and its IATI organisation type code (40: multilateral).
IATI_REPORTING_ORG_REF = env_str("IATI_REPORTING_ORG_REF", "XI-IATI-UNCAC-TRACKER")
IATI_REPORTING_ORG_NAME = env_str("IATI_REPORTING_ORG_NAME", "UNCAC secretariat, UNODC")
IATI_REPORTING_ORG_TYPE = env_str("IATI_REPORTING_ORG_TYPE", "40")

# Saved searches' e-mail alerts: how many one run of the task sends at most, and how far back
# the window of "new or changed" needs ends (a need's change time is set before its
# transaction commits; see alerts/sending.py).
SAVED_SEARCH_ALERTS_BATCH = env_int("SAVED_SEARCH_ALERTS_BATCH", 500, minimum=1)
SAVED_SEARCH_ALERTS_SETTLE_MINUTES = env_int("SAVED_SEARCH_ALERTS_SETTLE_MINUTES", 10, minimum=0)

# --- REST framework -----------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes an unauthenticated call a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Each API view names its own rules (core.api.access over core.access).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # The shared FilterSets carry their own `ordering` parameter.
    "DEFAULT_FILTER_BACKENDS": ["core.api.filters.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "core.api.exceptions.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.ApiAutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TA Needs Tracker API",
    "DESCRIPTION": (
        "Technical assistance needs identified in the reviews of the implementation of the "
        "United Nations Convention against Corruption, and the assistance that meets them.\n\n"
        "Authenticate with `Authorization: Token <key>` (staff issue tokens) or the signed-in "
        "session. Without either you see what the public pages show. Lists are paged "
        "(`page`, `page_size` up to 500), take the filters of the matching pages, sort with "
        "`ordering`, and answer as CSV with `?format=csv`. A query parameter an operation does "
        "not take, or a field a list cannot sort by, is refused with 400 (never ignored), "
        "naming the ones it takes. Every error is JSON: "
        '`{"detail": ..., "code": ..., "errors": {field: [...]}}`. Changes send the `version` '
        "they read and are refused with 409 if someone saved the record since."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": True,
    # Enums stay inline: many are read from the reference data, and naming them as shared
    # components would give one name to different sets (all States, the parties...).
    "POSTPROCESSING_HOOKS": [
        "core.api.schema.describe_csv_bodies",
        "core.api.schema.describe_text_parameters",
    ],
    # Swagger UI and Redoc from this server's static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Security -----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere: pages load their JavaScript and CSS from /static/ (the
# charts too: static/css/charts.css, see core/charts.py). Scripts may still set an element's
# style through the DOM, which a policy does not restrict. The API's Redoc page writes
# <style> elements: it alone reads request.csp_nonce, so its policy alone allows the nonce
# (static/js/redoc-nonce.js). It runs its search in a worker made from a blob: URL by its
# own (same-origin) script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
