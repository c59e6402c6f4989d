"""DentalLab settings: every deploy-specific value comes from the environment (docs/deployment.md).

Reading order: the core (debug, secret, hosts), applications and middleware, database, auth,
static and file storage, security headers, the platform, error reporting, e-mail, cache, the
API, logging; then one section per app. Every variable is read once, here, through
dentallab/env.py, which refuses a malformed or nonsensical value (naming the variable) so the app
does not start; app code reads `settings.X`, never `getattr(settings, "X", default)`.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from iso4217 import Currency

from dentallab import security
from dentallab.env import env_bool, env_choice, env_decimal, env_float, env_int, env_list, env_str
from dentallab.observability import init_sentry, logging_config
from dentallab.storage_config import local_storage, r2_storage

MiB = 1024 * 1024
BASE_DIR = Path(__file__).resolve().parent.parent

# --- Core -----------------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", False)

# Settings must import without secrets (Vercel imports them at build time), so a missing key is
# refused when the app serves or manages data: see dentallab/checks.py and dentallab/wsgi.py.
INSECURE_DEV_SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production-0123456789"  # noqa: S105 — refused with DEBUG off
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or INSECURE_DEV_SECRET_KEY
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")

# Development (`make run PORT=8100`): the links in tickets and e-mails follow the port the server
# runs on unless SITE_URL is set.
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000) if DEBUG else 8000}").rstrip("/")
_site = urlsplit(SITE_URL)
if not _site.scheme or not _site.hostname:
    raise ImproperlyConfigured(f"SITE_URL must be an absolute URL such as https://lab.example.com; got {SITE_URL!r}")

# Vercel's names for the same deployment: its own URL, the branch URL of a preview, the production domain.
ON_VERCEL = bool(env_str("VERCEL"))
VERCEL_ENV = env_str("VERCEL_ENV")  # production, preview or development; empty elsewhere
ALLOWED_HOSTS = [
    _site.hostname,
    *env_list("DJANGO_ALLOWED_HOSTS"),
    *[host for name in ("VERCEL_URL", "VERCEL_BRANCH_URL", "VERCEL_PROJECT_PRODUCTION_URL") if (host := env_str(name))],
]
if DEBUG:
    ALLOWED_HOSTS += ["localhost", "127.0.0.1", "[::1]"]
CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}", *env_list("DJANGO_CSRF_TRUSTED_ORIGINS")]
# The commit this build runs: /api/health's version and Sentry's release.
APP_GIT_SHA = env_str("APP_GIT_SHA") or env_str("VERCEL_GIT_COMMIT_SHA")

# --- Applications and middleware ------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "sequences",
    "django_tasks",
    "django_tasks_db",
    "dentallab",
    "accounts",
    "cases",
    "files",
    "notifications",
    "shipping",
    "traceability",
]

MIDDLEWARE = [
    "dentallab.observability.RequestLogMiddleware",  # first: every response gets a request id and a log line
    "django.middleware.security.SecurityMiddleware",
    "dentallab.security.ContentSecurityPolicyMiddleware",
    "dentallab.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dentallab.errors.AppErrorMiddleware",
    # Axes turns a flagged lockout into an answer; it belongs after everything that authenticates.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dentallab.urls"
WSGI_APPLICATION = "dentallab.wsgi.application"

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
                "accounts.context_processors.permissions",
                "notifications.context_processors.bell",
            ],
            # `{% url %}` with the URLs pages repeat reversed once per process (same output).
            "builtins": ["dentallab.templatetags.urls"],
        },
    },
]

# --- Forms (perf, issue 10) ------------------------------------------------------------------
# Django's form renderer with the common widgets written in Python, same HTML (dentallab/form_renderer.py).
FORM_RENDERER = "dentallab.form_renderer.FastWidgets"

# --- Database -------------------------------------------------------------------------------
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 3, min_value=1)
DATABASE_STATEMENT_TIMEOUT_MS = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 30_000, min_value=1)
# During `predeploy` a migration waiting this long for a table lock gives up (retry later).
DATABASE_MIGRATION_LOCK_TIMEOUT_MS = env_int("DATABASE_MIGRATION_LOCK_TIMEOUT_MS", 10_000, min_value=1)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, min_value=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable database must fail fast (health answers 503 in seconds, not a hang).
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
    # Behind PgBouncer in transaction mode (Neon's pooled URL) connections cannot be kept and
    # server-side cursors do not work.
    if env_bool("DATABASE_POOLED", "-pooler." in (DATABASES["default"].get("HOST") or "")):
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    else:
        # A runaway query is cancelled instead of holding a worker and a connection. PgBouncer refuses
        # the `options` startup parameter, so behind it the timeout is set on the database role
        # instead (ALTER ROLE ... SET statement_timeout, docs/operations.md).
        DATABASES["default"]["OPTIONS"]["options"] = f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}"
# Migrations (manage.py predeploy, the Vercel build) use the unpooled URL when there is one: DDL,
# advisory locks and long statements need a real session, not PgBouncer's transaction mode.
DIRECT_DATABASE_URL = env_str("DIRECT_DATABASE_URL")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out account before any password check
    # Django's, with the per-request user lookup compiled once (accounts/backends.py). Sessions
    # signed in through django.contrib.auth.backends.ModelBackend before it ask to sign in again.
    "accounts.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
# Django's database sessions with their lookup compiled once per process (accounts/sessions.py).
SESSION_ENGINE = "accounts.sessions"
# Invitation and password-reset links stay valid for 3 days.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# --- I18N -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
# The app speaks English only and translates nothing: with translation off, Django's own strings
# (month names, form and API error messages, choice labels) are used as written instead of being
# looked up in the active language's catalogue on every use. Dates and numbers keep the en-us
# formats (LANGUAGE_CODE's), so every page and JSON response is unchanged (docs/performance.md).
USE_I18N = False
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_MANIFEST = env_bool("DJANGO_STATIC_MANIFEST", not DEBUG)
# Without a manifest (development, tests) whitenoise serves straight from the source folders.
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

# --- File storage (case files: local disk, or R2 in production) -------------------------------
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
R2_BUCKET_NAME = env_str("R2_BUCKET_NAME")
R2_ENDPOINT = env_str("R2_ENDPOINT")
R2_ACCESS_KEY_ID = env_str("R2_ACCESS_KEY_ID")
R2_SECRET_ACCESS_KEY = env_str("R2_SECRET_ACCESS_KEY")
R2_PUBLIC_URL = env_str("R2_PUBLIC_URL")
STORAGES = {
    "default": (
        r2_storage(
            bucket=R2_BUCKET_NAME,
            endpoint=R2_ENDPOINT,
            access_key=R2_ACCESS_KEY_ID,
            secret_key=R2_SECRET_ACCESS_KEY,
        )
        if R2_BUCKET_NAME
        else local_storage(location=str(MEDIA_ROOT), base_url=MEDIA_URL)
    ),
    # The manifest storage needs `collectstatic`; plain storage keeps `make run` and tests simple.
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Upload sizes and limits: the files app's section below.

# --- Security -------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^api/health$"]
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365, min_value=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Django sets the others (nosniff, Referrer-Policy, X-Frame-Options, COOP) from the settings above.
# Number of reverse proxies in front of the app whose X-Forwarded-For entries are trusted.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0, min_value=0)

# Content-Security-Policy, Permissions-Policy. No inline script or style: pages load JS and CSS
# as files. The middleware adds the R2 endpoint (from STORAGES) for direct uploads and presigned
# downloads (dentallab/security.py).
CONTENT_SECURITY_POLICY = security.content_security_policy(
    storage=[],
    public=[security.origin_of(R2_PUBLIC_URL, setting="R2_PUBLIC_URL")] if R2_PUBLIC_URL else [],
    report_uri=env_str("CSP_REPORT_URI"),
)
if R2_ENDPOINT:
    security.origin_of(R2_ENDPOINT, setting="R2_ENDPOINT")  # a malformed endpoint stops the start-up
PERMISSIONS_POLICY = security.PERMISSIONS_POLICY

# --- Error reporting ------------------------------------------------------------------------
SENTRY_DSN = env_str("SENTRY_DSN")
SENTRY_ENVIRONMENT = env_str("SENTRY_ENVIRONMENT") or VERCEL_ENV or ("development" if DEBUG else "production")
SENTRY_TRACES_SAMPLE_RATE = env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0, min_value=0.0, max_value=1.0)
if SENTRY_DSN:
    init_sentry(
        dsn=SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        release=APP_GIT_SHA,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
    )

# --- Email ----------------------------------------------------------------------------------
# Without an SMTP server (and in development) e-mails are printed to the log.
_smtp_host = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or not _smtp_host
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = _smtp_host or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 587, min_value=1, max_value=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, min_value=1)  # seconds: a dead mail server fails the task, never hangs it
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "DentalLab <no-reply@dentallab.local>")

# --- Cache (shared across instances: never per-process memory in production) ----------------
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "dentallab_cache"}
    )
}
# /api/health shares its checks' result through this cache for this many seconds (DESIGN §11: at
# most 5; 0 = the checks run on every request, as in the test settings).
HEALTH_CACHE_SECONDS = env_int("HEALTH_CACHE_SECONDS", 5, min_value=0, max_value=5)

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's JSON renderer, written by orjson (same bytes, dentallab/api_renderers.py).
    "DEFAULT_RENDERER_CLASSES": ["dentallab.api_renderers.JSONRenderer"],
    # DRF's default parsers, with a JSON parser that answers 400 (not 500) to absurdly nested JSON.
    "DEFAULT_PARSER_CLASSES": [
        "dentallab.api_parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "dentallab.api_errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "dentallab.api_pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "DentalLab API",
    "DESCRIPTION": "Cases, price list and practices of the dental laboratory. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and ReDoc from the installed sidecar package: no CDN (the CSP forbids one).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"CaseStatusEnum": "cases.models.Status"},
}

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # One JSON object per line on stdout with the request id; LOG_FORMAT=text for a terminal.
    **logging_config(
        level=env_choice("LOG_LEVEL", "info", ("debug", "info", "warning", "error", "critical")),
        log_format=env_choice("LOG_FORMAT", "json", ("json", "text")),
    ),
}


# --- Accounts: API tokens, brute-force lockout, invitations (issue 3) ------------------------
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_TOKEN_MINUTES", 15, min_value=1)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_TOKEN_DAYS", 30, min_value=1)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
}
# 5 failures for one account within 15 minutes lock that account (whatever the IP) for 15
# minutes. State lives in the database (AccessAttempt), shared by every instance.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, min_value=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, min_value=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout do not extend it: it ends 15 minutes after the fifth failure.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "accounts.lockout.username_from_credentials"
AXES_CLIENT_IP_CALLABLE = "accounts.audit.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_VERBOSE = False
# Axes warns when the IP is not a lockout key. Locking by account alone is deliberate (DESIGN: 5
# failures per account); failures are summed over every IP and user agent, so rotating them
# does not reset the count.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# --- Cases ----------------------------------------------------------------------------------
# How teeth are shown on pages (stored in FDI always).
TOOTH_NOTATION = env_choice("DENTALLAB_TOOTH_NOTATION", "fdi", ("fdi", "universal"))
# Dashboard figures and unfiltered list counts are shared through CACHES for this many seconds
# (0 = counted on every request). Keep it short: they are at most this old. cases/counts.py.
CASE_COUNT_CACHE_SECONDS = env_int("CASE_COUNT_CACHE_SECONDS", 5, min_value=0)

# --- Case files (files app) -------------------------------------------------------------------
FILE_UPLOAD_MAX_BYTES = env_int("FILE_UPLOAD_MAX_BYTES", 500 * MiB, min_value=1)
# Vercel caps request bodies at 4.5 MB, so there every upload goes from the browser straight to
# R2 (presigned PUT / multipart) and only small files may pass through the app.
UPLOADS_DIRECT_ONLY = env_bool("UPLOADS_DIRECT_ONLY", ON_VERCEL)
# With direct uploads only, the app itself never takes a body over this (Vercel: at most 4.5 MB).
DIRECT_ONLY_MAX_APP_UPLOAD_BYTES = 4 * MiB
MAX_APP_UPLOAD_BYTES = env_int(
    "MAX_APP_UPLOAD_BYTES", DIRECT_ONLY_MAX_APP_UPLOAD_BYTES if ON_VERCEL else FILE_UPLOAD_MAX_BYTES, min_value=1
)
# Allowed extensions per kind; content is checked against them (files/validation.py).
FILE_ALLOWED_EXTENSIONS = {
    "scan": ["stl", "ply", "obj", "dcm", "zip"],
    "photo": ["jpg", "jpeg", "png", "heic"],
    "design": ["stl", "ply", "obj", "dcm", "zip", "pdf", "jpg", "jpeg", "png"],
    "document": ["pdf", "jpg", "jpeg", "png"],
    "other": ["stl", "ply", "obj", "dcm", "zip", "pdf", "jpg", "jpeg", "png", "heic"],
}
# Direct uploads above this size use S3 multipart with presigned part URLs; every part but the
# last has the part size (S3 and R2: 5 MiB to 5 GiB).
FILE_MULTIPART_THRESHOLD = env_int("FILE_MULTIPART_THRESHOLD", 50 * 1000 * 1000, min_value=1)
FILE_MULTIPART_PART_SIZE = env_int("FILE_MULTIPART_PART_SIZE", 16 * MiB, min_value=5 * MiB, max_value=5 * 1024 * MiB)
# Lifetimes of presigned URLs, in seconds (S3 signatures last at most 7 days). They are
# credentials until they expire: keep them short.
FILE_UPLOAD_URL_EXPIRY = env_int("FILE_UPLOAD_URL_EXPIRY", 15 * 60, min_value=1, max_value=7 * 24 * 3600)
FILE_UPLOAD_PART_URL_EXPIRY = env_int("FILE_UPLOAD_PART_URL_EXPIRY", 60 * 60, min_value=1, max_value=7 * 24 * 3600)
FILE_DOWNLOAD_URL_EXPIRY = env_int("FILE_DOWNLOAD_URL_EXPIRY", 5 * 60, min_value=1, max_value=7 * 24 * 3600)
# A zip (scan export) is refused beyond these: entries, declared uncompressed bytes, compression ratio.
FILE_ZIP_MAX_ENTRIES = env_int("FILE_ZIP_MAX_ENTRIES", 5000, min_value=1)
FILE_ZIP_MAX_UNCOMPRESSED_BYTES = env_int("FILE_ZIP_MAX_UNCOMPRESSED_BYTES", 4 * 1024 * MiB, min_value=1)
FILE_ZIP_MAX_RATIO = env_int("FILE_ZIP_MAX_RATIO", 100, min_value=1)

# --- Background tasks, e-mail outbox, notifications, shipping (issue 12) ----------------------
# Django's Tasks API (the django-tasks backport) on the database backend: no extra server. The
# worker is `python manage.py db_worker`; on Vercel the cron endpoint runs the queue
# (dentallab/cron.py). Switching to RQ or Celery: docs/operations.md.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The bearer secret of POST /api/cron/run-tasks; unset, the endpoint refuses every request.
CRON_SECRET = env_str("CRON_SECRET")
CRON_RUN_SECONDS = env_float("CRON_RUN_SECONDS", 50.0, min_value=1.0)
# Failed sends are retried after base × 4^(attempt-1) seconds, up to this many attempts in all.
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 6, min_value=1)
EMAIL_RETRY_BASE_SECONDS = env_int("EMAIL_RETRY_BASE_SECONDS", 60, min_value=0)
# The weekly recap goes out on Fridays at this hour, in the lab's TIME_ZONE.
WEEKLY_RECAP_HOUR = env_int("WEEKLY_RECAP_HOUR", 15, min_value=0, max_value=23)

# --- Compiled queries (dentallab/compiled.py) ------------------------------------------------
# On in the test suite: every compiled query checks that the SQL it sends is the ORM's own.
COMPILED_QUERY_CHECKS = False

# --- Page panels: how newer apps add to cases' pages without cases importing them ----------------
# Each slot lists callables `(request, **context) -> str` (HTML) that `{% panels "slot" ... %}`
# (dentallab/templatetags/panels.py) renders in order. docs/architecture.md, "Page panels".
PAGE_PANELS = {
    "dashboard.alerts": [],
    "case_detail.alerts": [],
    "case_detail.main": [],
    "case_detail.side": [],
}
# Sections other apps add to the lab's reports page (/reports/): key → dotted path of a callable
# `(user, filters, cache)` returning a Section or a dict of its fields (reports/report_sections.py).
REPORT_SECTIONS: dict[str, str] = {}

# --- Traceability and the statement of manufacture (issue 14, DESIGN §15) -----------------------
# Which regulator's document a shipped case gets: eu (MDR Annex XIII statement), uk (UK MDR 2002
# statement with the material and point-of-origin disclosure) or us (the disclosure).
LAB_REGULATORY_REGION = env_choice("LAB_REGULATORY_REGION", "eu", ("eu", "uk", "us"))
# Seconds the statement write to R2 may take (connect and read, at most one retry) while the move to
# shipped holds the case row: an S3 timeout must never hold a database lock for long.
STATEMENT_STORAGE_TIMEOUT = env_float("STATEMENT_STORAGE_TIMEOUT", 5.0, min_value=0.1)
PAGE_PANELS["dashboard.alerts"].append("traceability.panels.dashboard_alerts")
PAGE_PANELS["case_detail.alerts"].append("traceability.panels.case_alerts")
PAGE_PANELS["case_detail.main"].append("traceability.panels.case_lots_panel")

# --- Production floor: departments, routing, steps, bench, scan station, QC (issue 11, DESIGN §12) --
INSTALLED_APPS += ["production"]
PAGE_PANELS["case_detail.main"].append("production.panels.case_steps_panel")
REPORT_SECTIONS["departments"] = "production.report_sections.work_in_progress_by_department"
PAGE_PANELS["dashboard.alerts"].insert(0, "production.panels.dashboard_bench")

# --- Working calendar (issue 11, DESIGN §12) ------------------------------------------------------
# Every date (suggested due, ship-by, late, due today, next 7 days, capacity) is a working day:
# a working weekday (ISO 1 = Monday … 7 = Sunday) that is neither a public holiday of the country /
# subdivision (the `holidays` package, e.g. GB + ENG for England's bank holidays) nor a closed day
# a manager added. Checked at start: an unknown country or subdivision refuses to start.
INSTALLED_APPS += ["workcalendar"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware"),
    "workcalendar.middleware.CalendarScopeMiddleware",
)
LAB_HOLIDAYS_COUNTRY = env_str("LAB_HOLIDAYS_COUNTRY", "US").strip().upper()
LAB_HOLIDAYS_SUBDIV = env_str("LAB_HOLIDAYS_SUBDIV", "").strip()
LAB_WORKING_WEEKDAYS = env_str("LAB_WORKING_WEEKDAYS", "1,2,3,4,5")
# --- Reports and moving in / out (issue 16, DESIGN §17, §18) ------------------------------------
INSTALLED_APPS += ["reports", "dataio"]
# A dentist's (or technician's) own scorecard on the dashboard, under the cases' own cards.
PAGE_PANELS.setdefault("dashboard.main", []).append("reports.panels.own_scorecard")
# Other apps may add sections to /reports/ with a REPORT_SECTIONS dict in their own settings section
# (key → dotted path of `(user, filters, cache) -> Section`, reports/report_sections.py, defined
# with PAGE_PANELS above), e.g. billing's revenue and receivables by practice.
# Imports (dataio): files above these limits are refused with a message saying so. 4 MB stays
# under Vercel's 4.5 MB request cap; 5,000 rows (far more than a lab's practices or price list)
# import in well under a minute, inside a serverless function's time limit.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 4_000_000)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 5_000)
# --- Billing: invoices, credit notes, payments, statements (issue 13, DESIGN §13) ----------------
INSTALLED_APPS += ["billing"]
# A rush case's invoice adds this percentage of its subtotal; tax applies after the practice discount.
RUSH_SURCHARGE_PERCENT = env_decimal("RUSH_SURCHARGE_PERCENT", "0", min_value=0, max_value=100)
TAX_RATE_PERCENT = env_decimal("TAX_RATE_PERCENT", "0", min_value=0, max_value=100)
# ISO 4217 code of every invoice; an unknown code refuses to start.
CURRENCY = env_str("CURRENCY", "USD").strip().upper()
if CURRENCY not in {currency.code for currency in Currency}:
    raise ImproperlyConfigured(f"CURRENCY must be an ISO 4217 currency code such as USD or EUR; got {CURRENCY!r}")
# Days a practice has to pay an invoice unless the practice has terms of its own.
PAYMENT_TERMS_DAYS = env_int("PAYMENT_TERMS_DAYS", 30, min_value=0, max_value=365)
# Day of the month (1-28) the statement run e-mails every practice last month's statement as a
# periodic task; 0 (default): off, run `manage.py send_statements` yourself.
MONTHLY_STATEMENT_DAY = env_int("MONTHLY_STATEMENT_DAY", 0, min_value=0, max_value=28)
PAGE_PANELS["case_detail.side"].append("billing.panels.case_invoice_panel")
REPORT_SECTIONS["revenue"] = "billing.report_sections.revenue_and_receivables"
# --- UI: every page on every screen (issue 15, DESIGN §16) ----------------------------------------
# A design goes to the dentist for approval only with a design file attached (files/receivers.py).
DESIGN_APPROVAL_REQUIRES_FILE = env_bool("DESIGN_APPROVAL_REQUIRES_FILE", True)
# The design files and their 3D viewer beside Approve / Request changes (files/panels.py).
PAGE_PANELS.setdefault("case_detail.moves", []).append("files.panels.design_review")
