"""Comment moderation for official pages: read, score, sort by harm, group near-duplicates, export.

Pure functions (no Django import): the console view keeps the result in the staff member's
session only. Near-duplicates are found with MinHash over character 3-shingles of the folded
text (LSH bands to find candidates, exact Jaccard to confirm) and grouped with union-find.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from aman.core.spreadsheet import csv_safe

MAX_BYTES = 2 * 1024 * 1024
MAX_COMMENTS = 2000
MAX_CHARS = 2000
DUPLICATE_JACCARD = 0.6
TEXT_COLUMNS = ("comment", "comments", "text", "message", "body", "content", "commentaire", "texte", "تعليق",
                "التعليق", "نص", "النص", "لێدوان", "دەق")  # fmt: skip

_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ی": "ي", "ة": "ه", "ک": "ك", "ـ": None})
_MARKS = re.compile("[\u064b-\u0652\u0670\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_NON_WORD = re.compile(r"[^\w]+")
_REPEATS = re.compile(r"(.)\1{2,}")
_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@\w+")

NUM_HASHES = 48
BANDS = 16  # 3 rows per band: pairs at Jaccard 0.6 become candidates with probability ~0.97
_MASK = (1 << 64) - 1
_SEEDS = [int.from_bytes(hashlib.sha256(f"aman-minhash-{i}".encode()).digest()[:8], "big") for i in range(NUM_HASHES)]


class InputError(ValueError):
    """The list cannot be read: code is one of empty, too_large, csv_invalid."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Comment:
    index: int  # 1-based line or row number in the input
    text: str
    harm: float = 0.0
    labels: tuple[str, ...] = ()
    scores: dict[str, float] | None = None
    action: str = ""  # "report", "hide" or ""
    group: int = 0  # comments with the same group number are near-duplicates
    group_size: int = 1

    def to_dict(self) -> dict:
        d = asdict(self)
        d["labels"] = list(self.labels)
        return d


def _clip(texts: Iterable[str]) -> list[str]:
    out = []
    for text in texts:
        text = text.replace("\x00", "").strip()
        if text:
            out.append(text[:MAX_CHARS])
        if len(out) > MAX_COMMENTS:
            raise InputError("too_large")
    if not out:
        raise InputError("empty")
    return out


def parse_paste(text: str) -> list[str]:
    """One comment per line."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise InputError("too_large")
    return _clip(text.splitlines())


def parse_csv(data: bytes) -> list[str]:
    """A CSV export of comments: the text column is found by its name, else the longest texts."""
    if len(data) > MAX_BYTES:
        raise InputError("too_large")
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            raw = data.decode("cp1256")  # Arabic Windows exports
        except UnicodeDecodeError:
            raise InputError("csv_invalid") from None
    if "\x00" in raw:
        raise InputError("csv_invalid")
    try:
        dialect = csv.Sniffer().sniff(raw[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    try:
        rows = [row for row in csv.reader(io.StringIO(raw), dialect) if any(cell.strip() for cell in row)]
    except csv.Error:
        raise InputError("csv_invalid") from None
    if not rows:
        raise InputError("empty")
    header = [cell.strip().lower() for cell in rows[0]]
    column = next((i for i, name in enumerate(header) if name in TEXT_COLUMNS), None)
    body = rows[1:] if column is not None else rows
    if column is None:
        width = max(len(row) for row in rows)
        lengths = [sum(len(row[i]) for row in rows if i < len(row)) for i in range(width)]
        column = max(range(width), key=lengths.__getitem__)
        # A first row of short words over long texts is a header we did not recognise.
        if len(rows) > 1 and len(rows[0][column] if column < len(rows[0]) else "") < 20 < lengths[column] / len(rows):
            body = rows[1:]
    return _clip(row[column] if column < len(row) else "" for row in body)


def fold(text: str) -> str:
    """Text for duplicate detection: links, mentions, marks, case, letter variants and repeats folded."""
    text = unicodedata.normalize("NFKC", text)
    text = _URL.sub(" ", text)
    text = _MENTION.sub(" ", text)
    text = _MARKS.sub("", text).translate(_FOLD).casefold()
    text = _REPEATS.sub(r"\1\1", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


def shingles(text: str, k: int = 3) -> set[str]:
    folded = fold(text)
    if len(folded) <= k:
        return {folded} if folded else set()
    return {folded[i : i + k] for i in range(len(folded) - k + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _signature(items: set[str]) -> list[int]:
    hashes = [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big") for s in items]
    if not hashes:
        return [0] * NUM_HASHES
    return [min(((h ^ seed) * 0x9E3779B97F4A7C15) & _MASK for h in hashes) for seed in _SEEDS]


def group_near_duplicates(texts: list[str], threshold: float = DUPLICATE_JACCARD) -> list[int]:
    """A group number per text (the index of the group's first text); near-duplicates share it."""
    sets = [shingles(t) for t in texts]
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    rows = NUM_HASHES // BANDS
    buckets: dict[tuple[int, tuple[int, ...]], list[int]] = {}
    for i, items in enumerate(sets):
        sig = _signature(items)
        for band in range(BANDS):
            buckets.setdefault((band, tuple(sig[band * rows : (band + 1) * rows])), []).append(i)
    checked: set[tuple[int, int]] = set()
    for members in buckets.values():
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1 :]:
                if (a, b) in checked:
                    continue
                checked.add((a, b))
                if find(a) != find(b) and jaccard(sets[a], sets[b]) >= threshold:
                    parent[max(find(a), find(b))] = min(find(a), find(b))
    return [find(i) for i in range(len(texts))]


def action_for(labels: Iterable[str]) -> str:
    """Threats, hate and sexual harassment are worth reporting to the platform; insults worth hiding."""
    labels = set(labels)
    if labels & {"threat", "hate", "sexual_harassment"}:
        return "report"
    if "offensive" in labels:
        return "hide"
    return ""


def moderate(texts: list[str], classify_posts) -> list[Comment]:  # type: ignore[no-untyped-def]
    """Score with ``classify_posts`` (the classifier's batch call), group, sort by harm (most harmful first)."""
    posts = classify_posts(texts)
    groups = group_near_duplicates(texts)
    sizes: dict[int, int] = {}
    for g in groups:
        sizes[g] = sizes.get(g, 0) + 1
    comments = [
        Comment(
            index=i + 1,
            text=text,
            harm=round(max(post.scores.values()), 4),
            labels=tuple(post.labels),
            scores=dict(post.scores),
            action=action_for(post.labels),
            group=groups[i] + 1,
            group_size=sizes[groups[i]],
        )
        for i, (text, post) in enumerate(zip(texts, posts, strict=True))
    ]
    # The most harmful first; near-duplicates of a comment come right after it.
    group_harm: dict[int, float] = {}
    for c in comments:
        group_harm[c.group] = max(group_harm.get(c.group, 0.0), c.harm)
    comments.sort(key=lambda c: (-group_harm[c.group], c.group, -c.harm, c.index))
    return comments


def export_csv(comments: list[Comment]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", "action", "harm", "labels", "group", "group_size", "text"])
    for c in comments:
        writer.writerow(
            [c.index, c.action, f"{c.harm:.2f}", " ".join(c.labels), c.group, c.group_size, csv_safe(c.text)]
        )
    return "\ufeff" + out.getvalue()  # a BOM so spreadsheet programs read the Arabic as UTF-8


def export_json(comments: list[Comment]) -> str:
    return json.dumps([c.to_dict() for c in comments], ensure_ascii=False, indent=1)
