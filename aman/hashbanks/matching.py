"""Matching hashes against the banks: PDQ through aman.hashing's exact index, MD5 through the database.

One ``HashIndex`` per process holds every PDQ hash that is not withdrawn (keyed by
``BankedHash.pk``). Each call reads the change counter (one query): a new epoch rebuilds the
index; new change numbers are applied incrementally (added rows ``add``-ed, withdrawn rows
``remove``-d), so a withdrawal stops matching in every process on its next call. Whether a bank
is active, and whether a reporter's hash has been reviewed, is checked on the matched rows, so
switching a bank off needs no rebuild.

    from aman.hashbanks.matching import hashbank_match, hashbank_match_image

    hashbank_match(pdq=["f8f8…"], md5=["d41d8cd98f00b204e9800998ecf8427e"])  # list[MatchResult]
    hashbank_match_image(image=file_hashes)   # an image's 8 dihedral variants (+ uncropped), one query
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from aman.hashbanks.models import MAX_THRESHOLD, BankedHash, BankKind, HashBank, SignalType
from aman.hashbanks.services import change_counter, normalize_hash
from aman.hashing import HashIndex

LOAD_CHUNK = 50_000


@dataclass(frozen=True)
class MatchResult:
    """One bank hash that matched one query (by position in the caller's list and value)."""

    query_index: int
    query: str
    signal_type: str
    distance: int
    hash_id: int
    value: str
    bank_id: int
    bank_name: str
    bank_kind: str
    category: str
    source: str
    partner_name: str
    added_at: datetime
    reviewed: bool
    quality: int | None
    # Inside the helpline only (never in as_dict: partners do not see our cases).
    source_case_id: int | None = None
    source_evidence_id: int | None = None
    picture: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "query_index": self.query_index,
            "query": self.query,
            "signal_type": self.signal_type,
            "distance": self.distance,
            "hash_id": self.hash_id,
            "value": self.value,
            "bank": {"id": self.bank_id, "name": self.bank_name, "kind": self.bank_kind},
            "category": self.category,
            "source": self.source,
            "partner": self.partner_name,
            "added_at": self.added_at,
            "reviewed": self.reviewed,
            "quality": self.quality,
        }


class _ProcessIndex:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.index: HashIndex | None = None
        self.epoch = -1
        self.sequence = -1

    def reset(self) -> None:
        with self.lock:
            self.index, self.epoch, self.sequence = None, -1, -1

    def current(self) -> HashIndex:
        """The index brought up to date with the database. Call with the lock held."""
        epoch, sequence = change_counter()
        if self.index is None or epoch != self.epoch:
            self.index = _build()
            self.epoch, self.sequence = epoch, sequence
        elif sequence != self.sequence:
            _apply_changes(self.index, after=self.sequence)
            self.sequence = sequence
        return self.index


_INDEX = _ProcessIndex()


def index_reset() -> None:
    """Drop this process's index (tests; after a restore). The next match rebuilds it."""
    _INDEX.reset()


def index_stats() -> dict[str, int]:
    with _INDEX.lock:
        return _INDEX.current().stats()


def _live_pdq() -> Any:
    return BankedHash.objects.filter(signal_type=SignalType.PDQ, withdrawn_at__isnull=True)


def _build() -> HashIndex:
    index = HashIndex(max_distance=31)
    last = 0
    ids: list[int] = []
    values: list[str] = []
    while True:
        chunk = list(_live_pdq().filter(pk__gt=last).order_by("pk").values_list("pk", "value")[:LOAD_CHUNK])
        if not chunk:
            break
        ids.extend(pk for pk, _v in chunk)
        values.extend(v for _pk, v in chunk)
        last = chunk[-1][0]
    if ids:
        index.add(values, ids=np.asarray(ids, dtype=np.int64))
    return index


def _apply_changes(index: HashIndex, *, after: int) -> None:
    rows = list(
        BankedHash.objects.filter(signal_type=SignalType.PDQ, change_seq__gt=after).values_list(
            "pk", "value", "withdrawn_at"
        )
    )
    gone = [pk for pk, _v, withdrawn in rows if withdrawn is not None]
    if gone:
        index.remove(gone)
    new = [(pk, v) for pk, v, withdrawn in rows if withdrawn is None]
    if new:
        ids = np.asarray([pk for pk, _v in new], dtype=np.int64)
        fresh = ~index.contains(ids)
        if fresh.any():
            index.add([v for (_pk, v), keep in zip(new, fresh, strict=True) if keep], ids=ids[fresh])


def _rows(ids: Iterable[int], banks: Sequence[int] | None) -> dict[int, BankedHash]:
    qs = BankedHash.objects.filter(pk__in=list(ids), withdrawn_at__isnull=True, bank__active=True).select_related(
        "bank"
    )
    if banks is not None:
        qs = qs.filter(bank_id__in=banks)
    return {row.pk: row for row in qs if not _pending(row)}


def _pending(row: BankedHash) -> bool:
    return row.bank.kind == BankKind.REPORTER and row.reviewed_at is None


def _result(i: int, query: str, row: BankedHash, distance: int) -> MatchResult:
    return MatchResult(
        query_index=i,
        query=query,
        signal_type=row.signal_type,
        distance=distance,
        hash_id=row.pk,
        value=row.value,
        bank_id=row.bank_id,
        bank_name=row.bank.name,
        bank_kind=row.bank.kind,
        category=row.category,
        source=row.source,
        partner_name=row.partner_name,
        added_at=row.added_at,
        reviewed=row.reviewed_at is not None,
        quality=row.quality,
        source_case_id=row.source_case_id,
        source_evidence_id=row.source_evidence_id,
        picture=row.picture,
    )


def _thresholds(banks: Sequence[int] | None) -> dict[int, int]:
    qs = HashBank.objects.filter(active=True)
    if banks is not None:
        qs = qs.filter(pk__in=banks)
    return dict(qs.values_list("pk", "threshold"))


def hashbank_match(
    *,
    pdq: Sequence[str] = (),
    md5: Sequence[str] = (),
    max_distance: int | None = None,
    banks: Sequence[int] | None = None,
) -> list[MatchResult]:
    """Every live hash of the active banks that matches one of the queries, nearest first per query.

    PDQ: within each bank's threshold (or ``max_distance`` for all banks, at most 64); MD5: equal.
    ``query_index`` is the query's position in ``pdq`` (then in ``md5``, counted after the PDQ
    queries). ``banks`` limits the search to these bank ids (a partner's banks). Reads only: the
    caller records the call in the audit log. Raises ValueError for a malformed hash.
    """
    pdq_values = [normalize_hash(SignalType.PDQ, v) for v in pdq]
    md5_values = [normalize_hash(SignalType.MD5, v) for v in md5]
    thresholds = _thresholds(banks)
    if not thresholds:
        return []
    results: list[MatchResult] = []
    if pdq_values:
        limit = min(MAX_THRESHOLD, max_distance if max_distance is not None else max(thresholds.values()))
        with _INDEX.lock:
            found = _INDEX.current().search(pdq_values, max_distance=limit)
        rows = _rows(set(found.id.tolist()), list(thresholds))
        for q, pk, d in zip(found.query.tolist(), found.id.tolist(), found.distance.tolist(), strict=True):
            row = rows.get(pk)
            if row is None:
                continue
            allowed = thresholds[row.bank_id] if max_distance is None else limit
            if d <= allowed:
                results.append(_result(q, pdq_values[q], row, d))
    if md5_values:
        offset = len(pdq_values)
        qs = BankedHash.objects.filter(
            signal_type=SignalType.MD5, value__in=set(md5_values), withdrawn_at__isnull=True, bank_id__in=thresholds
        ).select_related("bank")
        for row in qs:
            if not _pending(row):
                for i, v in enumerate(md5_values):
                    if v == row.value:
                        results.append(_result(offset + i, v, row, 0))
    results.sort(key=lambda r: (r.query_index, r.distance, r.hash_id))
    return results


def hashbank_match_image(
    *, pdq_variants: Sequence[str] = (), md5: str | None = None, banks: Sequence[int] | None = None
) -> list[MatchResult]:
    """Matches for one picture: its PDQ variants (e.g. ``PdqHashes.dihedral`` plus ``uncropped``)
    count as one query; plus the file's MD5. Each banked picture is reported once, at its best
    distance: a bank hash, or all the hashes that share a picture token (a picture banked with its
    8 rotations and flips and its MD5).

    ``query_index`` is 0 for every result; ``query`` is the variant that matched best.
    """
    found = hashbank_match(pdq=list(pdq_variants), md5=[md5] if md5 else [], banks=banks)
    best: dict[tuple[int, str], MatchResult] = {}
    for r in found:
        key = (r.bank_id, r.picture or f"#{r.hash_id}")
        if key not in best or (r.distance, r.hash_id) < (best[key].distance, best[key].hash_id):
            best[key] = r
    merged = [dataclasses.replace(r, query_index=0) for r in best.values()]
    return sorted(merged, key=lambda r: (r.distance, r.hash_id))


def hashbank_match_file(*, path_or_bytes: Any, banks: Sequence[int] | None = None) -> list[MatchResult]:
    """Hash a file with aman.hashing (PDQ with its 8 variants for an image, MD5 always) and match it.

    For the evidence vault: call it on the decrypted bytes of an evidence file, then record the
    results on the case. Low-quality PDQ hashes (flat images) are not matched, only the MD5.
    """
    from aman.hashing import ImageError, hash_file, hash_image

    if isinstance(path_or_bytes, bytes | bytearray):
        import hashlib

        data = bytes(path_or_bytes)
        md5 = hashlib.md5(data, usedforsecurity=False).hexdigest()
        try:
            pdq = hash_image(data)
        except ImageError:  # not an image: MD5 only
            pdq = None
    else:
        hashed = hash_file(path_or_bytes)
        md5, pdq = hashed.md5, hashed.pdq
    variants: list[str] = []
    if pdq is not None and not pdq.low_quality:
        variants = list(pdq.dihedral) + ([pdq.uncropped] if pdq.uncropped else [])
    return hashbank_match_image(pdq_variants=variants, md5=md5, banks=banks)
