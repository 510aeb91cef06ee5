"""Everything that changes evidence: add, open (view, download), request, purge, rotate keys.

A file is checked and encrypted before any database write; its blobs are written to storage;
then one transaction records the item, its blobs and the audit entry. If that transaction fails
the blobs are deleted at once; if the process dies in between, ``evidence_sweep_orphans`` removes
them later. Either way no half-stored evidence and no orphan file remain.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aman.audit.events import EventType
from aman.audit.services import audit_record
from aman.cases.models import Case
from aman.core.text import clean_user_text
from aman.evidence import errors, storage
from aman.evidence.models import Blob, EvidenceItem, EvidenceKind, OcrStatus
from aman.evidence.ocr import ocr_available
from aman.evidence.validation import CheckedFile, check_file, max_file_bytes

logger = logging.getLogger(__name__)


class UploadLike(Protocol):
    name: str | None
    size: int | None

    def read(self, size: int = -1) -> bytes: ...


@dataclass
class Rejection:
    name: str
    code: str
    message: Any


@dataclass
class AddResult:
    added: list[EvidenceItem] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)


def _clean_name(name: str | None) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return clean_user_text(base)[:200]


def _read_bounded(upload: UploadLike) -> bytes:
    limit = max_file_bytes()
    if upload.size is not None and upload.size > limit:
        raise errors.FileTooLarge()
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise errors.FileTooLarge()
    return data


def case_evidence_bytes(case: Case) -> int:
    total = EvidenceItem.objects.filter(case=case, purged_at__isnull=True).aggregate(total=Sum("size"))["total"]
    return int(total or 0)


def _store(
    case: Case, checked: CheckedFile, *, name: str, description: str, user: Any, by_reporter: bool
) -> EvidenceItem:
    written: list[storage.StoredBlob] = []
    try:
        written.append(storage.blob_write(checked.original, content_type=checked.detected_type))
        if checked.working == checked.original:  # nothing to clean: one blob serves both
            working = written[0]
        else:
            written.append(storage.blob_write(checked.working, content_type=checked.working_type))
            working = written[1]
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=case.pk)
            limit = int(settings.AMAN_EVIDENCE_MAX_CASE_MB) * 1024 * 1024
            if case_evidence_bytes(locked) + checked.size > limit:
                raise errors.CaseEvidenceFull()
            ocr = OcrStatus.NOT_APPLICABLE
            if checked.kind == EvidenceKind.IMAGE:
                ocr = OcrStatus.PENDING if ocr_available() else OcrStatus.UNAVAILABLE
            item = EvidenceItem.objects.create(
                case=locked,
                kind=checked.kind,
                detected_type=checked.detected_type,
                original_name=name,
                description=description,
                added_by=EvidenceItem.AddedBy.REPORTER if by_reporter else EvidenceItem.AddedBy.STAFF,
                added_by_user=None if by_reporter else user,
                received_at=timezone.now(),
                size=checked.size,
                sha256=checked.sha256,
                md5=checked.md5,
                working_type=checked.working_type,
                working_sha256=checked.working_sha256,
                working_size=len(checked.working),
                metadata_removed=checked.metadata_removed,
                width=checked.width,
                height=checked.height,
                pdq=checked.pdq,
                pdq_quality=checked.pdq_quality,
                pdq_dihedral=checked.pdq_dihedral,
                ocr_status=ocr,
            )
            if by_reporter:
                Case.objects.filter(pk=locked.pk).update(last_reporter_activity_at=timezone.now())
            storage.blob_record(written[0], item=item, role=Blob.Role.ORIGINAL)
            if working is not written[0]:
                storage.blob_record(working, item=item, role=Blob.Role.WORKING)
            audit_record(
                event_type=EventType.EVIDENCE_ADDED,
                actor=None if by_reporter else user,
                actor_label="reporter" if by_reporter else "",
                case=locked,
                data={
                    "evidence": item.pk,
                    "kind": item.kind,
                    "type": item.detected_type,
                    "size": item.size,
                    "sha256": item.sha256,
                    "md5": item.md5,
                    "pdq": item.pdq,
                    "metadata_removed": item.metadata_removed,
                },
            )
            if item.ocr_status == OcrStatus.PENDING:
                transaction.on_commit(lambda: _enqueue_ocr(item.pk))
            transaction.on_commit(lambda: _enqueue_match(item.pk))
    except BaseException:
        storage.blob_forget(written)
        raise
    return item


def _enqueue_ocr(item_id: int) -> None:
    from aman.evidence.tasks import evidence_read_text_task

    try:
        evidence_read_text_task.delay(item_id)
    except Exception:  # the broker is down: the item stays pending; evidence_ocr_pending retries
        logger.exception("could not queue text reading for evidence %s", item_id)


def _enqueue_match(item_id: int) -> None:
    from aman.evidence.tasks import evidence_match_hashes_task

    try:
        evidence_match_hashes_task.delay(item_id)
    except Exception:  # the broker is down: matching can be rerun with manage.py evidence_match
        logger.exception("could not queue hash matching for evidence %s", item_id)


def evidence_match_record(*, item_id: int) -> int:
    """Match one file against the hash banks (PDQ with its 8 rotations and flips, and MD5)."""
    from aman.evidence.models import HashMatch
    from aman.hashbanks.matching import hashbank_match_image

    item = EvidenceItem.objects.select_related("case").filter(pk=item_id, purged_at__isnull=True).first()
    if item is None:
        return 0
    variants = list(item.pdq_dihedral or ([item.pdq] if item.pdq else []))
    if item.low_quality_hash:
        variants = []  # a PDQ hash of quality under 50 matches unreliably; MD5 still counts
    found = hashbank_match_image(pdq_variants=variants, md5=item.md5)
    found = [m for m in found if m.source_evidence_id != item.pk]  # this file's own banked hashes
    new = 0
    with transaction.atomic():
        for match in found:
            _, created = HashMatch.objects.get_or_create(
                item=item,
                banked_hash_id=match.hash_id,
                defaults={
                    "signal_type": match.signal_type,
                    "distance": match.distance,
                    "bank_name": match.bank_name,
                    "category": match.category,
                },
            )
            new += created
        if new:
            audit_record(
                event_type=EventType.EVIDENCE_HASH_MATCHED,
                actor_label="hash banks",
                case=item.case,
                data={"evidence": item.pk, "matches": new, "best_distance": min(m.distance for m in found)},
            )
    return new


def evidence_files_add(
    *,
    case: Case,
    files: list[UploadLike],
    by_reporter: bool,
    acting_user: Any = None,
    description: str = "",
) -> AddResult:
    """Check, encrypt and store each file; one bad file never stops the others (or the report)."""
    result = AddResult()
    if len(files) > settings.AMAN_EVIDENCE_MAX_FILES_PER_UPLOAD:
        extra = files[settings.AMAN_EVIDENCE_MAX_FILES_PER_UPLOAD :]
        files = files[: settings.AMAN_EVIDENCE_MAX_FILES_PER_UPLOAD]
        for upload in extra:
            result.rejected.append(
                Rejection(_clean_name(upload.name), errors.TooManyFiles.code, errors.TooManyFiles.message)
            )
    description = clean_user_text(description)[:500]
    for upload in files:
        name = _clean_name(upload.name)
        try:
            checked = check_file(_read_bounded(upload))
            result.added.append(
                _store(case, checked, name=name, description=description, user=acting_user, by_reporter=by_reporter)
            )
        except errors.EvidenceRejected as exc:
            result.rejected.append(Rejection(name, exc.code, exc.message))
            audit_record(
                event_type=EventType.EVIDENCE_REJECTED,
                actor=None if by_reporter else acting_user,
                actor_label="reporter" if by_reporter else "",
                case=case,
                data={"refused": exc.code},
            )
    return result


def _owner(item: EvidenceItem) -> None:
    if item.purged_at is not None:
        raise errors.EvidenceUnavailable()


def evidence_open(*, item: EvidenceItem, acting_user: Any, role: str, mode: str) -> bytes:
    """Decrypt a blob for a staff member and record it: ``mode`` is preview, revealed, original."""
    _owner(item)
    blob = item.blobs.filter(role=role).first() or item.blobs.get(role=Blob.Role.ORIGINAL)
    data = storage.blob_read(blob)
    event = EventType.EVIDENCE_DOWNLOADED if mode == "original" else EventType.EVIDENCE_VIEWED
    audit_record(
        event_type=event,
        actor=acting_user,
        case=item.case,
        data={"evidence": item.pk, "mode": mode, "sha256": item.sha256},
    )
    return data


def evidence_view_record(*, item: EvidenceItem, acting_user: Any) -> None:
    """Record that a staff member opened an item's page (its facts and the text read from it)."""
    audit_record(
        event_type=EventType.EVIDENCE_VIEWED,
        actor=acting_user,
        case=item.case,
        data={"evidence": item.pk, "mode": "details", "sha256": item.sha256},
    )


def evidence_working_bytes(*, item: EvidenceItem) -> bytes:
    """The working copy, for background work (text reading, packets); callers audit their own use."""
    _owner(item)
    blob = item.blobs.filter(role=Blob.Role.WORKING).first() or item.blobs.get(role=Blob.Role.ORIGINAL)
    return storage.blob_read(blob)


def evidence_original_bytes(*, item: EvidenceItem) -> bytes:
    _owner(item)
    return storage.blob_read(item.blobs.get(role=Blob.Role.ORIGINAL))


def evidence_text_record(*, item_id: int, status: str, text: str = "") -> EvidenceItem | None:
    """Store the text read from a picture, make the case searchable by it, and record the event."""
    from aman.cases.services import case_refresh_search_text

    with transaction.atomic():
        item = EvidenceItem.objects.select_for_update().select_related("case").filter(pk=item_id).first()
        if item is None or item.purged_at is not None or item.ocr_status != OcrStatus.PENDING:
            return None
        item.ocr_status = status
        item.ocr_text = text[:20000]
        item.save(update_fields=["ocr_status", "ocr_text", "updated_at"])
        case_refresh_search_text(case=item.case)
        audit_record(
            event_type=EventType.EVIDENCE_TEXT_READ,
            actor_label="ocr",
            case=item.case,
            data={"evidence": item.pk, "status": status, "characters": len(item.ocr_text)},
        )
    return item


def evidence_purge_case(*, case: Case, actor_label: str = "retention") -> dict[str, int]:
    """Destroy every blob of a case (storage object and wrapped key) and blank the items' text."""
    counts = {"items": 0, "blobs": 0}
    blobs = Blob.objects.filter(item__case=case, destroyed_at__isnull=True) | Blob.objects.filter(
        packet__case=case, destroyed_at__isnull=True
    )
    for blob in blobs:
        storage.blob_destroy(blob)
        counts["blobs"] += 1
    now = timezone.now()
    counts["items"] = EvidenceItem.objects.filter(case=case, purged_at__isnull=True).update(
        purged_at=now, ocr_text="", original_name="", description="", updated_at=now
    )
    if counts["items"] or counts["blobs"]:
        audit_record(event_type=EventType.EVIDENCE_PURGED, actor_label=actor_label, case=case, data=counts)
    return counts


def evidence_sweep_orphans(*, older_than_minutes: int | None = None) -> int:
    """Delete stored objects that no Blob row knows (a process died between write and commit)."""
    minutes = settings.AMAN_EVIDENCE_ORPHAN_MINUTES if older_than_minutes is None else older_than_minutes
    cutoff = timezone.now() - timedelta(minutes=minutes)
    store = storage.evidence_storage()
    removed = 0
    for name in _walk(store, ""):
        if Blob.objects.filter(storage_name=name).exists():
            continue
        try:
            modified = store.get_modified_time(name)
        except (OSError, NotImplementedError):
            continue
        if modified <= cutoff:
            store.delete(name)
            removed += 1
    return removed


def _walk(store: Any, prefix: str) -> list[str]:
    try:
        directories, files = store.listdir(prefix)
    except FileNotFoundError:
        return []
    names = [f"{prefix}{f}" for f in files]
    for directory in directories:
        names.extend(_walk(store, f"{prefix}{directory}/"))
    return names


def evidence_rotate_keys() -> int:
    """Re-wrap every live data key under the primary master key (the files stay as they are)."""
    from aman.evidence import crypto

    primary = crypto.master_keys()[0][0]
    rotated = 0
    for blob in Blob.objects.filter(destroyed_at__isnull=True).exclude(master_key_id=primary).iterator():
        wrapped, key_id = crypto.rewrap(
            bytes(blob.wrapped_key), key_id=blob.master_key_id, aad=blob.storage_name.encode()
        )
        Blob.objects.filter(pk=blob.pk, master_key_id=blob.master_key_id).update(
            wrapped_key=wrapped, master_key_id=key_id
        )
        rotated += 1
    audit_record(event_type=EventType.EVIDENCE_KEYS_ROTATED, actor_label="operator", data={"blobs": rotated})
    return rotated


def evidence_checklist_tick(*, case: Case, requirement: str, met: bool, acting_user: Any) -> None:
    from aman.evidence.models import SufficiencyCheck
    from aman.evidence.sufficiency import CHECKLISTS

    if requirement not in CHECKLISTS.get(case.category, []):
        raise errors.NothingChosen()
    with transaction.atomic():
        if met:
            _, changed = SufficiencyCheck.objects.get_or_create(
                case=case, requirement=requirement, defaults={"checked_by": acting_user}
            )
        else:
            changed = SufficiencyCheck.objects.filter(case=case, requirement=requirement).delete()[0] > 0
        if changed:
            audit_record(
                event_type=EventType.EVIDENCE_CHECKLIST_CHANGED,
                actor=acting_user,
                case=case,
                data={"requirement": requirement, "met": met},
            )


def evidence_request_text(*, case: Case) -> str:
    """The message asking the reporter for what is missing, in the reporter's language."""
    from django.utils import translation
    from django.utils.translation import gettext

    from aman.evidence.sufficiency import missing

    wanted = missing(case)
    if not wanted:
        return ""
    with translation.override(case.language):
        lines = [
            gettext("Thank you for your report. To help the platform act on it, could you add:"),
            *[f"- {requirement.ask}" for requirement in wanted],
            gettext(
                "You can add links and files on your follow-up page with your reference and code. "
                "If you cannot get something, tell us: we will still help."
            ),
        ]
    return "\n".join(str(line) for line in lines)


def evidence_request_missing(*, case: Case, acting_user: Any) -> bool:
    """Send the reporter one templated, translated message listing what the checklist lacks."""
    from aman.cases.services import case_message_send
    from aman.evidence.sufficiency import missing

    body = evidence_request_text(case=case)
    if not body:
        return False
    with transaction.atomic():
        case_message_send(case=case, body=body, acting_user=acting_user, wait_for_reply=True)
        audit_record(
            event_type=EventType.EVIDENCE_REQUESTED,
            actor=acting_user,
            case=case,
            data={"requirements": [r.code for r in missing(case)]},
        )
    return True


def evidence_preference_save(*, user: Any, blur: bool, greyscale: bool) -> None:
    from aman.evidence.models import ViewerPreference

    ViewerPreference.objects.update_or_create(user=user, defaults={"blur": blur, "greyscale": greyscale})


def evidence_packet_build(*, case: Case, items: list[EvidenceItem], target: str, acting_user: Any) -> Any:
    """Make, store (encrypted) and record an evidence packet for one target; see packet.py."""
    from aman.evidence.models import EvidencePacket
    from aman.evidence.packet import build_packet_zip

    items = [item for item in items if item.case_id == case.pk and item.purged_at is None]
    if not items:
        raise errors.NothingChosen()
    target = clean_user_text(target)[:120] or str(_("Unspecified"))
    created_at = timezone.now()
    data = build_packet_zip(case=case, items=items, target=target, acting_user=acting_user, created_at=created_at)
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    written = [storage.blob_write(data, content_type="application/zip")]
    try:
        with transaction.atomic():
            packet = EvidencePacket.objects.create(
                case=case,
                target=target,
                language=case.language,
                sha256=digest,
                size=len(data),
                created_by=acting_user,
            )
            packet.items.set(items)
            storage.blob_record(written[0], packet=packet, role=Blob.Role.PACKET)
            audit_record(
                event_type=EventType.EVIDENCE_PACKET_EXPORTED,
                actor=acting_user,
                case=case,
                data={
                    "packet": packet.pk,
                    "target": target,
                    "sha256": digest,
                    "evidence": [item.pk for item in items],
                },
            )
    except BaseException:
        storage.blob_forget(written)
        raise
    return packet


def evidence_packet_open(*, packet: Any, acting_user: Any) -> bytes:
    blob = packet.blobs.get(role=Blob.Role.PACKET)
    if blob.destroyed_at is not None:
        raise errors.EvidenceUnavailable()
    data = storage.blob_read(blob)
    audit_record(
        event_type=EventType.EVIDENCE_PACKET_DOWNLOADED,
        actor=acting_user,
        case=packet.case,
        data={"packet": packet.pk, "sha256": packet.sha256},
    )
    return data
