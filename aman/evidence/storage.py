"""Encrypted blobs in the evidence storage (``STORAGES["evidence"]``: local disk or S3).

A blob's name is random and says nothing about the case or the file. Only ciphertext is ever
written; the key to open it lives, wrapped, in the database row (``Blob``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.utils import timezone

from aman.evidence import crypto
from aman.evidence.models import Blob


def evidence_storage() -> Storage:
    return storages["evidence"]


@dataclass(frozen=True)
class StoredBlob:
    """A blob written to storage and not yet recorded in the database."""

    storage_name: str
    content_type: str
    size: int
    sealed: crypto.Sealed


def blob_write(data: bytes, *, content_type: str) -> StoredBlob:
    name = f"{timezone.now():%Y/%m}/{secrets.token_hex(16)}.bin"
    sealed = crypto.seal(data, aad=name.encode())
    stored_name = evidence_storage().save(name, ContentFile(sealed.ciphertext))
    if stored_name != name:  # storage renamed it: the AAD must follow, so start again under its name
        evidence_storage().delete(stored_name)
        raise RuntimeError("evidence storage renamed a blob; use a storage with file_overwrite=False semantics")
    return StoredBlob(storage_name=name, content_type=content_type, size=len(data), sealed=sealed)


def blob_forget(stored: list[StoredBlob]) -> None:
    """Remove blobs written for a save that then failed, so nothing is left orphaned."""
    for blob in stored:
        try:
            evidence_storage().delete(blob.storage_name)
        except Exception:  # noqa: S112 - the orphan sweep will retry
            continue


def blob_record(stored: StoredBlob, **owner: object) -> Blob:
    return Blob.objects.create(
        storage_name=stored.storage_name,
        content_type=stored.content_type,
        size=stored.size,
        master_key_id=stored.sealed.master_key_id,
        wrapped_key=stored.sealed.wrapped_key,
        nonce=stored.sealed.nonce,
        **owner,
    )


def blob_read(blob: Blob) -> bytes:
    if blob.destroyed_at is not None:
        raise crypto.EvidenceDecryptError("this blob was destroyed")
    with evidence_storage().open(blob.storage_name, "rb") as handle:
        ciphertext = handle.read()
    return crypto.unseal(
        ciphertext,
        nonce=bytes(blob.nonce),
        wrapped_key=bytes(blob.wrapped_key),
        master_key_id=blob.master_key_id,
        aad=blob.storage_name.encode(),
    )


def blob_destroy(blob: Blob) -> None:
    """Crypto-shred: delete the ciphertext and the wrapped data key. Irreversible."""
    evidence_storage().delete(blob.storage_name)
    blob.wrapped_key = b""
    blob.destroyed_at = timezone.now()
    blob.save(update_fields=["wrapped_key", "destroyed_at", "updated_at"])


def blob_exists(blob: Blob) -> bool:
    return evidence_storage().exists(blob.storage_name)
