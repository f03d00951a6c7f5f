"""Settings for the LatentGEO and Geog service, read from the environment.

Without DATABASE_URL, REDIS_URL and CELERY_BROKER_URL the service runs on the embedded
default: SQLite under var/, a local-memory cache and Celery tasks executed in-process.
Variables missing from the environment are read from ENV_FILE (`.env`) when it exists.
"""

import ipaddress
import re
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from config.sentry import sentry_init
from errors.apis import LATENTGEO_PREFIX
from rate_limits.windows import window_parse

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A development clone keeps DEBUG and its generated secrets in `.env` (written by `make run`);
# real environment variables win over it. The test suite sets ENV_FILE empty to read none.
ENV_FILE = env.str("ENV_FILE", default=str(BASE_DIR / ".env"))
if ENV_FILE:
    environ.Env.read_env(ENV_FILE)

DEV_SECRET_KEY = "django-insecure-embedded-default-only"  # noqa: S105 - refused when DEBUG is off

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY)
# Previous secret keys, still accepted for signatures and derived keys after a rotation.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "mozilla_django_oidc",
    "axes",
    "config",
    "errors",
    "encryption",
    "authn",
    "accounts",
    "connections",
    "reports",
    "notifications",
    "hubspot_cms",
    "github_fixes",
    "tiles",
    "places",
]

MIDDLEWARE = [
    "config.request_id.RequestIdMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "config.cors.GeogCorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "errors.request_limits.RequestLimitsMiddleware",
    # Outside the Geog API only (config.browser_middleware).
    "config.browser_middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.browser_middleware.CsrfViewMiddleware",
    "config.browser_middleware.AuthenticationMiddleware",
    "config.browser_middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "config.browser_middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
# Threads per web worker that serve every request but the progress streams (config.asgi).
WEB_THREADS = env.int("WEB_THREADS", default=4)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database
if not env.str("DATABASE_URL", default=""):
    VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3)
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves threads and commands side by side: writers take the lock at
    # the start of a transaction and wait for it instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(transaction_mode="IMMEDIATE", timeout=20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate-limit counters, token verification cache)
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery
# Without a broker, tasks run in-process; the in-memory transport is never used for delivery.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=not env.str("CELERY_BROKER_URL", default="")
)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic work, started by the Procfile's `beat` process (one is enough; a second one by
# mistake starts nothing twice, every task claims its rows). Without a broker, the embedded
# default runs the same entries from a thread of the web process (config.embedded_beat).
CELERY_BEAT_SCHEDULE = {
    "audit-schedules": {"task": "reports.periodic_tasks.audit_schedules_run_due", "schedule": 60},
    "audit-runs-lost": {"task": "reports.periodic_tasks.audit_runs_recover", "schedule": 30},
    "webhook-retries": {
        "task": "notifications.tasks.webhook_deliveries_send_due",
        "schedule": 30,
    },
    # Geog usage: the counted requests written to the database every minute.
    "geog-usage-flush": {"task": "accounts.tasks.usage_flush_task", "schedule": 60},
}
EMBEDDED_BEAT = env.bool("EMBEDDED_BEAT", default=CELERY_TASK_ALWAYS_EAGER)

# --- Static files and media (PDF reports)
STATIC_URL = "static/"
STATIC_ROOT = env.str("STATIC_ROOT", default="") or None
# MapLibre GL JS for the admin's tileset preview, installed by `make` (npm ci) from the
# pinned tiles/preview_assets/package-lock.json; served as static/maplibre-gl/.
MAPLIBRE_GL_DIR = env.str(
    "MAPLIBRE_GL_DIR", default=str(VAR_DIR / "npm" / "node_modules" / "maplibre-gl" / "dist")
)
STATICFILES_DIRS = [("maplibre-gl", MAPLIBRE_GL_DIR)] if Path(MAPLIBRE_GL_DIR).is_dir() else []
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "media/"
# --- Object storage: the usual AWS_* variables serve tilesets (TILESETS_URL) and reports alike;
# AWS_ENDPOINT_URL points both at a non-AWS store (R2, MinIO...). Empty credentials fall back
# to the providers' own chains (instance roles, ~/.aws).
AWS_ENDPOINT_URL = env.str("AWS_ENDPOINT_URL", default="")
AWS_S3_REGION_NAME = env.str(
    "AWS_REGION", default=env.str("AWS_DEFAULT_REGION", default="us-east-1")
)
AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default="")
AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default="")
AWS_SESSION_TOKEN = env.str("AWS_SESSION_TOKEN", default="")
# PDF reports go to this bucket (django-storages) when it is set, so that any node serves any
# report; downloads still go through the API, which reads the object and streams it.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
AWS_LOCATION = env.str("AWS_LOCATION", default="")
DEFAULT_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "location": AWS_LOCATION,
            "endpoint_url": AWS_ENDPOINT_URL or None,
            "region_name": AWS_S3_REGION_NAME,
            "access_key": AWS_ACCESS_KEY_ID or None,
            "secret_key": AWS_SECRET_ACCESS_KEY or None,
            "security_token": AWS_SESSION_TOKEN or None,
            "default_acl": None,
            # Reports are private: no public URLs, and a new render never overwrites a
            # report another request may be reading (it gets a name of its own).
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if AWS_STORAGE_BUCKET_NAME
    else {
        "BACKEND": env.str(
            "DEFAULT_FILE_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
        )
    }
)
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Internationalisation
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Security
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
X_FRAME_OPTIONS = "DENY"
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
REQUEST_MAX_BODY_BYTES = 1024 * 1024
REQUEST_MAX_URL_LENGTH = 2048
# JSON arrays and objects nested deeper than this are a malformed body (400).
REQUEST_MAX_JSON_DEPTH = 64
RETRY_AFTER_UNAVAILABLE_SECONDS = env.int("RETRY_AFTER_UNAVAILABLE_SECONDS", default=30)

# --- CORS: an allowlist on /api/v1/ (django-cors-headers), any origin on /v1/ (config.cors)
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = rf"^{re.escape(LATENTGEO_PREFIX)}.*$"
GEOG_CORS_ALLOWED_ORIGINS = [
    origin.rstrip("/") for origin in env.list("GEOG_CORS_ALLOWED_ORIGINS", default=["*"])
]
CORS_ALLOW_HEADERS = ["authorization", "content-type", "if-none-match", "x-request-id"]
CORS_EXPOSE_HEADERS = [
    "X-Auth-Error-Code",
    "Retry-After",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    *(
        f"X-RateLimit-{family}-{name}"
        for family in ("Tiles", "Places", "Api")
        for name in ("Limit", "Remaining", "Reset")
    ),
    "ETag",
    "X-Request-ID",
]
CORS_PREFLIGHT_MAX_AGE = env.int("CORS_PREFLIGHT_MAX_AGE", default=86400)

# --- REST framework and OpenAPI
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_PARSER_CLASSES": ["errors.json_parser.DepthLimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "errors.handler.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "errors.schema.ErrorDocumentingAutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "LatentGEO and Geog APIs",
    "DESCRIPTION": (
        "Two APIs served by one service. The LatentGEO API (`/api/v1/`) manages GitHub and "
        "HubSpot connections, website audits and their PDF reports, authenticated with Auth0 "
        'access tokens; its errors are `{"detail": ...}`. The Geog API (`/v1/`) serves '
        "Mapbox vector tiles and searches places with self-issued tokens; its errors use the "
        '`{"success": false, "error", "message", "code"}` envelope.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # LatentGEO routes answer with and without a trailing slash; each is documented once.
    "PREPROCESSING_HOOKS": ["config.trailing_slash.schema_aliases_drop"],
    "ENUM_NAME_OVERRIDES": {
        "AuditStatusEnum": "reports.models.Audit.Status",
        "PdfJobStatusEnum": "reports.models.PdfJob.Status",
    },
    "TAGS": [
        {"name": "health", "description": "Liveness and readiness."},
        {"name": "latentgeo-connections", "description": "GitHub and HubSpot connections."},
        {"name": "latentgeo-audits", "description": "Website audits and PDF reports."},
        {"name": "geog-auth", "description": "Geog tokens, exchange and keys."},
        {"name": "geog-tiles", "description": "Vector tiles and TileJSON."},
        {"name": "geog-places", "description": "Places search and lookup."},
    ],
}

# --- LatentGEO authentication (Auth0)
AUTH0_ISSUER = env.str("AUTH0_ISSUER", default="")
AUTH0_AUDIENCE = env.str("AUTH0_AUDIENCE", default="")
AUTH0_JWKS_URL = env.str("AUTH0_JWKS_URL", default="")
AUTH0_EXPECTED_CLIENT_ID = env.str("AUTH0_EXPECTED_CLIENT_ID", default="")
AUTH0_JWKS_CACHE_SECONDS = env.int("AUTH0_JWKS_CACHE_SECONDS", default=21600)
AUTH0_JWKS_TIMEOUT_SECONDS = env.float("AUTH0_JWKS_TIMEOUT_SECONDS", default=2)
AUTH0_JWKS_REFRESH_COOLDOWN_SECONDS = env.int("AUTH0_JWKS_REFRESH_COOLDOWN_SECONDS", default=30)
ALLOW_INTERNAL_TEST_JWT = env.bool("ALLOW_INTERNAL_TEST_JWT", default=DEBUG)
# Internal tokens are signed with a shared secret: anyone holding it can be any user. Without
# DEBUG they are refused unless this second, loudly named setting says so (test runs only).
INSECURE_FORCE_INTERNAL_TEST_JWT_WITHOUT_DEBUG = env.bool(
    "INSECURE_FORCE_INTERNAL_TEST_JWT_WITHOUT_DEBUG", default=False
)
if ALLOW_INTERNAL_TEST_JWT and not DEBUG and not INSECURE_FORCE_INTERNAL_TEST_JWT_WITHOUT_DEBUG:
    raise ImproperlyConfigured(
        "ALLOW_INTERNAL_TEST_JWT is on while DEBUG is off: anyone with INTERNAL_JWT_SECRET could "
        "act as any user. Turn it off, or set INSECURE_FORCE_INTERNAL_TEST_JWT_WITHOUT_DEBUG=true "
        "for a test environment."
    )
INTERNAL_JWT_SECRET = env.str("INTERNAL_JWT_SECRET", default=SECRET_KEY)

# --- Staff login to the admin (OIDC)
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
# The password login is throttled by django-axes: its backend refuses a username and address
# pair that failed AXES_FAILURE_LIMIT times in a row, for AXES_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Lockouts are still logged; the banner every process would print at start is not.
AXES_VERBOSE = False
# axes looks for its middleware by name; config.browser_middleware.AxesMiddleware is that
# middleware, kept off the Geog API like the session middleware.
SILENCED_SYSTEM_CHECKS = ["axes.W002"]
ADMIN_OIDC_ENABLED = all(
    (
        OIDC_RP_CLIENT_ID,
        OIDC_OP_AUTHORIZATION_ENDPOINT,
        OIDC_OP_TOKEN_ENDPOINT,
        OIDC_OP_USER_ENDPOINT,
        OIDC_OP_JWKS_ENDPOINT,
    )
)
if ADMIN_OIDC_ENABLED:
    # Staff sign in at the provider only; existing staff users are matched by email.
    AUTHENTICATION_BACKENDS = ["authn.admin_oidc.StaffOIDCBackend"]
    # No password login to throttle: the provider throttles its own.
    AXES_ENABLED = False
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "axes.W003"]
    OIDC_CREATE_USER = False
    OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=5)
    LOGIN_REDIRECT_URL = "/admin/"
    LOGIN_REDIRECT_URL_FAILURE = "/admin/login/"

# --- Secrets at rest (encryption/): the master key every stored secret's key derives from.
ENCRYPTION_KEY = env.str("ENCRYPTION_KEY", default="")
# Previous keys: still decrypt; `manage.py reencrypt_secrets` moves everything to the current one.
ENCRYPTION_KEY_FALLBACKS = env.list("ENCRYPTION_KEY_FALLBACKS", default=[])

# --- Connections (OAuth)
OAUTH_STATE_TTL_SECONDS = env.int("OAUTH_STATE_TTL_SECONDS", default=600)
OAUTH_HTTP_TIMEOUT_SECONDS = env.float("OAUTH_HTTP_TIMEOUT_SECONDS", default=5)
GITHUB_OAUTH_AUTHORIZE_URL = env.str(
    "GITHUB_OAUTH_AUTHORIZE_URL", default="https://github.com/login/oauth/authorize"
)
GITHUB_OAUTH_TOKEN_URL = env.str(
    "GITHUB_OAUTH_TOKEN_URL", default="https://github.com/login/oauth/access_token"
)
GITHUB_API_URL = env.str("GITHUB_API_URL", default="https://api.github.com")
GITHUB_API_TIMEOUT_SECONDS = env.float("GITHUB_API_TIMEOUT_SECONDS", default=20.0)
# Sections other apps add to an audit's PDF report and admin page (reports.report_sections).
AUDIT_REPORT_SECTIONS = ["github_fixes.report_section.fix_pull_requests_section"]
# Signs the webhook deliveries GitHub sends to /api/v1/github/webhook (X-Hub-Signature-256).
GITHUB_WEBHOOK_SECRET = env.str("GITHUB_WEBHOOK_SECRET", default="")
GITHUB_CLIENT_ID = env.str("GITHUB_CLIENT_ID", default="")
GITHUB_CLIENT_SECRET = env.str("GITHUB_CLIENT_SECRET", default="")
GITHUB_REDIRECT_URI = env.str("GITHUB_REDIRECT_URI", default="")
GITHUB_OAUTH_SCOPES = env.str("GITHUB_OAUTH_SCOPES", default="read:user user:email repo")
HUBSPOT_OAUTH_AUTHORIZE_URL = env.str(
    "HUBSPOT_OAUTH_AUTHORIZE_URL", default="https://app.hubspot.com/oauth/authorize"
)
HUBSPOT_OAUTH_TOKEN_URL = env.str(
    "HUBSPOT_OAUTH_TOKEN_URL", default="https://api.hubapi.com/oauth/v1/token"
)
HUBSPOT_API_URL = env.str("HUBSPOT_API_URL", default="https://api.hubapi.com")
HUBSPOT_CLIENT_ID = env.str("HUBSPOT_CLIENT_ID", default="")
HUBSPOT_CLIENT_SECRET = env.str("HUBSPOT_CLIENT_SECRET", default="")
HUBSPOT_REDIRECT_URI = env.str("HUBSPOT_REDIRECT_URI", default="")
HUBSPOT_OAUTH_SCOPES = env.str("HUBSPOT_OAUTH_SCOPES", default="oauth content")
# Calls to HubSpot's CMS API (pages, blog posts) and its token endpoint give up after this.
HUBSPOT_API_TIMEOUT_SECONDS = env.float("HUBSPOT_API_TIMEOUT_SECONDS", default=10)
# An access token expiring within this many seconds is refreshed before the call.
HUBSPOT_TOKEN_REFRESH_MARGIN_SECONDS = env.int("HUBSPOT_TOKEN_REFRESH_MARGIN_SECONDS", default=120)

# --- Reports
PDF_GENERATE_RATE = env.str("PDF_GENERATE_RATE", default="5/m")
# A rendering task renews its job's lease every third of this; a job whose lease lapsed had
# its worker die and is re-queued (or failed after PDF_JOB_MAX_ATTEMPTS renders).
PDF_JOB_LEASE_SECONDS = env.int("PDF_JOB_LEASE_SECONDS", default=60)
PDF_JOB_MAX_ATTEMPTS = env.int("PDF_JOB_MAX_ATTEMPTS", default=3)
AUDIT_CREATE_RATE = env.str("AUDIT_CREATE_RATE", default="10/m")
AUDIT_MAX_RUNNING_PER_USER = env.int("AUDIT_MAX_RUNNING_PER_USER", default=3)
AUDIT_TIME_BUDGET_SECONDS = env.int("AUDIT_TIME_BUDGET_SECONDS", default=300)
AUDIT_CRAWL_CONCURRENCY = env.int("AUDIT_CRAWL_CONCURRENCY", default=2)
# A crawl renews its run's lease every third of this; a run whose lease lapsed had its worker
# die: it is re-queued, and failed once it was started AUDIT_RUN_MAX_ATTEMPTS times.
AUDIT_RUN_LEASE_SECONDS = env.int("AUDIT_RUN_LEASE_SECONDS", default=60)
AUDIT_RUN_MAX_ATTEMPTS = env.int("AUDIT_RUN_MAX_ATTEMPTS", default=2)
# Addresses or networks the audit crawler may reach although they are not public (intranets).
AUDIT_ALLOWED_PRIVATE_HOSTS = env.list("AUDIT_ALLOWED_PRIVATE_HOSTS", default=[])
# The progress stream (GET /api/v1/sse/audits/{id}/progress): a comment after this long
# without a change, a database read this often without Redis, and an end after this long.
AUDIT_PROGRESS_HEARTBEAT_SECONDS = env.float("AUDIT_PROGRESS_HEARTBEAT_SECONDS", default=30)
AUDIT_PROGRESS_POLL_SECONDS = env.float("AUDIT_PROGRESS_POLL_SECONDS", default=2)
AUDIT_PROGRESS_STREAM_MAX_SECONDS = env.float("AUDIT_PROGRESS_STREAM_MAX_SECONDS", default=3600)

# --- Geog tokens, tiles and rate limits
GEOG_ISSUER = env.str("GEOG_ISSUER", default="https://geog.local")
GEOG_AUDIENCE = env.str("GEOG_AUDIENCE", default="geog-api")
GEOG_JWKS_URL = env.str("GEOG_JWKS_URL", default="")
GEOG_JWKS_CACHE_SECONDS = env.int("GEOG_JWKS_CACHE_SECONDS", default=300)
GEOG_JWKS_TIMEOUT_SECONDS = env.float("GEOG_JWKS_TIMEOUT_SECONDS", default=2)
GEOG_TOKEN_DEFAULT_DAYS = env.int("GEOG_TOKEN_DEFAULT_DAYS", default=365)
GEOG_FREE_TILES_PER_WINDOW = env.int("GEOG_FREE_TILES_PER_WINDOW", default=1000)
GEOG_FREE_API_PER_WINDOW = env.int("GEOG_FREE_API_PER_WINDOW", default=100)
GEOG_FREE_PLACES_PER_WINDOW = env.int("GEOG_FREE_PLACES_PER_WINDOW", default=1000)
# The rate-limit window: `utc-day` (ends at 00:00 UTC) or seconds. GEOG_RATE_WINDOW_SECONDS,
# its former name, still sets the seconds when GEOG_RATE_WINDOW is not set.
GEOG_RATE_WINDOW = window_parse(
    env.str("GEOG_RATE_WINDOW", default=env.str("GEOG_RATE_WINDOW_SECONDS", default="3600"))
)
# django-ratelimit counts in the default cache and lets requests through when it cannot.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_FAIL_OPEN = True
# Usage CSV exports each staff user may download from the admin (django-ratelimit).
ADMIN_USAGE_EXPORT_RATE = env.str("ADMIN_USAGE_EXPORT_RATE", default="30/m")
GEOG_PUBLIC_BASE_URL = env.str("GEOG_PUBLIC_BASE_URL", default="")
# The keys signing keys were stored under before ENCRYPTION_KEY; read by a migration only.
GEOG_KEY_ENCRYPTION_KEY = env.str("GEOG_KEY_ENCRYPTION_KEY", default="")
GEOG_KEY_ENCRYPTION_KEY_FALLBACKS = env.list("GEOG_KEY_ENCRYPTION_KEY_FALLBACKS", default=[])
TILESETS_DIR = env.path("TILESETS_DIR", default=str(VAR_DIR / "tilesets"))
# An S3-compatible bucket prefix (s3://bucket/prefix/) or an HTTP(S) folder of *.pmtiles
# objects served beside TILESETS_DIR, read by range requests.
TILESETS_URL = env.str("TILESETS_URL", default="")
# Tile bytes of remote archives kept in memory by each web process.
TILES_REMOTE_CACHE_BYTES = env.int("TILES_REMOTE_CACHE_BYTES", default=256 * 1024 * 1024)
# A store request (one retry included) gives up after this long: the tile answers 503.
TILES_REMOTE_TIMEOUT_SECONDS = env.float("TILES_REMOTE_TIMEOUT_SECONDS", default=3)
TILE_CACHE_CONTROL = env.str("TILE_CACHE_CONTROL", default="private, max-age=86400")
TILESETS_RESCAN_SECONDS = env.float("TILESETS_RESCAN_SECONDS", default=2)
TILES_PREVIEW_TOKEN_SECONDS = env.int("TILES_PREVIEW_TOKEN_SECONDS", default=900)
TILES_DIRECTORY_CACHE_BYTES = env.int("TILES_DIRECTORY_CACHE_BYTES", default=64 * 1024 * 1024)
# Where the directory index of every PMTiles version is kept, mapped by every worker.
TILES_INDEX_DIR = env.path("TILES_INDEX_DIR", default=str(VAR_DIR / "tile-index"))

# --- Metrics
PROMETHEUS_MULTIPROC_DIR = env.str("PROMETHEUS_MULTIPROC_DIR", default="")
# With either set, /metrics answers only callers in these networks or with this bearer token.
METRICS_BEARER_TOKEN = env.str("METRICS_BEARER_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = [
    ipaddress.ip_network(network, strict=False)
    for network in env.list("METRICS_ALLOWED_NETWORKS", default=[])
]

# --- Logging (JSON, one line per record, request id on each)
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.request_id.RequestIdLogFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        # Its debug lines carry request URLs, and HubSpot's token-info URL holds a token.
        "urllib3": {"level": "WARNING"},
        # PDF rendering logs every layout step and font subset at INFO.
        "fontTools": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# --- Sentry (only with a DSN)
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    sentry_init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
