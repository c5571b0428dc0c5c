"""One settings module, read from environment variables (see .env.example).

With no environment at all the platform runs on a SQLite file and runs Celery tasks in-process,
so `make run` works on a fresh machine. DATABASE_URL and CELERY_BROKER_URL switch to PostgreSQL and Redis.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DJANGO_ENV = env_str("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"

DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else DEV_SECRET_KEY)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters in production.")

DEBUG = env_bool("DEBUG", False) and not PRODUCTION
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "directory.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "django_celery_beat",
    "axes",
    "csp",
    "core",
    "directory",
    "notifications",
    "catalog",
    "procurement",
    "delivery",
    "evaluation",
    "funds",
    "compliance",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Compresses what the views below send (HTML, JSON, CSV), not files already compressed (core.middleware).
    "core.middleware.CompressTextMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChineseFirstLocaleMiddleware",
    "core.middleware.RejectNulCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a login refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "suzhou_sw.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "directory.context_processors.platform",
                "notifications.context_processors.bell",
            ],
        },
    },
]

# Django's form renderer with <input> and <textarea> widgets built in Python, the same HTML (issue 14: the report
# form and the score sheet spent half their time rendering widgets through the template engine).
FORM_RENDERER = "core.widgets.FastWidgetRenderer"

WSGI_APPLICATION = "suzhou_sw.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env_str("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation for our queries (issue 14): the platform's queries are short, and PostgreSQL's JIT,
    # triggered by the planner's cost estimate, spent more time compiling (91 functions per request for the
    # city statistics at 200 towns; 244 ms → 76 ms at scale 1 without it) than it saved in running them.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "directory.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a login while the user name or the address is locked out (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "directory.backends.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT failed logins for one user name, or from one
# address, logins are refused for LOGIN_COOLOFF_MINUTES (each further try restarts the wait); the bureau
# unlocks earlier in the admin (访问尝试 → delete). Every success and failure is kept (never the password) and
# listed for the auditor and the bureau at /accounts/attempts/.
AXES_FAILURE_LIMIT = int(env_str("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(env_str("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_VERBOSE = False
# Behind a reverse proxy, the number of proxies that append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = int(env_str("TRUSTED_PROXY_COUNT", "0"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "directory:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Money is shown as 1,000,000.00 (`floatformat:"2g"`) in both languages; see suzhou_sw/formats/.
FORMAT_MODULE_PATH = ["suzhou_sw.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Front-end packages come from npm at set-up (package.json); they are served straight out of node_modules.
NODE_MODULES = BASE_DIR / "node_modules"
for _prefix, _sub in [
    ("vendor/pico", "@picocss/pico/css"),
    ("vendor/htmx", "htmx.org/dist"),
    ("vendor/chartjs", "chart.js/dist"),
]:
    if (NODE_MODULES / _sub).is_dir():
        STATICFILES_DIRS.append((_prefix, NODE_MODULES / _sub))
WHITENOISE_USE_FINDERS = not PRODUCTION
# Private files (attachments, evidence photos, bid proposals, qualification documents, rendered PDFs) go through
# Django's storage API only — the "default" storage — and are served only by permission-checked views
# (core.uploads.private_file_response streams them; no URL of the storage is ever given out).
# STORAGE_BACKEND=local (default): files under PRIVATE_MEDIA_ROOT on this machine — one web server, or a shared
# volume. STORAGE_BACKEND=s3: a private bucket on any S3-compatible service (AWS S3, MinIO, Aliyun OSS, Tencent
# COS) through django-storages, so any number of web replicas and workers see the same files
# (docs/DEPLOYMENT.md).
STORAGE_BACKEND = env_str("STORAGE_BACKEND", "local").strip().lower() or "local"
if STORAGE_BACKEND == "local":
    PRIVATE_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif STORAGE_BACKEND == "s3":
    if not env_str("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME.")
    PRIVATE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            # Unset: AWS itself; MinIO and the Chinese clouds give an endpoint such as http://minio:9000.
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            # Unset keys: boto3's own chain (instance role, ~/.aws) finds credentials.
            "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
            # MinIO wants "path"; AWS and most clouds take the default ("virtual" host names).
            "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE") or None,
            # Key prefix inside the bucket, e.g. "suzhou/" when one bucket serves several cities.
            "location": env_str("AWS_LOCATION", ""),
            # No ACL on uploads: the bucket itself is private (Block Public Access on). Buckets with "bucket owner
            # enforced" object ownership — AWS's default for new buckets — refuse any PUT that sets an ACL.
            "default_acl": None,
            # Two uploads of one name never overwrite each other (FileSystemStorage's behaviour too).
            "file_overwrite": False,
            # Signed URLs, should code ever ask for one, live one minute; the views stream files instead.
            "querystring_auth": True,
            "querystring_expire": 60,
        },
    }
else:
    raise ImproperlyConfigured(f"STORAGE_BACKEND must be local or s3, not {STORAGE_BACKEND!r}.")
STORAGES = {
    "default": PRIVATE_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Private files with STORAGE_BACKEND=local live here, outside any public path; served only through
# permission-checked views.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
MEDIA_URL = "/nonexistent-public-media/"

# Cache and sessions. CACHE_URL=redis://host:6379/1 gives every web replica and worker one shared cache
# (Django's RedisCache) and sessions in the database with a cache in front (cached_db): a user logged in on one
# replica stays logged in on the next, and survives a flush of Redis. Unset: a per-process memory cache and
# sessions in the database alone — right for one process (make run, the tests), still correct with several
# (the cache holds only what can be recomputed, see docs/DEPLOYMENT.md). Login throttling (django-axes) keeps
# its counts in the database, so it holds across replicas either way.
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            # Keeps this site's keys apart when several deployments share one Redis.
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "suzhou_sw"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif CACHE_URL in ("", "locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
else:
    raise ImproperlyConfigured("CACHE_URL must be a redis:// (rediss://, unix://) URL or empty.")

# Request bodies other than uploaded files (JSON, form fields) up to 1 MiB: no form or JSON document of the
# platform comes near it; files have their own limits (core.uploads).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@suzhou-sw.local")
# SMTP (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend); ignored by the console backend.
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25") or "25")
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(env_str("EMAIL_TIMEOUT", "30") or "30")
# The site's address as people reach it, for links in e-mails (the digest), e.g. https://sw.example.gov.cn
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Reminders (notifications): monthly reports due within this many days remind the agency (S1).
NOTIFY_REPORT_DUE_DAYS = int(env_str("NOTIFY_REPORT_DUE_DAYS", "3") or "3")

# Celery: without a broker, tasks run in-process (eager) so the platform needs no Redis to run.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "") or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "suzhou_sw")
# Periodic work lives in django-celery-beat's tables (admin: 周期性任务), where the bureau retimes or pauses it;
# the entries (tender closing, A1 rounds, the nightly compliance sweep, the K10 draw, digests, reminders) are
# created by the data migration compliance/migrations/0002_beat_schedule.py, which replaced CELERY_BEAT_SCHEDULE.

# Compliance (K1–K10). Perceptual-hash distance (of 64 bits) under which two photos count as the same picture
# (K9), and the share of long-running packages drawn for spot checks each year (K10, at least 30 %).
# K9: re-saving as JPEG, resizing or lightly brightening a photo moves its hash by 0–4 bits, a light crop up to
# 8; different photos differ by 18 bits or more (tests/delivery/evidence/test_k9_rules.py).
COMPLIANCE_K9_PHASH_DISTANCE = int(env_str("COMPLIANCE_K9_PHASH_DISTANCE", "8"))
COMPLIANCE_SPOT_CHECK_SHARE = int(env_str("COMPLIANCE_SPOT_CHECK_SHARE", "30"))
# K2 horizon for expiring certificates and qualifications (Q5: 60 days); K3 days a town has to confirm or return
# a submitted report; K4 days a package may run without an approved plan; K5 days into a plan year before
# lagging items are judged; K7 days an instalment whose milestone is met may stay unpaid.
COMPLIANCE_EXPIRY_HORIZON_DAYS = int(env_str("COMPLIANCE_EXPIRY_HORIZON_DAYS", "60"))
COMPLIANCE_CONFIRM_DAYS = int(env_str("COMPLIANCE_CONFIRM_DAYS", "10"))
COMPLIANCE_PLAN_GRACE_DAYS = int(env_str("COMPLIANCE_PLAN_GRACE_DAYS", "60"))
COMPLIANCE_LAGGING_GRACE_DAYS = int(env_str("COMPLIANCE_LAGGING_GRACE_DAYS", "45"))
COMPLIANCE_PAYMENT_GRACE_DAYS = int(env_str("COMPLIANCE_PAYMENT_GRACE_DAYS", "30"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Session first: an anonymous call stays a 403 (DRF answers 401 only when the first class names a scheme).
        "rest_framework.authentication.SessionAuthentication",
        # Other systems: Authorization: Bearer <API token> (directory.models.ApiToken).
        "directory.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.Pagination",
    # JSON only: the API's users are programs (the OpenAPI document describes it); no browsable API and no
    # OPTIONS metadata, which would need a serializer on every view.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's JSON parser, bounded in size and nesting depth (a 400, never a RecursionError's 500).
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_METADATA_CLASS": None,
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.api.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
# django-filter's empty choice reads 全部 ("all"), not "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("全部")

SPECTACULAR_SETTINGS = {
    "TITLE": "suzhou_sw API",
    "DESCRIPTION": "苏州政府购买社工服务平台 / Suzhou social-work services purchasing platform",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI at /api/v1/docs/ from the drf-spectacular-sidecar package: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint subsets the fonts of every PDF with fontTools, which logs each table it reads at INFO: hundreds
    # of lines a report.
    "loggers": {"fontTools": {"level": "WARNING"}},
}

# Security: strict in production; `manage.py check --deploy` passes with the variables in README.
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp) on every response, pages and API alike: scripts only from this site —
# no inline scripts or event handlers (templates use data attributes read by static/js/site.js, charts read
# json_script data in static/js/charts.js). Styles allow 'unsafe-inline': a few templates and Django's admin
# carry <style> blocks and style attributes (the progress chart's height is computed); styles cannot run code.
# Pico CSS draws its icons from data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

SITE_NAME = _("苏州政府购买社工服务平台")

# OCDS: the publisher's ocid prefix (registered prefixes look like "ocds-" + 6 characters) and name.
OCDS_PREFIX = env_str("OCDS_PREFIX", "ocds-sz0sw1-")
OCDS_PUBLISHER_NAME = env_str("OCDS_PUBLISHER_NAME", "苏州市民政局")
# How long computed OCDS releases stay cached (seconds); new data invalidates them sooner (procurement/services/ocds_bulk.py).
OCDS_CACHE_SECONDS = int(env_str("OCDS_CACHE_SECONDS", "600"))

# A PDF report still queued or rendering this many seconds after it was asked for is taken for lost (its worker
# was stopped or killed mid-render): asking again marks it failed and queues a fresh render.
REPORT_RENDER_STALE_SECONDS = int(env_str("REPORT_RENDER_STALE_SECONDS", "900"))
