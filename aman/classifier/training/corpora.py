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
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from aman.classifier.normalize import fold
from aman.classifier.triage import CATEGORIES, URGENCIES

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


EXAMPLE_LANGUAGES = {"arabizi": "arabizi", "french": "fr", "kurdish": "ckb", "english": "en"}
_FLAG_CODES = {"sh": "self_harm", "minor": "minor_involved", "danger": "imminent_danger"}
_LABEL_CODES = {"off": "offensive", "hate": "hate", "thr": "threat", "sex": "sexual_harassment"}
KINDS = ("report", "post", "neg")


def read_examples(examples_dir: Path) -> list[Row]:
    """The project's own hand-written examples: ``data/classifier/<variety>.txt``.

    Columns (separated by ``|``, the text last; ``-`` for none; ``#`` starts a comment line):
    kind (report, post, neg), category, urgency, flags (sh, minor, danger), labels (off, hate or
    hate:<type>, thr, sex), text. See data/classifier/README.md.
    """
    rows: list[Row] = []
    for path in sorted(examples_dir.glob("*.txt")):
        variety = path.stem
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("|", 5)
            if len(parts) != 6:
                raise ValueError(f"{path.name}:{n}: expected 6 columns separated by |, got {len(parts)}")
            kind, category, urgency, flags, labels, text = (p.strip() for p in parts)
            if kind not in KINDS:
                raise ValueError(f"{path.name}:{n}: unknown kind {kind!r}")
            if category not in CATEGORIES:
                raise ValueError(f"{path.name}:{n}: unknown category {category!r}")
            if urgency not in ("-", *URGENCIES):
                raise ValueError(f"{path.name}:{n}: unknown urgency {urgency!r}")
            post_labels = dict.fromkeys(POST_LABELS, 0)
            hate_type = None
            for code in labels.split(",") if labels != "-" else []:
                name, _, sub = code.partition(":")
                if name not in _LABEL_CODES:
                    raise ValueError(f"{path.name}:{n}: unknown label {code!r}")
                post_labels[_LABEL_CODES[name]] = 1
                if sub:
                    hate_type = _HATE_TYPE_MAP[sub]
            flag_names = []
            for code in flags.split(",") if flags != "-" else []:
                if code not in _FLAG_CODES:
                    raise ValueError(f"{path.name}:{n}: unknown flag {code!r}")
                flag_names.append(_FLAG_CODES[code])
            rows.append(
                Row(
                    id=f"{variety}:{n}",
                    text=text,
                    source="aman_examples",
                    split=split_of(text_key(text)),
                    dialect=variety,
                    labels=post_labels,
                    hate_type=hate_type,
                    category=category,
                    urgency=None if urgency == "-" else urgency,
                    flags=tuple(flag_names),
                    language=EXAMPLE_LANGUAGES.get(variety, "ar"),
                    kind=kind,
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
