"""Encryption at rest for reporter contact details, and keyed hashes for secrets.

Contact details are encrypted with Fernet (AES-128-CBC with HMAC-SHA256) under a list of
keys from the environment: the first key encrypts, every key decrypts, so keys rotate by
putting a new key first and running ``manage.py rotate_contact_keys``.
"""

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet() -> MultiFernet:
    keys = settings.AMAN_CONTACT_KEYS
    if not keys:
        raise ImproperlyConfigured("AMAN_CONTACT_KEYS is not set")
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


def encrypt_text(value: str) -> str:
    if not value:
        return ""
    return _fernet().encrypt(value.encode()).decode()


def decrypt_text(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured("A contact detail cannot be decrypted with the configured keys") from exc


def rotate_token(token: str) -> str:
    """Re-encrypt a token under the primary key."""
    if not token:
        return ""
    return _fernet().rotate(token.encode()).decode()


def keyed_hash(value: str) -> str:
    key = settings.AMAN_FOLLOW_UP_KEY
    if not key:
        raise ImproperlyConfigured("AMAN_FOLLOW_UP_KEY is not set")
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()
