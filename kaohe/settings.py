"""Kaohe settings: one file, configured by environment variables (see .env.example).

Embedded defaults need nothing installed: SQLite in var/, Celery tasks inline,
email written to files in var/mail/.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    REDIS_URL=(str, ""),
    EMAIL_URL=(str, ""),
    DEFAULT_FROM_EMAIL=(str, "考核办 <kaohe@localhost>"),
    SECURE_COOKIES=(bool, False),
    SECURE_SSL_REDIRECT=(bool, False),
    SECURE_HSTS_SECONDS=(int, 0),
    SECURE_HSTS_INCLUDE_SUBDOMAINS=(bool, False),
    SECURE_HSTS_PRELOAD=(bool, False),
    BEHIND_HTTPS_PROXY=(bool, False),
)
env_file = BASE_DIR / ".env"
if env_file.exists():
    env.read_env(str(env_file))

DEBUG = env("DEBUG")
# The default key only serves the embedded development setup (make run, make demo, the tests);
# the web server refuses to start on it with DEBUG off (kaohe/wsgi.py, kaohe.lib.checks).
DEVELOPMENT_SECRET_KEY = "kaohe-insecure-development-key-change-me"  # noqa: S105
SECRET_KEY = env("SECRET_KEY", default="") or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "kaohe.lib.admin.SuperuserAdminConfig",  # django.contrib.admin, for superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_celery_beat",
    "axes",
    "csp",
    "cadres",
    "assessments",
    "kaohe.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cadres.middleware.PasswordChangeRequired",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A double submit never records twice (the one-time token of every create form).
    "kaohe.lib.once.OnceMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout into the page below.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kaohe.urls"
WSGI_APPLICATION = "kaohe.wsgi.application"

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
                "cadres.context_processors.role",
                "cadres.context_processors.choices",
                "assessments.context_processors.choices",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kaohe.sqlite3'}"),
}
DATABASES["default"].setdefault("TEST", {})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's hashers, the first preferred, plus a cheaper one for the random initial passwords
# the office prints (cadres/hashers.py), re-hashed with the first at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "cadres.hashers.InitialPasswordHasher",
]
# Every service that sets a password runs these (cadres.services.accounts).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login lockout (django-axes): five wrong passwords lock that login name, and five from one
# address lock that address, for 15 minutes or until office staff unlock it (账号解锁). A right
# password resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "kaohe.lib.http.client_ip"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Chinese first: the UI is always zh-hans; source strings are English.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}

# Email: files in var/mail by default; EMAIL_URL=smtp://host:port switches to SMTP.
if env("EMAIL_URL"):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
# A mail server that hangs costs a sender at most this many seconds per step.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# Seconds before the first retry of a failed email (doubling up to an hour, six attempts in all;
# then the message waits for the office's resend). See docs/outbox.md.
OUTBOX_RETRY_DELAY = env.int("OUTBOX_RETRY_DELAY", default=30)

# Celery: Redis when REDIS_URL is set, otherwise tasks run inline.
REDIS_URL = env("REDIS_URL")
# Without Redis: the in-memory transport (named with a host, or kombu warns in English).
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A web request that hands work to a broker that is down gives up within a second or two;
# the data is safe in the database and the periodic flush sends it later.
# A broker that accepts connections and never answers (hung) is cut off by the socket timeout:
# every Redis command gives up after REDIS_SOCKET_TIMEOUT seconds (the worker's blocking
# poll waits 1 s, so it stays above that), and kaohe.lib.queue then leaves the broker alone
# for half a minute, so one request pays one timeout at most and nothing committed is undone.
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=1.0)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=1.5)
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 0,
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
}
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540

if REDIS_URL:
    CACHES = {
        "default": {
            # A miss, not a 500, when Redis is down or hangs (kaohe/lib/cache.py).
            "BACKEND": "kaohe.lib.cache.SafeRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The dashboard and the progress overview are cached per year, month, day and filters, and
# forgotten whenever an input of the year changes (kaohe/lib/cache.py); this is a safety net.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)

SESSION_COOKIE_SECURE = env("SECURE_COOKIES")
CSRF_COOKIE_SECURE = env("SECURE_COOKIES")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts only from our own static files (no inline
# scripts or handlers: static/js/), nothing from elsewhere (the office network has no internet
# anyway). Inline styles stay allowed: the A4 print pages, the emails' twins and ECharts' SVG
# carry style attributes, and a style cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# HTTPS in production (see .env.example): redirect plain HTTP, tell browsers to keep to HTTPS,
# and trust the reverse proxy's X-Forwarded-Proto header, which only a proxy in front may set.
SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = env("SECURE_HSTS_SECONDS")
SECURE_HSTS_INCLUDE_SUBDOMAINS = env("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env("SECURE_HSTS_PRELOAD")
# The browsers' HSTS preload list is for public hosts; an office's intranet host cannot be on it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
BEHIND_HTTPS_PROXY = env("BEHIND_HTTPS_PROXY")
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Page size of long lists.
PAGE_SIZE = 50
