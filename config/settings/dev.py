"""The embedded default: SQLite, local files, tasks in-process, plain HTTP on localhost."""

import os

os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("DEBUG", "true")

from config.settings.base import *  # noqa: F403
from config.settings.base import env

SECRET_KEY = SECRET_KEY or "dev-only-insecure-secret-key-change-me"  # noqa: F405
AMAN_FOLLOW_UP_KEY = AMAN_FOLLOW_UP_KEY or "dev-only-follow-up-key"  # noqa: F405
# A fixed development key (Fernet, 32 url-safe base64 bytes). Never use it in production.
AMAN_CONTACT_KEYS = AMAN_CONTACT_KEYS or ["ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtaW4tcHJvZCE="]  # noqa: F405
AMAN_EVIDENCE_KEYS = AMAN_EVIDENCE_KEYS or ["dev1:ZGV2LW9ubHktZXZpZGVuY2Uta2V5LTMyLWJ5dGVzISE="]  # noqa: F405
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
AMAN_REPORT_RATE = env.str("AMAN_REPORT_RATE", default="200/hour")
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
