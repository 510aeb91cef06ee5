"""Writes that tie banked hashes to this helpline's cases (each in one transaction, audited).

- ``evidence_hashes_bank``: staff confirm an evidence file and put its hashes in the helpline's own
  bank, linked to the case and the file, so a later match says "reported before, in case …".
- ``reporter_hashes_attach``: a reporter's browser hashed a picture (PDQ, its 8 rotations and
  flips, or a video's MD5); only these hashes are kept, pending review, linked to their case.
- ``case_hashes_withdraw``: the reporter (with their follow-up code) or staff withdraw every hash
  of a case, as StopNCII does: out of the matching index at once, listed as withdrawn to partners.
- ``picture_review``: confirm or reject the hashes of one picture together.

Change numbers come from ``services._reserve_seqs`` (one locked counter), as for every other write.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from aman.accounts.models import User
from aman.audit.events import EventType
from aman.audit.services import audit_record
from aman.cases.models import Case
from aman.evidence.models import EvidenceItem
from aman.hashbanks import errors
from aman.hashbanks.models import BANK_CATEGORIES, BankedHash, BankKind, HashBank, SignalType
from aman.hashbanks.services import _clean_label, _reserve_seqs, normalize_hash, reporter_bank

OWN_BANK_NAME = "helpline-confirmed"
REPORTER_SOURCE = "reporter-device"
LOW_QUALITY = 50


@dataclass(frozen=True)
class PictureHashes:
    """What was computed from one file: PDQ variants (the original first) and quality, and/or MD5."""

    pdq: tuple[str, ...] = ()
    quality: int | None = None
    md5: str | None = None

    def signals(self) -> list[tuple[str, str]]:
        """(signal type, value) pairs, checked and without repeats, PDQ first."""
        out: dict[tuple[str, str], None] = {}
        for value in self.pdq:
            out[(SignalType.PDQ, normalize_hash(SignalType.PDQ, value))] = None
        if self.md5:
            out[(SignalType.MD5, normalize_hash(SignalType.MD5, self.md5))] = None
        return list(out)


@dataclass
class BankingResult:
    bank: HashBank
    added: list[BankedHash] = field(default_factory=list)
    already_present: int = 0
    picture: str = ""


def own_bank() -> HashBank:
    """The bank of hashes from this helpline's own confirmed cases."""
    bank, _created = HashBank.objects.get_or_create(
        name=OWN_BANK_NAME,
        defaults={
            "kind": BankKind.OWN,
            "category": "ncii",
            "description": "Hashes of evidence confirmed by our staff, each linked to the case it came from.",
        },
    )
    return bank


def _insert_picture(
    *,
    bank: HashBank,
    signals: Sequence[tuple[str, str]],
    quality: int | None,
    category: str,
    source: str,
    case: Case | None,
    evidence: EvidenceItem | None,
    acting_user: User | None,
) -> BankingResult:
    """Insert the signals not yet in the bank, with one picture token; the rest are counted."""
    result = BankingResult(bank=bank, picture=secrets.token_hex(16))
    present = set(
        BankedHash.objects.filter(bank=bank, value__in=[v for _k, v in signals]).values_list("signal_type", "value")
    )
    new = [(kind, value) for kind, value in signals if (kind, value) not in present]
    result.already_present = len(signals) - len(new)
    if not new:
        return result
    now = timezone.now()
    first = _reserve_seqs(len(new))
    rows = [
        BankedHash(
            bank=bank,
            signal_type=kind,
            value=value,
            quality=quality if kind == SignalType.PDQ else None,
            category=category,
            source=_clean_label(source, 200),
            partner_name=bank.partner_name,
            added_at=now,
            added_by=acting_user,
            reviewed_at=now if acting_user is not None else None,
            reviewed_by=acting_user,
            change_seq=first + i,
            source_case=case,
            source_evidence=evidence,
            picture=result.picture,
        )
        for i, (kind, value) in enumerate(new)
    ]
    BankedHash.objects.bulk_create(rows, ignore_conflicts=True)  # a concurrent insert of the same hash
    result.added = list(BankedHash.objects.filter(picture=result.picture).order_by("change_seq"))
    result.already_present += len(rows) - len(result.added)
    return result


def _category(case: Case, bank: HashBank) -> str:
    codes = {c.value for c in BANK_CATEGORIES}
    return case.category if case.category in codes else bank.category


@transaction.atomic
def evidence_hashes_bank(*, item: EvidenceItem, acting_user: User, bank: HashBank | None = None) -> BankingResult:
    """Put a confirmed evidence file's hashes in the helpline's own bank, linked to its case and file.

    PDQ (the 8 rotations and flips) for a picture of quality 50 or more; the MD5 always. Staff
    vouch for it, so the hashes match and are shared at once. A hash already in the bank is left
    as it is (it keeps its first case).
    """
    item = EvidenceItem.objects.select_related("case").get(pk=item.pk)
    if item.purged_at is not None:
        raise errors.NothingToBank()
    bank = bank or own_bank()
    pdq: tuple[str, ...] = ()
    if item.pdq and not item.low_quality_hash:
        pdq = tuple(item.pdq_dihedral or [item.pdq])
    signals = PictureHashes(pdq=pdq, quality=item.pdq_quality, md5=item.md5 or None).signals()
    if not signals:
        raise errors.NothingToBank()
    result = _insert_picture(
        bank=bank,
        signals=signals,
        quality=item.pdq_quality,
        category=_category(item.case, bank),
        source=f"case {item.case.reference}",
        case=item.case,
        evidence=item,
        acting_user=acting_user,
    )
    audit_record(
        event_type=EventType.HASH_ADDED,
        actor=acting_user,
        case=item.case,
        data={
            "bank": bank.pk,
            "evidence": item.pk,
            "added": len(result.added),
            "already_present": result.already_present,
        },
    )
    return result


@transaction.atomic
def reporter_hashes_attach(*, case: Case, hashes: PictureHashes, consent: bool) -> BankingResult:
    """Keep the hashes a reporter's browser computed (never the picture), linked to their case.

    They wait in the reporters' bank for a staff review before they match or leave the helpline.
    Nothing about the reporter's device or connection is stored.
    """
    if not consent:
        raise errors.ConsentRequired()
    signals = hashes.signals()
    if not signals:
        raise errors.NothingToBank()
    bank = reporter_bank()
    result = _insert_picture(
        bank=bank,
        signals=signals,
        quality=hashes.quality,
        category=_category(case, bank),
        source=REPORTER_SOURCE,
        case=case,
        evidence=None,
        acting_user=None,
    )
    audit_record(
        event_type=EventType.HASH_SUBMITTED_BY_REPORTER,
        actor_label="reporter",
        case=case,
        data={
            "bank": bank.pk,
            "pdq": sum(1 for k, _v in signals if k == SignalType.PDQ),
            "md5": sum(1 for k, _v in signals if k == SignalType.MD5),
            "added": len(result.added),
            "consent": True,
        },
    )
    return result


def _withdraw_rows(rows: list[BankedHash], *, reason: str, acting_user: User | None) -> None:
    now = timezone.now()
    first = _reserve_seqs(len(rows))
    for i, row in enumerate(rows):
        row.withdrawn_at, row.withdrawn_by = now, acting_user
        row.withdrawal_reason = reason
        row.change_seq = first + i
    BankedHash.objects.bulk_update(rows, ["withdrawn_at", "withdrawn_by", "withdrawal_reason", "change_seq"])


@transaction.atomic
def case_hashes_withdraw(*, case: Case, reason: str, acting_user: User | None = None, by_reporter: bool = False) -> int:
    """Withdraw every live hash that came from this case, in every bank; returns how many.

    They stop matching on the next lookup in every process (the index applies the change numbers)
    and partners read them as ``withdraw`` in the change feed. Staff must give a reason.
    """
    reason = _clean_label(reason, 500)
    if not reason:
        raise errors.ReasonRequired()
    rows = list(
        BankedHash.objects.select_for_update().filter(source_case=case, withdrawn_at__isnull=True).order_by("pk")
    )
    if rows:
        _withdraw_rows(rows, reason=reason, acting_user=None if by_reporter else acting_user)
    audit_record(
        event_type=EventType.HASH_WITHDRAWN,
        actor=None if by_reporter else acting_user,
        actor_label="reporter" if by_reporter else "",
        case=case,
        data={"case_hashes": len(rows), "banks": sorted({r.bank_id for r in rows}), "by_reporter": by_reporter},
    )
    return len(rows)


@transaction.atomic
def picture_review(*, banked_hash: BankedHash, accept: bool, acting_user: User) -> int:
    """Confirm (they start matching and are shared) or reject (withdrawn) a reporter's picture:
    every pending hash with the same picture token, or this one alone. Returns how many."""
    row = BankedHash.objects.select_for_update().select_related("bank").get(pk=banked_hash.pk)
    if not row.is_pending:
        raise errors.NotPending()
    qs: Any = BankedHash.objects.filter(pk=row.pk)
    if row.picture:
        qs = BankedHash.objects.filter(
            bank=row.bank, picture=row.picture, reviewed_at__isnull=True, withdrawn_at__isnull=True
        )
    rows = list(qs.select_for_update().order_by("pk"))
    if accept:
        now = timezone.now()
        first = _reserve_seqs(len(rows))
        for i, r in enumerate(rows):
            r.reviewed_at, r.reviewed_by, r.change_seq = now, acting_user, first + i
        BankedHash.objects.bulk_update(rows, ["reviewed_at", "reviewed_by", "change_seq"])
    else:
        _withdraw_rows(rows, reason="Rejected at review", acting_user=acting_user)
    audit_record(
        event_type=EventType.HASH_REVIEWED if accept else EventType.HASH_WITHDRAWN,
        actor=acting_user,
        case=row.source_case,
        data={"bank": row.bank_id, "hash": row.pk, "hashes": len(rows), "accepted": accept},
    )
    return len(rows)
