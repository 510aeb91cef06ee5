"""Append to and verify the audit hash chain."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from aman.audit.events import EventType
from aman.audit.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _entry_hash(
    *,
    sequence: int,
    occurred_at: datetime,
    actor_id: int | None,
    actor_label: str,
    event_type: str,
    case_id: int | None,
    data: dict[str, Any],
    prev_hash: str,
) -> str:
    payload = json.dumps(
        {
            "sequence": sequence,
            "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor_id": actor_id,
            "actor_label": actor_label,
            "event_type": event_type,
            "case_id": case_id,
            "data": data,
            "prev_hash": prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def audit_record(
    *,
    event_type: EventType,
    actor: Any = None,
    actor_label: str = "",
    case: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Call it inside the service's transaction, as its last write."""
    data = data or {}
    if actor is not None and getattr(actor, "is_authenticated", False):
        label = actor_label or actor.get_username()
        actor_id = actor.pk
    else:
        actor, actor_id = None, None
        label = actor_label or "system"
    case_id = case.pk if case is not None else None
    # No savepoint: inside a service's transaction it would cost two round trips for nothing,
    # since any error here aborts the whole service anyway.
    with transaction.atomic(savepoint=False):
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        occurred_at = timezone.now()
        sequence = head.sequence + 1
        digest = _entry_hash(
            sequence=sequence,
            occurred_at=occurred_at,
            actor_id=actor_id,
            actor_label=label,
            event_type=str(event_type),
            case_id=case_id,
            data=data,
            prev_hash=head.hash,
        )
        event = AuditEvent.objects.create(
            sequence=sequence,
            occurred_at=occurred_at,
            actor_id=actor_id,
            actor_label=label,
            event_type=str(event_type),
            case_id=case_id,
            data=data,
            prev_hash=head.hash,
            hash=digest,
        )
        AuditChainHead.objects.filter(id=1).update(sequence=sequence, hash=digest)
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_sequence: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_sequence is None


def audit_chain_verify(*, chunk_size: int = 5000) -> ChainReport:
    """Recompute the chain; name the first entry that is missing, altered or out of order."""
    expected_prev = GENESIS
    expected_sequence = 1
    checked = 0
    rows = AuditEvent.objects.order_by("sequence").values_list(
        "sequence", "occurred_at", "actor_id", "actor_label", "event_type", "case_id", "data", "prev_hash", "hash"
    )
    for sequence, occurred_at, actor_id, actor_label, event_type, case_id, data, prev_hash, stored in rows.iterator(
        chunk_size=chunk_size
    ):
        if sequence != expected_sequence:
            return ChainReport(checked, expected_sequence, "missing entry")
        if prev_hash != expected_prev:
            return ChainReport(checked, sequence, "previous hash does not match")
        digest = _entry_hash(
            sequence=sequence,
            occurred_at=occurred_at,
            actor_id=actor_id,
            actor_label=actor_label,
            event_type=event_type,
            case_id=case_id,
            data=data,
            prev_hash=prev_hash,
        )
        if digest != stored:
            return ChainReport(checked, sequence, "content altered")
        expected_prev = stored
        expected_sequence += 1
        checked += 1
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and head.sequence != checked:
        return ChainReport(checked, checked + 1, "entries after this point were removed")
    return ChainReport(checked)
