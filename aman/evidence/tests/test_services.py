"""The vault through its services: stored encrypted, recorded once, never half-stored, purged for good."""

from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.db import DatabaseError
from django.utils import timezone

from aman.audit.models import AuditEvent
from aman.evidence import crypto, services, storage
from aman.evidence.models import Blob, EvidenceItem
from aman.evidence.tests import files
from aman.evidence.tests.conftest import stored_files

pytestmark = pytest.mark.django_db


def _add(case: Any, *uploads: Any, user: Any = None) -> services.AddResult:
    return services.evidence_files_add(case=case, files=list(uploads), by_reporter=user is None, acting_user=user)


def test_image_is_stored_encrypted_with_its_facts(case: Any, agent: Any, evidence_dir: Path) -> None:
    data = files.jpeg_with_gps()
    result = _add(case, files.upload("screenshot.jpg", data), user=agent)
    assert not result.rejected
    item = result.added[0]
    assert item.kind == "image" and item.added_by == "staff" and item.added_by_user == agent
    assert item.size == len(data) and len(item.sha256) == 64 and len(item.md5) == 32 and item.pdq
    assert item.original_name == "screenshot.jpg"
    blobs = {b.role: b for b in item.blobs.all()}
    assert set(blobs) == {"original", "working"}
    on_disk = stored_files(evidence_dir)
    assert len(on_disk) == 2
    for path in on_disk:  # ciphertext only: no JPEG marker, no EXIF text, no file name
        raw = path.read_bytes()
        assert b"PhoneMaker" not in raw and not raw.startswith(b"\xff\xd8") and b"screenshot" not in path.name.encode()
    assert storage.blob_read(blobs["original"]) == data
    event = AuditEvent.objects.get(event_type="evidence.added")
    assert event.data["sha256"] == item.sha256 and event.actor == agent


def test_blobs_do_not_open_when_moved_or_tampered(case: Any, evidence_dir: Path) -> None:
    item = _add(case, files.upload("a.jpg", files.jpeg_with_gps())).added[0]
    original = item.blobs.get(role="original")
    path = next(p for p in stored_files(evidence_dir) if p.name in original.storage_name)
    raw = bytearray(path.read_bytes())
    raw[10] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(crypto.EvidenceDecryptError):
        storage.blob_read(original)
    working = item.blobs.get(role="working")
    # A wrapped key copied onto another blob does not open it (the name is bound in).
    working.wrapped_key, working.nonce = original.wrapped_key, original.nonce
    with pytest.raises(crypto.EvidenceDecryptError):
        storage.blob_read(working)


def test_one_bad_file_does_not_stop_the_others(case: Any) -> None:
    result = _add(
        case,
        files.upload("ok.png", files.encoded("PNG")),
        files.upload("evil.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg"),
        files.upload("chat.txt", "مرحبا".encode()),
    )
    assert [i.kind for i in result.added] == ["image", "text"]
    assert [(r.name, r.code) for r in result.rejected] == [("evil.jpg", "looks_like_web_page")]
    assert AuditEvent.objects.filter(event_type="evidence.rejected", data__refused="looks_like_web_page").exists()


def test_case_limit(case: Any, settings: Any) -> None:
    settings.AMAN_EVIDENCE_MAX_CASE_MB = 0
    result = _add(case, files.upload("a.png", files.encoded("PNG")))
    assert not result.added and result.rejected[0].code == "case_evidence_full"
    assert not Blob.objects.exists()


def test_too_many_files_at_once(case: Any, settings: Any) -> None:
    settings.AMAN_EVIDENCE_MAX_FILES_PER_UPLOAD = 2
    result = _add(case, *[files.upload(f"{i}.txt", b"hello") for i in range(3)])
    assert len(result.added) == 2 and result.rejected[0].code == "too_many_files"


def test_a_database_failure_mid_upload_leaves_no_orphan(case: Any, evidence_dir: Path) -> None:
    with (
        mock.patch("aman.evidence.storage.blob_record", side_effect=DatabaseError("disk full")),
        pytest.raises(DatabaseError),
    ):
        _add(case, files.upload("a.jpg", files.jpeg_with_gps()))
    assert stored_files(evidence_dir) == []
    assert not EvidenceItem.objects.exists() and not Blob.objects.exists()


def test_orphans_from_a_dead_process_are_swept(case: Any, evidence_dir: Path) -> None:
    kept = _add(case, files.upload("a.png", files.encoded("PNG"))).added[0]
    orphan = storage.blob_write(b"written, then the process died", content_type="text/plain")
    assert services.evidence_sweep_orphans(older_than_minutes=60) == 0  # too young to be sure
    assert services.evidence_sweep_orphans(older_than_minutes=0) == 1
    names = {str(p.relative_to(evidence_dir)) for p in stored_files(evidence_dir)}
    assert orphan.storage_name not in names
    assert {b.storage_name for b in kept.blobs.all()} == names


def test_purge_destroys_files_and_keys_verifiably(case: Any, evidence_dir: Path) -> None:
    item = _add(case, files.upload("a.jpg", files.jpeg_with_gps())).added[0]
    blobs = list(item.blobs.all())
    counts = services.evidence_purge_case(case=case)
    assert counts == {"items": 1, "blobs": 2}
    assert stored_files(evidence_dir) == []
    for blob in Blob.objects.filter(pk__in=[b.pk for b in blobs]):
        assert bytes(blob.wrapped_key) == b"" and blob.destroyed_at is not None
        assert not storage.blob_exists(blob)
        with pytest.raises(crypto.EvidenceDecryptError):
            storage.blob_read(blob)
    item.refresh_from_db()
    assert item.purged_at and item.original_name == "" and item.sha256  # the hash survives as a record
    assert AuditEvent.objects.filter(event_type="evidence.purged").exists()


def test_retention_purges_evidence_with_the_case(case: Any, evidence_dir: Path) -> None:
    from aman.cases.models import Case
    from aman.cases.retention import retention_purge

    _add(case, files.upload("a.png", files.encoded("PNG")))
    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=timezone.now() - timezone.timedelta(days=400))
    assert retention_purge(days=365) == 1
    assert stored_files(evidence_dir) == []
    assert EvidenceItem.objects.get(case=case).purged_at is not None


def test_master_key_rotation_rewraps_without_touching_files(case: Any, settings: Any, evidence_dir: Path) -> None:
    item = _add(case, files.upload("a.jpg", files.jpeg_with_gps())).added[0]
    before = {p: p.read_bytes() for p in stored_files(evidence_dir)}
    settings.AMAN_EVIDENCE_KEYS = ["t2:" + "bmV3LW1hc3Rlci1rZXktMzItYnl0ZXMtbG9uZyEhISE=", *settings.AMAN_EVIDENCE_KEYS]
    assert services.evidence_rotate_keys() == 2
    assert set(item.blobs.values_list("master_key_id", flat=True)) == {"t2"}
    assert {p: p.read_bytes() for p in stored_files(evidence_dir)} == before
    settings.AMAN_EVIDENCE_KEYS = settings.AMAN_EVIDENCE_KEYS[:1]  # the old key can now be retired
    assert storage.blob_read(item.blobs.get(role="working"))


def test_reporter_upload_marks_reporter_activity(case: Any) -> None:
    _add(case, files.upload("a.txt", b"chat"))
    case.refresh_from_db()
    assert case.last_reporter_activity_at is not None
    assert AuditEvent.objects.get(event_type="evidence.added").actor_label == "reporter"
