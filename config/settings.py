"""Settings of the community party-building portal.

One file, read from the environment (see `.env.example`). Safe defaults for
local use: SQLite in the project folder, DEBUG only when asked for.
"""

import datetime
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

# Without DJANGO_SECRET_KEY a fixed development key is used, so that management
# commands (check, makemigrations, tests) work on a fresh clone. Serving with
# DEBUG off refuses it: see `check_production_secret_key`, called by wsgi.py.
INSECURE_DEV_KEY = "django-insecure-local-development-only-key-do-not-use-in-production"
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or INSECURE_DEV_KEY


def check_production_secret_key():
    """Refuse to serve with DEBUG off and no real secret key."""
    if DEBUG:
        return
    if SECRET_KEY == INSECURE_DEV_KEY:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    if SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 40:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is too weak for production: use at least 40 random characters.")


ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# HTTPS. With DEBUG off the portal is served over HTTPS only: plain http is
# redirected, cookies are Secure and browsers are told (HSTS) to use https for a
# year. With DEBUG on (`make run`) none of this applies, so that
# http://127.0.0.1:8000 works. Behind a reverse proxy that terminates TLS, set
# DJANGO_TRUST_X_FORWARDED_PROTO=1 (and make the proxy set X-Forwarded-Proto,
# overwriting what the client sent); only then does Django believe the proxy
# that a request came over https. DJANGO_SECURE_SSL_REDIRECT=0 leaves the
# redirect to the proxy.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Health probes ask the app server itself, over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("DJANGO_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("DJANGO_HSTS_SECONDS", 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preload is hard to undo (browsers ship the list), so it is opt-in.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Sessions end after DJANGO_SESSION_HOURS without a request; every request
# restarts the clock (portal/sessions.py writes the new expiry at most once a
# minute; pages read the session from the "sessions" cache, see CACHES). Django
# gives a new session key at login.
SESSION_ENGINE = "portal.sessions"
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_HOURS", 8) * 3600
SESSION_SAVE_EVERY_REQUEST = True

# Deliberate exceptions to `check --deploy`: no HSTS preload unless asked for
# (W021), and no redirect warning when the redirect was switched off for a
# proxy that does it (W008).
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")
if not DEBUG and not SECURE_SSL_REDIRECT:
    SILENCED_SYSTEM_CHECKS.append("security.W008")
# Covering indexes (Index(include=...)) are a PostgreSQL speed-up for a city's figures;
# SQLite builds the same index without the extra columns, which is all it needs.
SILENCED_SYSTEM_CHECKS.append("models.W040")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "csp",
    "axes",
    # The portal's own apps, bottom layer first (README "Architecture"; .importlinter).
    "portal",
    "audit",
    "notices",
    "grid",
    "council",
    "wishes",
    "volunteers",
    "office",
    "demo",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the app server (no nginx needed); they skip
    # everything below, but get SecurityMiddleware's headers.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything reads the form (CsrfViewMiddleware): one Django cannot decode is a 400.
    "portal.middleware.UnreadableFormMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A password set by someone else, or older than PASSWORD_MAX_AGE_DAYS: change it first.
    "portal.identity.PasswordChangeRequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Django's form renderer, with drop-down lists written in Python (portal/form_renderer.py).
FORM_RENDERER = "portal.form_renderer.PortalFormRenderer"

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
                "portal.context_processors.navigation",
                "notices.context_processors.inbox",
            ],
        },
    },
]

# Database: SQLite file in the project folder unless DATABASE_URL is set.
# SQLite runs in WAL mode, takes its write lock at the start of a transaction
# (IMMEDIATE) and waits up to 20 s for it, so that two people saving at once
# queue instead of getting "database is locked".
SQLITE_PATH = env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
if env_str("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL"), conn_max_age=env_int("DB_CONN_MAX_AGE", 60)
        )
    }
    # Drop-down lists read their choices with QuerySet.iterator(), which on PostgreSQL
    # opens a server-side cursor (DECLARE, FETCH, CLOSE: extra round trips per list)
    # for a few hundred rows at most. Also needed behind a transaction-pooling pgbouncer.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DB_DISABLE_SERVER_SIDE_CURSORS", True)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "portal.User"
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "office:dashboard"
LOGOUT_REDIRECT_URL = "office:home"

# Every account here (staff, grid workers, members, liaisons, admins) sees
# residents' data: at least 10 characters of 3 kinds, not like the user's name,
# not a common password, not all digits.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "portal.passwords.StrongPasswordValidator", "OPTIONS": {"min_length": 10, "min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes checks every login before the password is: it must come first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login protection (django-axes). DJANGO_LOGIN_FAILURE_LIMIT failed logins lock
# the account (from any address) and the address (for any account) for
# DJANGO_LOGIN_LOCKOUT_MINUTES after the last failure; while locked, even the
# right password is refused. Staff unlock early in the admin: Axes → Access
# attempts → delete the rows of that account or address.
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", 30))
# Each entry is counted on its own: failures of one account from any address,
# and failures from one address on any account.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Tries made while locked are refused without extending the lock, so the page
# can say when it ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A good login does not wipe the count: it would let someone with an account
# wipe the failures of their address while guessing others' passwords.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# The client's address: REMOTE_ADDR, or X-Forwarded-For only when the request
# comes from a proxy listed in DJANGO_TRUSTED_PROXIES (see portal/middleware.py).
AXES_CLIENT_IP_CALLABLE = "portal.middleware.client_address"
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES")

# Language: Chinese by default, English when the user picks it.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# whitenoise serves STATIC_ROOT (filled by `collectstatic`, which also writes
# compressed copies). Browsers keep a file 60 s, then ask again and get "304
# Not Modified" while it is unchanged. Not the manifest storage (hashed names,
# kept forever): its collectstatic stops at the vendored files' source-map
# comments (the .map files are not committed), a server without its manifest
# fails on every page, and the test suite, which runs no collectstatic, could
# not use it.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))

# Uploads (photos, prepared exports) on S3-compatible object storage (MinIO, Ceph,
# OSS, COS...) when both AWS_STORAGE_BUCKET_NAME and AWS_S3_ENDPOINT_URL are set,
# so that every app host and worker reads the same files; else under MEDIA_ROOT
# (one host). The bucket stays private: objects are written without a public ACL
# and only reach a browser through the portal's access-checked views, which stream
# them or, with AWS_S3_PRIVATE_REDIRECT=1, answer with a presigned URL valid
# AWS_S3_PRESIGNED_SECONDS (60 s; portal/uploads.py). Credentials come from
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the host's role), as boto3 reads them.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL")
S3_MEDIA = bool(AWS_STORAGE_BUCKET_NAME and AWS_S3_ENDPOINT_URL)
AWS_S3_PRIVATE_REDIRECT = env_bool("AWS_S3_PRIVATE_REDIRECT", False)
AWS_S3_PRESIGNED_SECONDS = env_int("AWS_S3_PRESIGNED_SECONDS", 60)
if S3_MEDIA:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": AWS_S3_ENDPOINT_URL,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            # Path-style addresses (endpoint/bucket/key): what MinIO and Ceph expect.
            "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
            "default_acl": None,  # the bucket's own policy: private
            "querystring_auth": True,
            "querystring_expire": AWS_S3_PRESIGNED_SECONDS,
            "file_overwrite": False,  # names are random; never replace a stored file
            "location": env_str("AWS_LOCATION", ""),
        },
    }

FILTERS_EMPTY_CHOICE_LABEL = _("All")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Upload limits: rosters are small spreadsheets.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024)

PAGE_SIZE = env_int("PORTAL_PAGE_SIZE", 25)

# Report figures are cached (portal/figures_cache.py) under a data version that
# every committed change to the tables feeding them renews, from a request, a
# command or a shell alike; FIGURES_CACHE_SECONDS bounds an entry's life. The cache
# must be shared by all server processes for that to reach all of them: files
# under DJANGO_CACHE_DIR by default, or the process's memory with
# DJANGO_CACHE_DIR=memory (one process only: tests).
CACHE_DIR = env_str("DJANGO_CACHE_DIR", str(BASE_DIR / "var" / "cache"))
# Signed-in sessions are read from a cache of their own (portal/sessions.py), in a
# folder next to it, so that neither evicts the other's entries when full; so are
# the public pages' rate-limit counts (portal/throttle.py, folder `-throttle`).


# With REDIS_URL (e.g. redis://10.0.0.5:6379/1) all three live in Redis instead,
# shared by every app host: a second host then sees the same sessions, rate-limit
# counts and figures' version. Give the portal a Redis database of its own: clearing
# a cache (tests, `restore`) empties that database.
REDIS_URL = env_str("REDIS_URL", "")


def _cache(folder: str, max_entries: int) -> dict:
    if REDIS_URL:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"portal-{folder}",
        }
    if CACHE_DIR == "memory":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": folder}
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": CACHE_DIR if folder == "default" else f"{CACHE_DIR.rstrip('/')}-{folder}",
        "OPTIONS": {"MAX_ENTRIES": max_entries},
    }


CACHES = {
    "default": _cache("default", 300),
    "sessions": _cache("sessions", 5000),
    "throttle": _cache("throttle", 10000),
}
SESSION_CACHE_ALIAS = "sessions"
FIGURES_CACHE_SECONDS = env_int("FIGURES_CACHE_SECONDS", 120)

# Content-Security-Policy (django-csp): the portal's own scripts, styles, fonts
# and images only, no inline script or style. `data:` images are Bootstrap's
# CSS icons; QR codes are inline <svg> elements, which need nothing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
if S3_MEDIA and AWS_S3_PRIVATE_REDIRECT:
    # Photos then load from the object store's presigned URLs.
    _endpoint = urlsplit(AWS_S3_ENDPOINT_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_endpoint.scheme}://{_endpoint.netloc}")

# Log records pass through `MaskPersonalData`: mobile numbers, ID numbers and
# passwords never reach the log in full. Django's own loggers go through the
# same handler (their default handlers are replaced).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "portal.logfilters.MaskPersonalData"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # Failed logins and lock-outs (warnings), not every successful login.
        "axes": {"level": "WARNING"},
    },
}

# Record histories (django-simple-history): admin's "revert" would bypass the
# services' rules (claims, confirmations), so it is off.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Backups (manage.py backup / restore): archives of the database and the uploads.
BACKUP_DIR = Path(env_str("DJANGO_BACKUP_DIR", str(BASE_DIR / "var" / "backups")))

# Residents' personal data on wishes and appeals finished more than this many
# days ago is anonymised by `manage.py anonymise_closed` (run daily; figures stay).
PERSONAL_DATA_RETENTION_DAYS = env_int("DJANGO_PERSONAL_DATA_RETENTION_DAYS", 365)

# Office accounts must choose a new password after this many days (0: never).
PASSWORD_MAX_AGE_DAYS = env_int("DJANGO_PASSWORD_MAX_AGE_DAYS", 0)

# The security log (audit.SecurityEvent) is kept this many days, never fewer
# than 180 (GB/T 22239 level 2: six months); `manage.py prune_security_log`.
SECURITY_LOG_RETENTION_DAYS = env_int("DJANGO_SECURITY_LOG_RETENTION_DAYS", 365)

# Background jobs (Celery; config/celery.py). CELERY_BROKER_URL: redis://host:6379/2
# or amqp://user:password@host:5672/vhost. Unset, tasks run inline where they are
# queued (eager): one host, nothing to install. Tasks acknowledge after they ran,
# one at a time per worker process, so a worker that dies hands its task to
# another (every task here may run twice without harm: office/tasks.py).
CELERY_TASK_ALWAYS_EAGER = not env_str("CELERY_BROKER_URL")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# One queue per installation on a shared broker (tests use their own).
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "portal")
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = env_str("CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / "var" / "celerybeat-schedule"))
# The daily jobs (deploy/systemd/*.timer and deploy/cron.example on a host without
# a broker): the beat of `celery -A config worker -B` queues them instead.
CELERY_BEAT_SCHEDULE = {
    "anonymise-closed": {"task": "office.tasks.anonymise_closed", "schedule": crontab(hour=3, minute=30)},
    "prune-security-log": {"task": "office.tasks.prune_security_log", "schedule": crontab(hour=3, minute=40)},
    "prune-exports": {"task": "office.tasks.prune_exports", "schedule": crontab(minute=15)},
    # Retries and messages held over quiet hours (new ones are sent right after their commit).
    "send-notifications": {"task": "notices.tasks.send_notifications", "schedule": 60.0},
    "prune-notifications": {"task": "notices.tasks.prune_notifications", "schedule": crontab(hour=3, minute=50)},
    "remind-events": {"task": "volunteers.tasks.remind_events", "schedule": crontab(minute=5)},
    "remind-wish-deadlines": {"task": "wishes.tasks.remind_deadlines", "schedule": crontab(minute=10)},
    "ask-for-ratings": {"task": "office.tasks.ask_for_ratings", "schedule": crontab(minute=20)},
    "daily-digest": {"task": "office.tasks.daily_digest", "schedule": crontab(hour=8, minute=0)},
    "weekly-unit-summaries": {"task": "office.tasks.weekly_unit_summaries", "schedule": crontab(hour=9, minute=0, day_of_week=1)},
}

# Notifications (notices/). SMS_BACKEND: console (default: written to the log) or webhook
# (POST JSON {"id", "phone", "template", "params", "text"} to SMS_WEBHOOK_URL).
SMS_BACKEND = env_str("SMS_BACKEND", "console")
SMS_WEBHOOK_URL = env_str("SMS_WEBHOOK_URL", "")
SMS_WEBHOOK_TIMEOUT = env_int("SMS_WEBHOOK_TIMEOUT", 5)  # seconds; also the SDK backends' timeouts
# SMS_BACKEND=aliyun or tencent: the provider's credentials, sign name and templates.
SMS_ACCESS_KEY_ID = env_str("SMS_ACCESS_KEY_ID", "")
SMS_ACCESS_KEY_SECRET = env_str("SMS_ACCESS_KEY_SECRET", "")
SMS_SIGN_NAME = env_str("SMS_SIGN_NAME", "")
SMS_APP_ID = env_str("SMS_APP_ID", "")  # Tencent's SmsSdkAppId
SMS_REGION = env_str("SMS_REGION", "ap-guangzhou")  # Tencent
SMS_ENDPOINT = env_str("SMS_ENDPOINT", "")  # the provider's own by default
SMS_PROTOCOL = env_str("SMS_PROTOCOL", "https")
# {"wish_claimed": {"id": "SMS_123456789", "params": ["title", "code"]}, ...}
SMS_TEMPLATES = json.loads(env_str("SMS_TEMPLATES", "") or "{}")
NOTICES_MAX_ATTEMPTS = env_int("NOTICES_MAX_ATTEMPTS", 8)
NOTICES_SMS_DAILY_LIMIT = env_int("NOTICES_SMS_DAILY_LIMIT", 10)  # per number: Tencent's default is 10, Aliyun's 50 per template
NOTICES_KEEP_DAYS = env_int("NOTICES_KEEP_DAYS", 180)  # then sent messages are deleted, phones and all
NOTICES_QUIET_HOURS = (21, 8)  # no SMS from 21:00 to 08:00 local time, unless urgent
# Links in messages point here (the portal's public address).
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# E-mail: SMTP when EMAIL_HOST is set; otherwise written to the console.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@localhost")

# Exports prepared in the background (office.ExportJob) are kept this many days.
EXPORT_KEEP_DAYS = env_int("DJANGO_EXPORT_KEEP_DAYS", 7)
