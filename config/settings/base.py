"""Settings shared by every environment. Values come from the environment (see README)."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, env, evidence_storage, secret

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = secret("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "aman.core",
    "aman.accounts",
    "aman.audit",
    "aman.cases",
    "aman.intake",
    "aman.api",
    "aman.evidence",
    "aman.escalations",
    "aman.training",
    "aman.guides",
    "aman.checks",
    "aman.hashbanks",
]

MIDDLEWARE = [
    "aman.core.middleware.ClientPrivacyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "aman.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "django.template.context_processors.i18n",
                "aman.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'aman.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The queue-count index covers extra columns on PostgreSQL; SQLite (the embedded default) builds
# it without them, which is fine for its small data, so its warning is noise.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://aman")}

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:queue"
LOGOUT_REDIRECT_URL = "accounts:login"

# Languages: Arabic first; Arabic and Central Kurdish are right to left.
LANGUAGE_CODE = "ar"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("ckb", _("Central Kurdish")),
    ("en", _("English")),
]
LANGUAGE_COOKIE_NAME = "aman_lang"
LANGUAGE_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Baghdad")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Evidence holds ciphertext only (aman/evidence/crypto.py); local disk or S3-compatible.
    "evidence": evidence_storage(env, BASE_DIR),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Security defaults. Development relaxes only what plain HTTP needs.
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin: nothing leaks to other sites, and browsers still send Origin on our own forms
# (with no-referrer they send "Origin: null", which CSRF protection rightly refuses).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["aman.api.permissions.IsStaffMember"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "aman.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["aman.api.parsers.BoundedJSONParser"],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Aman API",
    "DESCRIPTION": "Online-safety helpline: anonymous reports, follow-up, and staff case operations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several apps have a "kind"; name each choice set after what it is.
    "ENUM_NAME_OVERRIDES": {
        "ReportItemKindEnum": "aman.cases.models.ReportItem.Kind",
        "EvidenceKindEnum": "aman.evidence.models.EvidenceKind",
        "EvidenceAddedByEnum": "aman.evidence.models.EvidenceItem.AddedBy",
    },
}

# Background work: Celery with Redis at scale; in-process when no broker is configured.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE = {
    "sla-mark-breaches": {"task": "aman.cases.tasks.sla_mark_breaches_task", "schedule": timedelta(minutes=1)},
    "retention-purge": {"task": "aman.cases.tasks.retention_purge_task", "schedule": timedelta(hours=24)},
    "checks-purge": {"task": "aman.checks.tasks.checks_purge_task", "schedule": timedelta(hours=24)},
    "checks-counts-flush": {"task": "aman.checks.tasks.checks_counts_flush_task", "schedule": timedelta(minutes=1)},
    "evidence-sweep-orphans": {
        "task": "aman.evidence.tasks.evidence_sweep_orphans_task",
        "schedule": timedelta(hours=1),
    },
    "escalation-resend-stuck": {
        "task": "aman.escalations.tasks.escalation_resend_stuck_task",
        "schedule": timedelta(minutes=1),
    },
    "escalation-mark-breaches": {
        "task": "aman.escalations.tasks.escalation_mark_breaches_task",
        "schedule": timedelta(minutes=1),
    },
    "escalation-recheck-links": {
        "task": "aman.escalations.tasks.escalation_recheck_due_task",
        "schedule": timedelta(hours=1),
    },
}

# Aman's own settings.
AMAN_FOLLOW_UP_KEY = secret("AMAN_FOLLOW_UP_KEY", default="")
AMAN_CONTACT_KEYS = [k.strip() for k in (secret("AMAN_CONTACT_KEYS", default="") or "").split(",") if k.strip()]
AMAN_RETENTION_DAYS = env.int("AMAN_RETENTION_DAYS", default=365)
AMAN_SLA_AT_RISK_MINUTES = env.int("AMAN_SLA_AT_RISK_MINUTES", default=60)
AMAN_FOLLOW_UP_MAX_ATTEMPTS = env.int("AMAN_FOLLOW_UP_MAX_ATTEMPTS", default=5)
AMAN_FOLLOW_UP_WINDOW_SECONDS = env.int("AMAN_FOLLOW_UP_WINDOW_SECONDS", default=900)
AMAN_REPORT_RATE = env.str("AMAN_REPORT_RATE", default="20/hour")
# Requests per hash-exchange partner key (a partner's own rate_limit overrides it).
AMAN_HASHES_PARTNER_RATE = env.str("AMAN_HASHES_PARTNER_RATE", default="600/minute")
AMAN_LOGIN_MAX_ATTEMPTS = env.int("AMAN_LOGIN_MAX_ATTEMPTS", default=10)
AMAN_SITE_NAME = env.str("AMAN_SITE_NAME", default="Aman")

# Evidence vault (aman/evidence): master keys as "id:base64(32 bytes)", first one wraps new keys.
AMAN_EVIDENCE_KEYS = [k.strip() for k in (secret("AMAN_EVIDENCE_KEYS", default="") or "").split(",") if k.strip()]
AMAN_EVIDENCE_MAX_FILE_MB = env.int("AMAN_EVIDENCE_MAX_FILE_MB", default=20)
AMAN_EVIDENCE_MAX_CASE_MB = env.int("AMAN_EVIDENCE_MAX_CASE_MB", default=200)
AMAN_EVIDENCE_MAX_FILES_PER_UPLOAD = env.int("AMAN_EVIDENCE_MAX_FILES_PER_UPLOAD", default=10)
AMAN_EVIDENCE_MAX_PIXELS = env.int("AMAN_EVIDENCE_MAX_PIXELS", default=50_000_000)
# Text in screenshots (Tesseract): on when the binary is found, unless switched off.
AMAN_OCR_ENABLED = env.bool("AMAN_OCR_ENABLED", default=True)
AMAN_OCR_LANGUAGES = env.str("AMAN_OCR_LANGUAGES", default="ara+fra+eng")
AMAN_OCR_TIMEOUT_SECONDS = env.int("AMAN_OCR_TIMEOUT_SECONDS", default=60)
# Orphan blobs (written, never recorded because the process died) older than this are swept.
AMAN_EVIDENCE_ORPHAN_MINUTES = env.int("AMAN_EVIDENCE_ORPHAN_MINUTES", default=60)
# Escalations (aman/escalations): the notifier named in notices (the helpline, never the
# reporter), delivery retries, and the partner clock's reminder window.
AMAN_NOTIFIER_NAME = env.str("AMAN_NOTIFIER_NAME", default="Aman online-safety helpline")
AMAN_NOTIFIER_EMAIL = env.str("AMAN_NOTIFIER_EMAIL", default="helpline@example.org")
AMAN_ESCALATION_MAIL_DOMAIN = env.str("AMAN_ESCALATION_MAIL_DOMAIN", default="aman.invalid")
AMAN_ESCALATION_MAX_ATTEMPTS = env.int("AMAN_ESCALATION_MAX_ATTEMPTS", default=5)
AMAN_ESCALATION_RETRY_BASE_SECONDS = env.int("AMAN_ESCALATION_RETRY_BASE_SECONDS", default=60)
AMAN_ESCALATION_STUCK_MINUTES = env.int("AMAN_ESCALATION_STUCK_MINUTES", default=5)
AMAN_ESCALATION_SENDING_STALE_MINUTES = env.int("AMAN_ESCALATION_SENDING_STALE_MINUTES", default=15)
AMAN_ESCALATION_REMIND_HOURS = env.float("AMAN_ESCALATION_REMIND_HOURS", default=4.0)
AMAN_ESCALATION_WEBHOOK_TIMEOUT = env.float("AMAN_ESCALATION_WEBHOOK_TIMEOUT", default=10.0)
AMAN_ESCALATION_SMTP_TIMEOUT = env.int("AMAN_ESCALATION_SMTP_TIMEOUT", default=20)
AMAN_ESCALATION_ALLOW_HTTP = env.bool("AMAN_ESCALATION_ALLOW_HTTP", default=False)
AMAN_ESCALATION_USE_ENV_PROXY = env.bool("AMAN_ESCALATION_USE_ENV_PROXY", default=False)
# Re-checks of reported links (HTTP status only): how often, for how long after sending, limits.
AMAN_ESCALATION_RECHECK_HOURS = env.float("AMAN_ESCALATION_RECHECK_HOURS", default=24.0)
AMAN_ESCALATION_RECHECK_DAYS = env.int("AMAN_ESCALATION_RECHECK_DAYS", default=30)
AMAN_ESCALATION_RECHECK_TIMEOUT = env.float("AMAN_ESCALATION_RECHECK_TIMEOUT", default=5.0)
AMAN_ESCALATION_RECHECK_MAX_REDIRECTS = env.int("AMAN_ESCALATION_RECHECK_MAX_REDIRECTS", default=3)
# Partner API (partners answering escalations): requests per token.
AMAN_PARTNER_API_RATE = env.str("AMAN_PARTNER_API_RATE", default="600/minute")
# Where links in PDFs and e-mails point (no request at hand in a background task).
AMAN_PUBLIC_URL = env.str("AMAN_PUBLIC_URL", default="http://127.0.0.1:8000")
# Outgoing e-mail over SMTP (escalation notices, reminders, deadline alerts). The password may
# come from EMAIL_HOST_PASSWORD_FILE. TLS (STARTTLS, port 587) and SSL (port 465) exclude each other.
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = secret("EMAIL_HOST_PASSWORD", default="") or ""
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="helpline@example.org")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ValueError("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Never mail requests (they carry client details) anywhere.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# Training: the public address printed in certificate QR codes, and the public pages' rate limit.
AMAN_PUBLIC_URL = env.str("AMAN_PUBLIC_URL", default="http://127.0.0.1:8000")
AMAN_TRAINING_PUBLIC_RATE = env.str("AMAN_TRAINING_PUBLIC_RATE", default="60/hour")
# Uploaded and generated files (certificate ZIPs) with the default storage.
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
