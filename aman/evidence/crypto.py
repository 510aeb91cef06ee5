"""Envelope encryption for evidence: a random AES-256-GCM data key per blob, wrapped by a master key.

Master keys come from the environment (``AMAN_EVIDENCE_KEYS``: ``id:base64key`` pairs, the first
one wraps new data keys, every one unwraps). Rotating a master key re-wraps the small data keys
(``manage.py evidence_rotate_keys``); the files themselves are never re-encrypted.

The storage name of a blob is bound into both encryptions as associated data, so a ciphertext
moved to another name, or a wrapped key copied onto another blob, fails to open.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12
_WRAP_CONTEXT = b"aman-evidence-data-key|"


class EvidenceDecryptError(Exception):
    """A blob or its key does not open: tampered, moved, or its key destroyed."""


@dataclass(frozen=True)
class Sealed:
    ciphertext: bytes
    nonce: bytes
    wrapped_key: bytes
    master_key_id: str


def master_keys() -> list[tuple[str, bytes]]:
    keys: list[tuple[str, bytes]] = []
    for entry in settings.AMAN_EVIDENCE_KEYS:
        key_id, _, encoded = entry.partition(":")
        try:
            key = base64.b64decode(encoded, validate=True)
        except ValueError as exc:
            raise ImproperlyConfigured(f"AMAN_EVIDENCE_KEYS: key {key_id!r} is not base64") from exc
        if not key_id or len(key) != 32:
            raise ImproperlyConfigured("AMAN_EVIDENCE_KEYS entries must be id:base64 of 32 random bytes")
        keys.append((key_id, key))
    if not keys:
        raise ImproperlyConfigured("AMAN_EVIDENCE_KEYS is not set")
    return keys


def _master(key_id: str) -> bytes:
    for known_id, key in master_keys():
        if known_id == key_id:
            return key
    raise EvidenceDecryptError(f"master key {key_id!r} is not configured")


def wrap_key(data_key: bytes, *, aad: bytes) -> tuple[bytes, str]:
    key_id, master = master_keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(master).encrypt(nonce, data_key, _WRAP_CONTEXT + key_id.encode() + b"|" + aad), key_id


def unwrap_key(wrapped: bytes, *, key_id: str, aad: bytes) -> bytes:
    if len(wrapped) <= NONCE_BYTES:
        raise EvidenceDecryptError("the data key has been destroyed")
    try:
        return AESGCM(_master(key_id)).decrypt(
            wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], _WRAP_CONTEXT + key_id.encode() + b"|" + aad
        )
    except InvalidTag as exc:
        raise EvidenceDecryptError("the data key does not open") from exc


def seal(plaintext: bytes, *, aad: bytes) -> Sealed:
    data_key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(data_key).encrypt(nonce, plaintext, aad)
    wrapped, key_id = wrap_key(data_key, aad=aad)
    return Sealed(ciphertext=ciphertext, nonce=nonce, wrapped_key=wrapped, master_key_id=key_id)


def unseal(ciphertext: bytes, *, nonce: bytes, wrapped_key: bytes, master_key_id: str, aad: bytes) -> bytes:
    data_key = unwrap_key(wrapped_key, key_id=master_key_id, aad=aad)
    try:
        return AESGCM(data_key).decrypt(nonce, ciphertext, aad)
    except InvalidTag as exc:
        raise EvidenceDecryptError("the evidence file does not open: altered or moved") from exc


def rewrap(wrapped: bytes, *, key_id: str, aad: bytes) -> tuple[bytes, str]:
    """Re-wrap a data key under the primary master key (key rotation)."""
    return wrap_key(unwrap_key(wrapped, key_id=key_id, aad=aad), aad=aad)
