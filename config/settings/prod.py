"""Production: every secret must be set; fail loudly otherwise."""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import env

_required = {
    "SECRET_KEY": SECRET_KEY,  # noqa: F405
    "AMAN_FOLLOW_UP_KEY": AMAN_FOLLOW_UP_KEY,  # noqa: F405
    "AMAN_CONTACT_KEYS": AMAN_CONTACT_KEYS,  # noqa: F405
    "AMAN_EVIDENCE_KEYS": AMAN_EVIDENCE_KEYS,  # noqa: F405
    "DATABASE_URL": env.str("DATABASE_URL", default=""),
}
_missing = [name for name, value in _required.items() if not value]
if _missing:
    raise ImproperlyConfigured(f"Missing required settings: {', '.join(_missing)} (set them or <NAME>_FILE)")

DEBUG = False
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
