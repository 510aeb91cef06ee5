"""Every write to the hash banks, each in one transaction and audited (counts only, never images).

Change numbers: every add, review and withdrawal takes the next ``change_seq`` from the one
``HashChangeCounter`` row, locked until commit. Writers are therefore serialized and commit in
change order, which is what makes the partner feed ("everything after N") lossless.
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from aman.accounts.models import User
from aman.audit.events import EventType
from aman.audit.services import audit_record
from aman.core.spreadsheet import Echo, csv_safe
from aman.core.text import clean_user_text
from aman.hashbanks import errors
from aman.hashbanks.models import (
    MD5_RE,
    PDQ_RE,
    BankedHash,
    BankKind,
    ExchangePartner,
    HashBank,
    HashChangeCounter,
    HashFeedback,
    SignalType,
    Verdict,
)

IMPORT_BATCH = 5000
IMPORT_ERRORS_KEPT = 100
MAX_LINE_CHARS = 2000
REPORTER_BANK_NAME = "reporter-submitted"
PARTNER_KEY_PREFIX = "amanhx_"

MD5_ALIASES = frozenset({"md5", "photo_md5", "video_md5"})


# --- change numbers --------------------------------------------------------------------------------


def _reserve_seqs(count: int) -> int:
    """Reserve ``count`` change numbers; returns the first. Call inside a transaction."""
    head = HashChangeCounter.objects.select_for_update().get_or_create(id=1)[0]
    first = head.sequence + 1
    head.sequence += count
    HashChangeCounter.objects.filter(id=1).update(sequence=head.sequence)
    return first


def change_counter() -> tuple[int, int]:
    """(epoch, sequence): what the per-process index compares with (one query)."""
    row = HashChangeCounter.objects.filter(id=1).values_list("epoch", "sequence").first()
    return (row[0], row[1]) if row else (1, 0)


def _actor(user: Any) -> dict[str, Any]:
    return {"actor": user} if user is not None else {}


def normalize_hash(signal_type: str, value: str) -> str:
    """Lower-cased, stripped; raises ValueError with a translated reason when malformed."""
    text = (value or "").strip().lower()
    pattern = PDQ_RE if signal_type == SignalType.PDQ else MD5_RE
    if not pattern.fullmatch(text):
        if signal_type == SignalType.PDQ:
            raise ValueError(_("A PDQ hash is 64 hexadecimal characters (0-9, a-f)."))
        raise ValueError(_("An MD5 hash is 32 hexadecimal characters (0-9, a-f)."))
    return text


def _clean_label(text: str, max_length: int) -> str:
    return clean_user_text(text or "")[:max_length]


# --- banks -------------------------------------------------------------------------------------------


@transaction.atomic
def bank_create(
    *,
    name: str,
    kind: str,
    category: str,
    description: str = "",
    partner_name: str = "",
    threshold: int = 31,
    active: bool = True,
    acting_user: User | None,
) -> HashBank:
    bank = HashBank.objects.create(
        name=_clean_label(name, 120),
        kind=kind,
        category=category,
        description=_clean_label(description, 2000),
        partner_name=_clean_label(partner_name, 120),
        threshold=threshold,
        active=active,
        created_by=acting_user,
    )
    audit_record(
        event_type=EventType.HASHBANK_CREATED,
        **_actor(acting_user),
        data={"bank": bank.pk, "kind": kind, "category": category},
    )
    return bank


@transaction.atomic
def bank_update(
    *, bank: HashBank, active: bool, threshold: int, description: str, acting_user: User | None
) -> HashBank:
    changed: dict[str, Any] = {}
    if bank.active != active:
        changed["active"] = active
    if bank.threshold != threshold:
        changed["threshold"] = threshold
    bank.active, bank.threshold, bank.description = active, threshold, _clean_label(description, 2000)
    bank.save(update_fields=["active", "threshold", "description", "updated_at"])
    audit_record(event_type=EventType.HASHBANK_CHANGED, **_actor(acting_user), data={"bank": bank.pk, **changed})
    return bank


def reporter_bank() -> HashBank:
    bank, _created = HashBank.objects.get_or_create(
        name=REPORTER_BANK_NAME,
        defaults={
            "kind": BankKind.REPORTER,
            "category": "ncii",
            "description": "Hashes computed on reporters' own devices; each needs a staff review before it matches.",
        },
    )
    return bank


# --- hashes ------------------------------------------------------------------------------------------


@transaction.atomic
def hash_add(
    *,
    bank: HashBank,
    signal_type: str,
    value: str,
    quality: int | None = None,
    category: str = "",
    source: str = "",
    partner_name: str = "",
    acting_user: User | None,
) -> BankedHash:
    """Add one hash. Staff adding to a bank vouch for it, so it counts as reviewed by them."""
    value = normalize_hash(signal_type, value)
    if BankedHash.objects.filter(bank=bank, signal_type=signal_type, value=value).exists():
        raise errors.DuplicateHash()
    now = timezone.now()
    reviewed = acting_user is not None
    try:
        with transaction.atomic():
            row = BankedHash.objects.create(
                bank=bank,
                signal_type=signal_type,
                value=value,
                quality=quality,
                category=category or bank.category,
                source=_clean_label(source, 200),
                partner_name=_clean_label(partner_name, 120) or bank.partner_name,
                added_at=now,
                added_by=acting_user,
                reviewed_at=now if reviewed else None,
                reviewed_by=acting_user if reviewed else None,
                change_seq=_reserve_seqs(1),
            )
    except IntegrityError:  # added by someone else at the same moment
        raise errors.DuplicateHash() from None
    audit_record(
        event_type=EventType.HASH_ADDED,
        **_actor(acting_user),
        data={"bank": bank.pk, "hash": row.pk, "signal_type": signal_type},
    )
    return row


@transaction.atomic
def hash_withdraw(
    *, banked_hash: BankedHash, reason: str, acting_user: User | None, actor_label: str = ""
) -> BankedHash:
    """Withdraw: never matched or shared again; partners see the withdrawal in the feed."""
    reason = _clean_label(reason, 500)
    if not reason:
        raise errors.ReasonRequired()
    row = BankedHash.objects.select_for_update().get(pk=banked_hash.pk)
    if row.withdrawn_at is not None:
        raise errors.AlreadyWithdrawn()
    row.withdrawn_at = timezone.now()
    row.withdrawn_by = acting_user
    row.withdrawal_reason = reason
    row.change_seq = _reserve_seqs(1)
    row.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "change_seq"])
    audit_record(
        event_type=EventType.HASH_WITHDRAWN,
        **_actor(acting_user),
        actor_label=actor_label,
        data={"bank": row.bank_id, "hash": row.pk},
    )
    return row


@transaction.atomic
def hash_review(*, banked_hash: BankedHash, accept: bool, acting_user: User) -> BankedHash:
    """Confirm a reporter's hash (it starts matching and is shared) or reject it (withdrawn)."""
    row = BankedHash.objects.select_for_update().select_related("bank").get(pk=banked_hash.pk)
    if not row.is_pending:
        raise errors.NotPending()
    if not accept:
        return hash_withdraw(banked_hash=row, reason="Rejected at review", acting_user=acting_user)
    row.reviewed_at = timezone.now()
    row.reviewed_by = acting_user
    row.change_seq = _reserve_seqs(1)
    row.save(update_fields=["reviewed_at", "reviewed_by", "change_seq"])
    audit_record(
        event_type=EventType.HASH_REVIEWED,
        actor=acting_user,
        data={"bank": row.bank_id, "hash": row.pk, "accepted": True},
    )
    return row


@transaction.atomic
def reporter_hash_submit(*, pdq: str, quality: int | None, consent: bool) -> BankedHash | None:
    """A reporter's own device hashed an image: keep only the hash, pending a staff review.

    Nothing about the reporter is stored. Sending a hash already in the bank changes nothing
    (and says nothing about it). Returns None without consent.
    """
    if not consent:
        return None
    value = normalize_hash(SignalType.PDQ, pdq)
    bank = reporter_bank()
    existing = BankedHash.objects.filter(bank=bank, signal_type=SignalType.PDQ, value=value).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            row = BankedHash.objects.create(
                bank=bank,
                signal_type=SignalType.PDQ,
                value=value,
                quality=quality,
                category=bank.category,
                source="reporter-device",
                added_at=timezone.now(),
                change_seq=_reserve_seqs(1),
            )
    except IntegrityError:
        return BankedHash.objects.get(bank=bank, signal_type=SignalType.PDQ, value=value)
    audit_record(
        event_type=EventType.HASH_SUBMITTED_BY_REPORTER,
        actor_label="reporter",
        data={"bank": bank.pk, "hash": row.pk, "consent": True},
    )
    return row


# --- import ------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    lines: int = 0
    added: int = 0
    already_present: int = 0
    duplicates_in_file: int = 0
    withdrawn: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0

    def add_error(self, line: int, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < IMPORT_ERRORS_KEPT:
            self.errors.append((line, reason))


@dataclass(frozen=True)
class _Parsed:
    signal_type: str
    value: str
    category: str = ""
    source: str = ""
    added_at: datetime | None = None
    withdrawn: bool = False
    quality: int | None = None


def _parse_text_line(text: str) -> _Parsed | None:
    """``pdq <hex>``, ``md5 <hex>`` (ThreatExchange / HMA signal lines) or a bare hash."""
    parts = text.split()
    if not parts:
        return None
    if len(parts) == 1:
        bare = parts[0].lower()
        kind = SignalType.PDQ if len(bare) == 64 else SignalType.MD5
        return _Parsed(kind, normalize_hash(kind, bare))
    if len(parts) != 2:
        raise ValueError(_("Expected a signal type and a hash, e.g. 'pdq <64 hex>' or 'md5 <32 hex>'."))
    kind_text = parts[0].lower()
    if kind_text == "pdq":
        return _Parsed(SignalType.PDQ, normalize_hash(SignalType.PDQ, parts[1]))
    if kind_text in MD5_ALIASES:
        return _Parsed(SignalType.MD5, normalize_hash(SignalType.MD5, parts[1]))
    raise ValueError(_("Unknown signal type: only pdq and md5 are supported."))


CSV_COLUMNS = ("signal_type", "value", "category", "source", "added_at", "withdrawn")
_TRUE = frozenset({"1", "true", "yes", "y", "t"})
_FALSE = frozenset({"", "0", "false", "no", "n", "f"})


def _parse_csv_row(row: dict[str, str | None], categories: set[str]) -> _Parsed:
    kind_text = (row.get("signal_type") or "").strip().lower()
    if kind_text in MD5_ALIASES:
        kind = SignalType.MD5
    elif kind_text == "pdq":
        kind = SignalType.PDQ
    else:
        raise ValueError(_("Unknown signal type: only pdq and md5 are supported."))
    value = normalize_hash(kind, row.get("value") or "")
    category = (row.get("category") or "").strip()
    if category and category not in categories:
        raise ValueError(_("Unknown category code."))
    added_text = (row.get("added_at") or "").strip()
    added_at = None
    if added_text:
        try:
            added_at = parse_datetime(added_text)
        except ValueError:
            added_at = None
        if added_at is None:
            raise ValueError(_("added_at is not an ISO 8601 date and time."))
        if timezone.is_naive(added_at):
            added_at = timezone.make_aware(added_at, timezone=UTC)
    withdrawn_text = (row.get("withdrawn") or "").strip().lower()
    if withdrawn_text not in _TRUE | _FALSE:
        raise ValueError(_("withdrawn must be true or false."))
    quality_text = (row.get("quality") or "").strip()
    quality = None
    if quality_text:
        if not quality_text.isdigit() or int(quality_text) > 100:
            raise ValueError(_("quality must be a whole number from 0 to 100."))
        quality = int(quality_text)
    return _Parsed(
        kind,
        value,
        category=category,
        source=_clean_label(row.get("source") or "", 200),
        added_at=added_at,
        withdrawn=withdrawn_text in _TRUE,
        quality=quality,
    )


def _iter_lines(stream: IO[bytes]) -> Iterator[tuple[int, str]]:
    """Lines as text (1-based numbers), decoded strictly; a bad line is reported, not fatal."""
    for number, raw in enumerate(stream, start=1):
        if len(raw) > MAX_LINE_CHARS:
            yield number, "\x00too-long"
            continue
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            yield number, "\x00not-utf8"
            continue
        yield number, text.rstrip("\r\n")


def _line_problem(marker: str) -> str | None:
    if marker == "\x00too-long":
        return _("The line is too long.")
    if marker == "\x00not-utf8":
        return _("The line is not UTF-8 text.")
    if "\x00" in marker:
        return _("The line contains a null character.")
    return None


def _parsed_rows(stream: IO[bytes], fmt: str, result: ImportResult) -> Iterator[tuple[int, _Parsed]]:
    from aman.hashbanks.models import CATEGORY_CHOICES

    categories = {code for code, _label in CATEGORY_CHOICES}
    header: list[str] | None = None
    for number, text in _iter_lines(stream):
        problem = _line_problem(text)
        if problem:
            result.lines += 1
            result.add_error(number, problem)
            continue
        if not text.strip():
            continue
        if fmt == "csv" and header is None:
            header = [h.strip().lower() for h in next(csv.reader([text]))]
            missing = [c for c in ("signal_type", "value") if c not in header]
            if missing:
                result.add_error(number, _("The CSV header needs the columns signal_type and value."))
                return
            continue
        result.lines += 1
        try:
            if fmt == "csv":
                assert header is not None
                cells = next(csv.reader([text]))
                if len(cells) != len(header):
                    raise ValueError(_("This row does not have as many columns as the header."))
                parsed = _parse_csv_row(dict(zip(header, cells, strict=True)), categories)
            else:
                maybe = _parse_text_line(text)
                if maybe is None:
                    continue
                parsed = maybe
        except (ValueError, csv.Error) as exc:
            result.add_error(number, str(exc))
            continue
        yield number, parsed


@transaction.atomic
def hashes_import(
    *,
    bank: HashBank,
    stream: IO[bytes],
    fmt: str,
    source: str = "",
    acting_user: User | None,
    batch_size: int = IMPORT_BATCH,
    progress: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Import a hash list, all or nothing. ``fmt``: "text" (``pdq <hex>`` / ``md5 <hex>`` lines) or "csv".

    Streams the file and inserts in batches of IMPORT_BATCH with bulk_create; a hash already in
    the bank is counted and left as it is; CSV rows with ``withdrawn=true`` withdraw the bank's
    copy. Any malformed line rolls everything back and raises ImportFailed with the line numbers.
    """
    if fmt not in ("text", "csv"):
        raise ValueError("fmt is 'text' or 'csv'")
    result = ImportResult()
    source = _clean_label(source, 200)
    seen: set[tuple[str, str]] = set()
    batch: list[_Parsed] = []
    to_withdraw: list[tuple[str, str]] = []
    now = timezone.now()

    def flush() -> None:
        if not batch:
            return
        first = _reserve_seqs(len(batch))
        if connection.vendor == "postgresql":
            added = _copy_batch(bank=bank, batch=batch, first=first, source=source, now=now, acting_user=acting_user)
            result.added += added
            result.already_present += len(batch) - added
            batch.clear()
            if progress is not None:
                progress(result)
            return
        rows = [
            BankedHash(
                bank=bank,
                signal_type=p.signal_type,
                value=p.value,
                quality=p.quality,
                category=p.category or bank.category,
                source=p.source or source,
                partner_name=bank.partner_name,
                added_at=p.added_at or now,
                added_by=acting_user,
                change_seq=first + i,
            )
            for i, p in enumerate(batch)
        ]
        BankedHash.objects.bulk_create(rows, ignore_conflicts=True)
        added = BankedHash.objects.filter(bank=bank, change_seq__gte=first, change_seq__lt=first + len(rows)).count()
        result.added += added
        result.already_present += len(rows) - added
        batch.clear()
        if progress is not None:
            progress(result)

    for _number, parsed in _parsed_rows(stream, fmt, result):
        key = (parsed.signal_type, parsed.value)
        if key in seen:
            result.duplicates_in_file += 1
            continue
        seen.add(key)
        if parsed.withdrawn:
            to_withdraw.append(key)
            continue
        if result.error_count:
            continue  # keep reading to report every bad line, but insert nothing more
        batch.append(parsed)
        if len(batch) >= batch_size:
            flush()
    if not result.error_count:
        flush()
    if result.error_count:
        transaction.set_rollback(True)
        raise errors.ImportFailed(errors=result.errors, error_count=result.error_count)
    result.withdrawn = _withdraw_listed(bank=bank, keys=to_withdraw, acting_user=acting_user)
    audit_record(
        event_type=EventType.HASHES_IMPORTED,
        **_actor(acting_user),
        data={
            "bank": bank.pk,
            "format": fmt,
            "lines": result.lines,
            "added": result.added,
            "already_present": result.already_present,
            "withdrawn": result.withdrawn,
        },
    )
    return result


_STAGE_CREATE = (
    "CREATE TEMP TABLE IF NOT EXISTS hashbanks_import_stage (signal_type varchar(8), value varchar(64), "
    "quality smallint, category varchar(40), source varchar(200), added_at timestamptz, change_seq bigint) "
    "ON COMMIT DROP"
)
_STAGE_COPY = (
    "COPY hashbanks_import_stage (signal_type, value, quality, category, source, added_at, change_seq) FROM STDIN"
)
_STAGE_INSERT = (
    "INSERT INTO hashbanks_bankedhash (bank_id, signal_type, value, quality, category, source, partner_name, "
    "added_at, added_by_id, withdrawal_reason, change_seq, picture) "
    "SELECT %s, signal_type, value, quality, category, source, %s, added_at, %s, '', change_seq, '' "
    "FROM hashbanks_import_stage ON CONFLICT (bank_id, signal_type, value) DO NOTHING"
)


def _copy_batch(
    *, bank: HashBank, batch: Sequence[_Parsed], first: int, source: str, now: datetime, acting_user: User | None
) -> int:
    """PostgreSQL: COPY the batch into a temporary table, then INSERT … ON CONFLICT DO NOTHING into
    the bank (a hash already there is skipped). Returns how many rows were added. Several times
    faster than bulk_create, which builds a model and SQL parameters per row."""
    with connection.cursor() as cursor:
        cursor.execute(_STAGE_CREATE)
        with cursor.cursor.copy(_STAGE_COPY) as copy:
            for i, p in enumerate(batch):
                row = (p.signal_type, p.value, p.quality, p.category or bank.category, p.source or source)
                copy.write_row((*row, p.added_at or now, first + i))
        cursor.execute(_STAGE_INSERT, [bank.pk, bank.partner_name, acting_user.pk if acting_user is not None else None])
        added = cursor.rowcount
        cursor.execute("TRUNCATE hashbanks_import_stage")
    return int(added)


def _withdraw_listed(*, bank: HashBank, keys: Sequence[tuple[str, str]], acting_user: User | None) -> int:
    count = 0
    now = timezone.now()
    for start in range(0, len(keys), IMPORT_BATCH):
        chunk = keys[start : start + IMPORT_BATCH]
        q = Q()
        for kind in (SignalType.PDQ, SignalType.MD5):
            values = [v for k, v in chunk if k == kind]
            if values:
                q |= Q(signal_type=kind, value__in=values)
        rows = list(BankedHash.objects.filter(q, bank=bank, withdrawn_at__isnull=True).select_for_update())
        if not rows:
            continue
        first = _reserve_seqs(len(rows))
        for i, row in enumerate(rows):
            row.withdrawn_at, row.withdrawn_by = now, acting_user
            row.withdrawal_reason = "Withdrawn in an imported list"
            row.change_seq = first + i
        BankedHash.objects.bulk_update(rows, ["withdrawn_at", "withdrawn_by", "withdrawal_reason", "change_seq"])
        count += len(rows)
    return count


# --- export ------------------------------------------------------------------------------------------

EXPORT_CSV_COLUMNS = [
    "signal_type",
    "value",
    "category",
    "source",
    "partner",
    "added_at",
    "reviewed",
    "withdrawn",
    "withdrawn_at",
    "quality",
]


def shareable(qs: QuerySet[BankedHash]) -> QuerySet[BankedHash]:
    """Rows that may leave the helpline: not a reporter's hash that staff never confirmed (still
    waiting, or withdrawn or rejected before review: partners never had it, so they are not told)."""
    return qs.exclude(bank__kind=BankKind.REPORTER, reviewed_at__isnull=True)


def hashes_export(*, bank: HashBank, fmt: str, acting_user: User | None) -> Iterator[str]:
    """Audited export. "text": live hashes as ``pdq <hex>`` lines; "csv": every row with provenance."""
    qs = shareable(BankedHash.objects.filter(bank=bank)).order_by("change_seq")
    if fmt == "text":
        qs = qs.filter(withdrawn_at__isnull=True)
    with transaction.atomic():
        count = qs.count()
        audit_record(
            event_type=EventType.HASHES_EXPORTED,
            **_actor(acting_user),
            data={"bank": bank.pk, "format": fmt, "count": count},
        )
    if fmt == "text":
        return (f"{kind} {value}\n" for kind, value in qs.values_list("signal_type", "value").iterator(chunk_size=5000))
    writer = csv.writer(Echo())
    fields = ["signal_type", "value", "category", "source", "partner_name", "added_at", "reviewed_at"]
    rows = qs.values_list(*fields, "withdrawn_at", "quality").iterator(chunk_size=5000)

    def lines() -> Iterator[str]:
        yield writer.writerow(EXPORT_CSV_COLUMNS)
        for kind, value, category, src, partner, added, reviewed, withdrawn, quality in rows:
            yield writer.writerow(
                [
                    kind,
                    value,
                    category,
                    csv_safe(src),
                    csv_safe(partner),
                    added.isoformat(),
                    "true" if reviewed else "false",
                    "true" if withdrawn else "false",
                    withdrawn.isoformat() if withdrawn else "",
                    "" if quality is None else quality,
                ]
            )

    return lines()


# --- change feed, feedback, partners ------------------------------------------------------------------


@dataclass(frozen=True)
class FeedPage:
    changes: list[BankedHash]
    next_checkpoint: int
    has_more: bool


def hashes_fetch_changes(
    *, banks: QuerySet[HashBank], checkpoint: int, limit: int, actor: Any = None, actor_label: str = ""
) -> FeedPage:
    """Adds and withdrawals after ``checkpoint`` in the given banks, oldest first; audited.

    The counter is read before the rows: a change number at or below it is already committed
    (writers hold the counter's lock until they commit), so when the page is not full the next
    checkpoint can jump to it, past changes in banks this caller does not see.
    """
    head = change_counter()[1]
    qs = shareable(BankedHash.objects.filter(bank__in=banks, change_seq__gt=checkpoint, change_seq__lte=head))
    rows = list(qs.select_related("bank").order_by("change_seq")[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_checkpoint = rows[-1].change_seq if has_more else max(head, checkpoint)
    with transaction.atomic():
        audit_record(
            event_type=EventType.HASHES_FETCHED,
            **_actor(actor),
            actor_label=actor_label,
            data={
                "checkpoint": checkpoint,
                "returned": len(rows),
                "withdrawals": sum(1 for r in rows if r.withdrawn_at),
            },
        )
    return FeedPage(rows, next_checkpoint, has_more)


@transaction.atomic
def hash_feedback_record(
    *,
    banked_hash: BankedHash,
    verdict: str,
    comment: str = "",
    partner: ExchangePartner | None = None,
    user: User | None = None,
) -> HashFeedback:
    if verdict not in Verdict.values:
        raise ValueError("unknown verdict")
    feedback = HashFeedback.objects.create(
        banked_hash=banked_hash,
        verdict=verdict,
        comment=_clean_label(comment, 500),
        partner=partner,
        user=user,
    )
    audit_record(
        event_type=EventType.HASH_FEEDBACK,
        **_actor(user),
        actor_label=f"partner:{partner.name}" if partner else "",
        data={"hash": banked_hash.pk, "bank": banked_hash.bank_id, "verdict": verdict},
    )
    return feedback


def partner_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def partner_create(
    *,
    name: str,
    banks: Iterable[HashBank],
    can_match: bool = True,
    can_fetch: bool = False,
    can_feedback: bool = True,
    acting_user: User | None,
) -> tuple[ExchangePartner, str]:
    """A partner and its API key. The key is returned once and only its SHA-256 is kept."""
    key = PARTNER_KEY_PREFIX + secrets.token_urlsafe(32)
    partner = ExchangePartner.objects.create(
        name=_clean_label(name, 120),
        key_prefix=key[: len(PARTNER_KEY_PREFIX) + 8],
        key_hash=partner_key_digest(key),
        can_match=can_match,
        can_fetch=can_fetch,
        can_feedback=can_feedback,
    )
    partner.banks.set(list(banks))
    audit_record(
        event_type=EventType.HASH_PARTNER_CREATED,
        **_actor(acting_user),
        data={"partner": partner.pk, "banks": sorted(b.pk for b in partner.banks.all())},
    )
    return partner, key


def partner_authenticate(*, key: str) -> ExchangePartner | None:
    if not key.startswith(PARTNER_KEY_PREFIX) or len(key) > 100:
        return None
    partner = ExchangePartner.objects.filter(key_hash=partner_key_digest(key), active=True).first()
    if partner is not None and secrets.compare_digest(partner.key_hash, partner_key_digest(key)):
        ExchangePartner.objects.filter(pk=partner.pk).update(last_used_at=timezone.now())
        return partner
    return None


def read_upload(data: bytes) -> IO[bytes]:
    return io.BytesIO(data)
