"""Background work on evidence: reading text in pictures, sweeping orphan blobs."""

from __future__ import annotations

import logging

from celery import shared_task

from aman.evidence.models import EvidenceItem, OcrStatus

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=3, default_retry_delay=30, acks_late=True)
def evidence_read_text_task(self, item_id: int) -> str:  # type: ignore[no-untyped-def]
    """Read the text in one picture and store it; idempotent (only a pending item is read)."""
    from aman.evidence import ocr, services

    item = EvidenceItem.objects.filter(pk=item_id, ocr_status=OcrStatus.PENDING, purged_at__isnull=True).first()
    if item is None:
        return "skipped"
    try:
        text = ocr.read_text(services.evidence_working_bytes(item=item))
    except ocr.OcrUnavailable:
        services.evidence_text_record(item_id=item_id, status=OcrStatus.UNAVAILABLE)
        return OcrStatus.UNAVAILABLE
    except ocr.OcrFailed as exc:
        if self.request.retries < self.max_retries and not self.request.is_eager:
            raise self.retry(exc=exc) from exc
        services.evidence_text_record(item_id=item_id, status=OcrStatus.FAILED)
        return OcrStatus.FAILED
    status = OcrStatus.DONE if text else OcrStatus.EMPTY
    services.evidence_text_record(item_id=item_id, status=status, text=text)
    _suggest_triage(item_id, text)
    return status


def _suggest_triage(item_id: int, text: str) -> None:
    """Offer the text to the triage suggester (aman.checks), when that app provides it."""
    if not text:
        return
    try:
        from aman.checks.services import triage_suggest_for_text  # type: ignore[attr-defined]
    except ImportError:
        return
    item = EvidenceItem.objects.select_related("case").get(pk=item_id)
    try:
        triage_suggest_for_text(case=item.case, text=text, source="evidence")
    except Exception:  # a suggestion must never break evidence handling
        logger.exception("triage suggestion from evidence %s failed", item_id)


@shared_task(bind=True, max_retries=3, default_retry_delay=30, acks_late=True)
def evidence_match_hashes_task(self, item_id: int) -> int:  # type: ignore[no-untyped-def]
    """Match one evidence file against the hash banks; idempotent (a match is recorded once)."""
    from aman.evidence.services import evidence_match_record

    return evidence_match_record(item_id=item_id)


@shared_task
def evidence_sweep_orphans_task() -> int:
    from aman.evidence.services import evidence_sweep_orphans

    return evidence_sweep_orphans()
