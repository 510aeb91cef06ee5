"""PDQ hashes as text and as numpy arrays; reading hash lists (plain hex or ThreatExchange lines).

A PDQ hash is 256 bits, written as 64 hex digits. In memory a bank of N hashes is an ``(N, 4)``
``uint64`` array: the 32 bytes of each hash in the order the hex spells them, viewed as four
native words. The word order does not matter for Hamming distance, only that every hash uses the
same one; :func:`to_hex` turns a row back into the text it came from.

Hash-list files hold one hash per line, either bare (``<64 hex>``) or as a ThreatExchange file
line (``pdq <64 hex>``). Large files are parsed in chunks with numpy, so a 10-million-line bank
never needs its text in memory at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

HEX_DIGITS = 64
HashArray = npt.NDArray[np.uint64]

_HEX_RE = re.compile(r"[0-9a-fA-F]{64}")
_LUT = np.full(256, 255, dtype=np.uint8)
for _i, _c in enumerate(b"0123456789abcdef"):
    _LUT[_c] = _i
for _i, _c in enumerate(b"ABCDEF"):
    _LUT[_c] = 10 + _i
_CHUNK_BYTES = 4 * 1024 * 1024
# ThreatExchange signal types other than PDQ: their lines are skipped in a PDQ list, not errors.
OTHER_SIGNAL_TYPES = frozenset(
    {
        "md5",
        "photo_md5",
        "video_md5",
        "vpdq",
        "video_tmk_pdqf",
        "pdq_ocr",
        "tlsh",
        "url",
        "url_md5",
        "raw_text",
        "text",
        "trend_query",
    }
)


class HashFormatError(ValueError):
    """A hash that is not 64 hex digits."""


def from_hex(values: Iterable[str]) -> HashArray:
    """Parse 64-hex-digit strings (either case) into an ``(N, 4)`` uint64 array."""
    rows = []
    for value in values:
        text = value.strip()
        if not _HEX_RE.fullmatch(text):
            raise HashFormatError(f"not a PDQ hash (64 hex digits): {value[:80]!r}")
        rows.append(bytes.fromhex(text))
    if not rows:
        return np.zeros((0, 4), dtype=np.uint64)
    return np.frombuffer(b"".join(rows), dtype=np.uint64).reshape(-1, 4).copy()


def to_hex(hashes: HashArray) -> list[str]:
    """The 64-hex-digit lower-case text of each row of an ``(N, 4)`` uint64 array."""
    data = np.ascontiguousarray(hashes, dtype=np.uint64).tobytes()
    return [data[i : i + 32].hex() for i in range(0, len(data), 32)]


def as_hash_array(hashes: HashArray | Iterable[str]) -> HashArray:
    """Accept an ``(N, 4)`` uint64 array (used as is when already C-contiguous) or hex strings."""
    if isinstance(hashes, np.ndarray):
        if hashes.ndim != 2 or hashes.shape[1] != 4 or hashes.dtype != np.uint64:
            raise ValueError("a hash array must have shape (N, 4) and dtype uint64")
        return np.ascontiguousarray(hashes)
    return from_hex(hashes)


def hamming(a: str, b: str) -> int:
    """Hamming distance between two hex hashes."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


@dataclass
class ParsedHashes:
    """Hashes read from a list, with the 0-based line each came from and what could not be read."""

    hashes: HashArray
    lines: npt.NDArray[np.int64]
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0
    skipped_other_types: int = 0

    max_errors_kept: int = 100

    def add_error(self, line: int, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < self.max_errors_kept:
            self.errors.append((line, reason))


def parse_line(line: str) -> str | None:
    """The hash on one list line, lower-cased; None for a line of another signal type.

    Raises HashFormatError for a line that is neither ``<hash>`` nor ``<type> <hash>``.
    """
    text = line.strip()
    if _HEX_RE.fullmatch(text):
        return text.lower()
    kind, sep, rest = text.partition(" ")
    if not sep:
        kind, sep, rest = text.partition("\t")
    if sep and kind:
        rest = rest.strip()
        if kind.lower() in OTHER_SIGNAL_TYPES:
            return None
        if kind.lower() == "pdq" and _HEX_RE.fullmatch(rest):
            return rest.lower()
    raise HashFormatError(f"not a PDQ hash line: {text[:80]!r}")


def _decode_rows(buf: npt.NDArray[np.uint8], starts: npt.NDArray[np.int64]) -> tuple[HashArray, npt.NDArray[np.bool_]]:
    """Decode 64 hex digits at each start offset; return the hashes and which rows were valid hex."""
    digits = _LUT[buf[starts[:, None] + np.arange(HEX_DIGITS)]]
    ok = ~(digits == 255).any(axis=1)
    packed = (digits[:, 0::2] << 4) | digits[:, 1::2]
    return np.ascontiguousarray(packed).view(np.uint64).reshape(-1, 4), ok


def _iter_chunks(stream: BinaryIO) -> Iterator[bytes]:
    """Chunks of whole lines (the last one may lack its newline)."""
    tail = b""
    while True:
        block = stream.read(_CHUNK_BYTES)
        if not block:
            if tail:
                yield tail
            return
        block = tail + block
        cut = block.rfind(b"\n")
        if cut < 0:
            tail = block
            continue
        tail = block[cut + 1 :]
        yield block[: cut + 1]


def read_hash_file(
    path: str | Path | BinaryIO,
    *,
    size_hint: int | None = None,
    max_errors_kept: int = 100,
    other_types_are_errors: bool = False,
) -> ParsedHashes:
    """Read a hash list: one ``<hash>`` or ``pdq <hash>`` per line; blank lines are skipped.

    Line numbers are 0-based physical lines, so callers can report which line matched. Lines of
    another signal type (``md5 …``) are counted and skipped; anything else is an error that is
    recorded (line and reason) and skipped, so one bad line does not sink a large import. With
    ``other_types_are_errors`` those other signal types are recorded as errors too.
    """
    if isinstance(path, str | Path):
        with open(path, "rb") as stream:
            return read_hash_file(
                stream,
                size_hint=Path(path).stat().st_size,
                max_errors_kept=max_errors_kept,
                other_types_are_errors=other_types_are_errors,
            )
    capacity = max(16, (size_hint // 65 + 16) if size_hint else 1 << 16)
    out = np.empty((capacity, 4), dtype=np.uint64)
    lines = np.empty(capacity, dtype=np.int64)
    result = ParsedHashes(hashes=out[:0], lines=lines[:0], max_errors_kept=max_errors_kept)
    count = 0
    line_base = 0
    for chunk in _iter_chunks(path):
        buf = np.frombuffer(chunk, dtype=np.uint8)
        ends = np.flatnonzero(buf == 10)
        if len(buf) and buf[-1] != 10:
            ends = np.append(ends, len(buf))
        starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.int64)
        lengths = ends - starts
        # strip one trailing carriage return
        has_cr = np.zeros(len(starts), dtype=bool)
        nonempty = lengths > 0
        has_cr[nonempty] = buf[ends[nonempty] - 1] == 13
        lengths = lengths - has_cr
        hex_start = np.full(len(starts), -1, dtype=np.int64)
        hex_start[lengths == HEX_DIGITS] = starts[lengths == HEX_DIGITS]
        prefixed = lengths == HEX_DIGITS + 4
        if prefixed.any():
            idx = np.flatnonzero(prefixed)
            head = buf[starts[idx, None] + np.arange(4)] | np.array([32, 32, 32, 0], dtype=np.uint8)
            is_pdq = (head == np.frombuffer(b"pdq ", dtype=np.uint8)).all(axis=1)
            hex_start[idx[is_pdq]] = starts[idx[is_pdq]] + 4
        fast = np.flatnonzero(hex_start >= 0)
        decoded, ok = _decode_rows(buf, hex_start[fast])
        good = fast[ok]
        slow = np.ones(len(starts), dtype=bool)
        slow[good] = False
        slow &= lengths > 0
        rows: list[tuple[int, bytes]] = []
        for i in np.flatnonzero(slow):
            text = chunk[starts[i] : ends[i]].decode("utf-8", errors="replace")
            if not text.strip():
                continue
            try:
                value = parse_line(text)
            except HashFormatError as exc:
                result.add_error(line_base + int(i), str(exc))
                continue
            if value is None and other_types_are_errors:
                result.add_error(line_base + int(i), f"not a PDQ hash line: {text.strip()[:80]!r}")
            elif value is None:
                result.skipped_other_types += 1
            else:
                rows.append((int(i), bytes.fromhex(value)))
        take = np.concatenate([good, np.array([i for i, _ in rows], dtype=np.int64)])
        values = decoded[ok]
        if rows:
            extra = np.frombuffer(b"".join(v for _, v in rows), dtype=np.uint64).reshape(-1, 4)
            values = np.concatenate([values, extra])
            order = np.argsort(take, kind="stable")
            take, values = take[order], values[order]
        n = len(take)
        if count + n > len(out):
            grow = max(len(out) * 2, count + n)
            out = np.resize(out, (grow, 4))
            lines = np.resize(lines, grow)
        out[count : count + n] = values
        lines[count : count + n] = line_base + take
        count += n
        line_base += len(starts)
    result.hashes = out[:count]
    result.lines = lines[:count]
    return result
