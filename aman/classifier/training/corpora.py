"""Reading the shared corpora and the project's own examples, with documented splits.

Splits (see docs/classifier.md):

* ``osact2020_dev`` and ``osact2022_dev`` are evaluation only.
* Every other corpus row is assigned by the hash of its *normalised* text:
  ``crc32(key) % 10 == 0`` is **test**, ``== 1`` is **validation** (calibration and thresholds),
  the rest **train**. Hashing the text rather than the row id sends a text that appears in two
  corpora (Litvak re-distributes OSACT2020 train and L-HSAB) to the same split in both.
* Texts whose key appears in any test or dev row are removed from train and validation.
* Training rows are de-duplicated by key; the first corpus in ``CORPUS_ORDER`` wins.
* The project's own examples in ``data/classifier`` use the same rule on their ``id``.
"""

from __future__ import annotations

import csv
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from aman.classifier.normalize import fold

CORPUS_ORDER = (
    "osact2020_train",
    "osact2020_dev",
    "osact2022_train",
    "osact2022_dev",
    "lhsab_levantine",
    "thsab_tunisian",
    "mpold_multiplatform",
    "mlma_ar",
    "alakrot_youtube",
    "mubarak2017_tweets",
    "arpufi_egyptian",
    "darija_moroccan_train",
    "aref_religious_hate",
    "letmi_misogyny",
    "alhazmi_saudi",
    "litvak_offensive",
)
EVAL_ONLY = ("osact2020_dev", "osact2022_dev")
HATE_TYPES = ("race", "religion", "gender", "disability", "class", "ideology")
_HATE_TYPE_MAP = {"origin": "race", "race": "race", "religion": "religion", "gender": "gender"}
_HATE_TYPE_MAP.update({"disability": "disability", "class": "class", "ideology": "ideology"})
POST_LABELS = ("offensive", "hate", "threat", "sexual_harassment")
_KEY_STRIP = re.compile(r"\b(?:user|url)\b|[^\w]", re.UNICODE)


@dataclass
class Row:
    id: str
    text: str
    source: str
    split: str
    dialect: str
    labels: dict[str, int] = field(default_factory=dict)  # post labels present for this row
    hate_type: str | None = None
    category: str | None = None  # helpline category (own examples only)
    urgency: str | None = None
    flags: tuple[str, ...] = ()
    language: str | None = None
    kind: str = "post"  # post | report


def text_key(text: str) -> str:
    return _KEY_STRIP.sub("", fold(text))


def split_of(key: str) -> str:
    bucket = zlib.crc32(key.encode("utf-8")) % 10
    return "test" if bucket == 0 else "validation" if bucket == 1 else "train"


def _int(value: str) -> int | None:
    value = value.strip()
    if value == "":
        return None
    return 1 if float(value) >= 0.5 else 0


def read_corpus(path: Path) -> Iterator[Row]:
    source = path.stem
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            text = r["text"] or ""
            if not text.strip():
                continue
            labels = {}
            for name in ("offensive", "hate"):
                v = _int(r.get(name, ""))
                if v is not None:
                    labels[name] = v
            v = _int(r.get("violence", ""))
            if v is not None:
                labels["threat"] = v
            ht = _HATE_TYPE_MAP.get((r.get("hate_type") or "").strip())
            key = text_key(text)
            split = "dev" if source in EVAL_ONLY else split_of(key)
            yield Row(
                id=r["id"],
                text=text,
                source=source,
                split=split,
                dialect=(r.get("dialect") or "unknown").strip() or "unknown",
                labels=labels,
                hate_type=ht if labels.get("hate") == 1 else None,
            )


def read_corpora(data_dir: Path) -> list[Row]:
    rows: list[Row] = []
    for name in CORPUS_ORDER:
        path = data_dir / f"{name}.csv"
        if path.exists():
            rows.extend(read_corpus(path))
    return rows


def read_examples(examples_dir: Path) -> list[Row]:
    """The project's own hand-written examples (JSON lines, documented in their README)."""
    rows: list[Row] = []
    for path in sorted(examples_dir.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path.name}:{n}: {exc}") from exc
            labels = {k: int(d.get(k, 0)) for k in POST_LABELS}
            rows.append(
                Row(
                    id=d["id"],
                    text=d["text"],
                    source="aman_examples",
                    split=split_of(d["id"]),
                    dialect=d["dialect"],
                    labels=labels,
                    hate_type=d.get("hate_type"),
                    category=d["category"],
                    urgency=d.get("urgency"),
                    flags=tuple(d.get("flags", ())),
                    language=d.get("lang"),
                    kind=d.get("kind", "report"),
                )
            )
    return rows


def training_rows(rows: list[Row]) -> list[Row]:
    """Train rows with held-out texts removed and duplicates merged (first corpus wins)."""
    held_out = {text_key(r.text) for r in rows if r.split in ("test", "dev")}
    seen: dict[str, Row] = {}
    out: list[Row] = []
    for r in rows:
        if r.split != "train":
            continue
        key = text_key(r.text)
        if key in held_out:
            continue
        if key in seen:
            first = seen[key]
            for name, v in r.labels.items():
                first.labels.setdefault(name, v)
            continue
        seen[key] = r
        out.append(r)
    return out


def validation_rows(rows: list[Row]) -> list[Row]:
    held_out = {text_key(r.text) for r in rows if r.split in ("test", "dev")}
    seen: set[tuple[str, str]] = set()
    out = []
    for r in rows:
        if r.split != "validation":
            continue
        key = text_key(r.text)
        if key in held_out or (r.source, key) in seen:
            continue
        seen.add((r.source, key))
        out.append(r)
    return out
