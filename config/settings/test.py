"""Tests: PostgreSQL when DATABASE_URL is set (CI), SQLite otherwise."""

import os
import tempfile

os.environ.setdefault("SECURE_COOKIES", "false")

from config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
AMAN_FOLLOW_UP_KEY = "test-follow-up-key"
AMAN_CONTACT_KEYS = ["dGVzdC1rZXktMDEyMzQ1Njc4OWFiY2RlZmdoaWprbG0="]
AMAN_EVIDENCE_KEYS = ["t1:dGVzdC1ldmlkZW5jZS1tYXN0ZXIta2V5LTMyLWJ5dGU="]
# OCR only where a test asks for it (aman/evidence/tests): Tesseract takes a second an image.
AMAN_OCR_ENABLED = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="aman-test-evidence-")},
    },
}
CELERY_TASK_ALWAYS_EAGER = True
AMAN_REPORT_RATE = "1000/hour"
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
