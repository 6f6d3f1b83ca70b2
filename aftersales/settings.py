"""Django settings. Everything a deployment changes comes from the environment (docs/configuration.md)."""

from __future__ import annotations

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from aftersales.dburl import VAR_DIR, database_url, django_database

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-change-me-in-production-aftersales")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000").split(",") if o
]

DOMAIN_APPS = [
    "aftersales.core",
    "aftersales.accounts",
    "aftersales.bizcalendar",
    "aftersales.sla",
    "aftersales.dealers",
    "aftersales.charges",
    "aftersales.customers",
    "aftersales.installed_base",
    "aftersales.catalog",
    "aftersales.staff",
    "aftersales.imports",
    "aftersales.demo",
    "aftersales.service",
    "aftersales.notifications",
    "aftersales.approvals",
    "aftersales.parts",
    "aftersales.returns",
    "aftersales.maintenance",
    "aftersales.stock",
    "aftersales.quality",
    "aftersales.dispatch",
    "aftersales.knowledge",
    "aftersales.surveys",
    "aftersales.workbench",
    "aftersales.reports",
    "aftersales.web",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the OpenAPI docs' Swagger UI from local static files (no CDN)
    "procrastinate.contrib.django",
    *DOMAIN_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "aftersales.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "aftersales.core.middleware.BadInputMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "aftersales.urls"
WSGI_APPLICATION = "aftersales.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "aftersales" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aftersales.web.context.navigation",
                "aftersales.core.company.context",
            ],
            "builtins": ["aftersales.core.templatetags.say"],
        },
    }
]

DATABASES = {"default": django_database(database_url())}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PRODUCTION_PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_HASHERS = PRODUCTION_PASSWORD_HASHERS
if env_bool("FAST_PASSWORD_HASHER", False):  # test runs only: argon2 is slow on purpose
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["aftersales.accounts.backends.CachedGroupsModelBackend"]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
# Login throttling: failures per username+address within the window lock further tries.
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCK_MINUTES = int(os.environ.get("LOGIN_LOCK_MINUTES", "15"))
# first delay after LOGIN_MAX_FAILURES failures (per user name + address), doubling up to
# LOGIN_LOCK_MINUTES
LOGIN_DELAY_SECONDS = int(os.environ.get("LOGIN_DELAY_SECONDS", "30"))
API_TOKEN_TTL_DAYS = int(os.environ.get("API_TOKEN_TTL_DAYS", "30"))

LANGUAGE_CODE = "zh-hans"
MESSAGE_STORAGE = "aftersales.core.messages.SayingStorage"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# uploads are served by aftersales.core.media; set a prefix to offload to nginx (docs/media.md)
MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "")
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken

# E-mail goes out by SMTP once EMAIL_HOST is set; until then it is kept in the local mailbox
# (back office → 本地邮箱, one line on the console) instead of failing against no server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "aftersales.notifications.mailbox.LocalMailboxBackend"
)
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "aftersales@localhost")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# The address users reach the system at; links in e-mails and robot messages start with it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

SITE_NAME = _("售后服务管理系统")

# Appointment windows agreed with a customer (service.appointments).
APPOINTMENT_MAX_HOURS = int(os.environ.get("APPOINTMENT_MAX_HOURS", "12"))
APPOINTMENT_MAX_DAYS_AHEAD = int(os.environ.get("APPOINTMENT_MAX_DAYS_AHEAD", "180"))
APPOINTMENT_PAST_GRACE_MINUTES = int(os.environ.get("APPOINTMENT_PAST_GRACE_MINUTES", "180"))

# Longest solve the dispatch planner runs inside a web request; a longer budget (asked for or
# configured) is solved by the worker on the ``dispatch`` queue.
DISPATCH_INLINE_MAX_SECONDS = float(os.environ.get("DISPATCH_INLINE_MAX_SECONDS", "10"))

# Background jobs (procrastinate). A worker writes a heartbeat every JOB_HEARTBEAT_SECONDS; a
# worker silent for JOB_STALLED_AFTER_SECONDS is dead (killed, crashed, host lost), and the
# periodic task core.retry_stalled_jobs (cron JOB_STALLED_CHECK_CRON, a 6th field = seconds)
# puts the jobs it was running back in the queue.
JOB_HEARTBEAT_SECONDS = float(os.environ.get("JOB_HEARTBEAT_SECONDS", "10"))
JOB_STALLED_AFTER_SECONDS = float(os.environ.get("JOB_STALLED_AFTER_SECONDS", "30"))
JOB_STALLED_CHECK_CRON = os.environ.get("JOB_STALLED_CHECK_CRON", "* * * * *")
# a job whose worker died this many times is not run again (a job that kills its worker —
# out of memory, a native crash — would otherwise take down every worker in turn): it is
# marked failed and logged for the administrator
JOB_STALLED_MAX_RETRIES = int(os.environ.get("JOB_STALLED_MAX_RETRIES", "3"))
PROCRASTINATE_WORKER_DEFAULTS = {
    "update_heartbeat_interval": JOB_HEARTBEAT_SECONDS,
    "stalled_worker_timeout": JOB_STALLED_AFTER_SECONDS,
}
