"""The shipped classifier: loading the numpy/JSON model and scoring texts. No Django import.

Inference is pure numpy: texts are normalised, hashed (``features.vectorize``) and scored with
linear heads; probabilities are Platt-calibrated on a held-out validation split.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from aman.classifier import triage
from aman.classifier.features import Csr, HashingConfig, linear_scores, vectorize
from aman.classifier.lexicon import LEXICON_VERSION, feature_text
from aman.classifier.normalize import prepare

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "model"
POST_LABELS = ("offensive", "hate", "threat", "sexual_harassment")
HATE_TYPES = ("race", "religion", "gender", "disability", "class", "ideology")
FORMAT_VERSION = 1


class ModelError(Exception):
    """The model files are missing, of another format version, or inconsistent."""


@dataclass(frozen=True)
class PostResult:
    """Scores for a post or a message ("think before you post", moderation)."""

    scores: dict[str, float]  # calibrated probability per label in POST_LABELS
    labels: list[str]  # labels whose score is over its threshold
    harmful: bool  # any label over its threshold
    hate_type: str | None  # most likely target type when "hate" is among the labels
    language: str  # ar, ckb, arabizi, fr or en (detected unless given)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class TriageResult:
    """A triage suggestion for a victim's report; a person confirms or changes it."""

    category: str  # a DOMAIN.md harm category code
    category_scores: dict[str, float]  # probability per category (sums to 1)
    urgency: str  # critical, high, medium or low
    flags: list[str]  # subset of self_harm, minor_involved, imminent_danger
    reason: str  # short English explanation for the agent (not shown to reporters)
    reason_codes: list[str] = field(default_factory=list)  # stable codes to translate the reason
    language: str = "ar"
    post: PostResult | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
        return d


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


def _select_rows(batch: Csr, rows: np.ndarray) -> Csr:
    starts, ends = batch.indptr[rows], batch.indptr[rows + 1]
    take = np.concatenate([np.arange(a, b) for a, b in zip(starts, ends, strict=True)])
    indptr = np.zeros(len(rows) + 1, np.int64)
    np.cumsum(ends - starts, out=indptr[1:])
    return Csr(indptr=indptr, indices=batch.indices[take], data=batch.data[take], n_rows=len(rows))


def _dense(n_features: int, rows: np.ndarray, values: np.ndarray) -> np.ndarray:
    w = np.zeros((n_features, values.shape[1]), np.float32)
    w[rows] = values.astype(np.float32)
    return w


class Classifier:
    """Scores posts and triages reports. Thread-safe after loading (read-only arrays)."""

    def __init__(self, meta: dict, arrays: dict[str, np.ndarray]) -> None:
        if meta.get("format_version") != FORMAT_VERSION:
            raise ModelError(f"model format {meta.get('format_version')!r}, expected {FORMAT_VERSION}")
        if "lexicon" in meta and meta["lexicon"] != LEXICON_VERSION:
            raise ModelError("model trained with another cue lexicon: run `make train`")
        self.meta = meta
        self.config = HashingConfig.from_json(meta["hashing"])
        n = self.config.n_features
        self.post_labels: tuple[str, ...] = tuple(meta["post_labels"])
        self.categories: tuple[str, ...] = tuple(meta["categories"])
        self.hate_types: tuple[str, ...] = tuple(meta["hate_types"])
        if set(self.categories) - set(triage.CATEGORIES):
            raise ModelError("unknown categories in model")
        self.post_w = arrays["post_w"].astype(np.float32)
        self.post_b = arrays["post_b"].astype(np.float64)
        if self.post_w.shape != (n, len(self.post_labels)):
            raise ModelError(f"post weights have shape {self.post_w.shape}")
        self.hate_type_w = _dense(n, arrays["hate_type_rows"], arrays["hate_type_values"])
        self.hate_type_b = arrays["hate_type_b"].astype(np.float64)
        self.triage_w = _dense(n, arrays["triage_rows"], arrays["triage_values"])
        self.triage_b = arrays["triage_b"].astype(np.float64)
        cal = meta["calibration"]
        self.cal_a = np.array([cal[label]["a"] for label in self.post_labels])
        self.cal_b = np.array([cal[label]["b"] for label in self.post_labels])
        self.thresholds = np.array([meta["thresholds"][label] for label in self.post_labels])
        self.triage_temperature = float(meta.get("triage_temperature", 1.0))
        self.version = meta.get("version", "unknown")

    # -- loading ------------------------------------------------------------------------------

    @classmethod
    def load(cls, model_dir: str | Path = DEFAULT_MODEL_DIR) -> Classifier:
        model_dir = Path(model_dir)
        try:
            meta = json.loads((model_dir / "model.json").read_text(encoding="utf-8"))
            with np.load(model_dir / "weights.npz", allow_pickle=False) as npz:
                arrays = {k: npz[k] for k in npz.files}
        except FileNotFoundError as exc:
            raise ModelError(f"no model in {model_dir}: run `make train`") from exc
        return cls(meta, arrays)

    # -- scoring ------------------------------------------------------------------------------

    def _vectorize(self, texts: list[str], languages: list[str | None]) -> tuple[Csr, list[str], list[str]]:
        prepared = [prepare(t, lang) for t, lang in zip(texts, languages, strict=True)]
        folded = [p.text for p in prepared]
        return vectorize([feature_text(f) for f in folded], self.config), [p.language for p in prepared], folded

    def _post_results(self, batch: Csr, languages: list[str]) -> list[PostResult]:
        logits = linear_scores(batch, self.post_w, self.post_b)
        probs = _sigmoid(logits * self.cal_a + self.cal_b)
        over = probs >= self.thresholds
        hate_idx = self.post_labels.index("hate")
        hate_rows = np.flatnonzero(over[:, hate_idx])
        types: dict[int, str] = {}
        if len(hate_rows):
            # The target-type head is read only for texts over the hate threshold (few).
            sub = _select_rows(batch, hate_rows)
            best = linear_scores(sub, self.hate_type_w, self.hate_type_b).argmax(axis=1)
            types = {int(r): self.hate_types[int(b)] for r, b in zip(hate_rows, best, strict=True)}
        out = []
        for i in range(len(probs)):
            labels = [label for j, label in enumerate(self.post_labels) if over[i, j]]
            out.append(
                PostResult(
                    scores={label: round(float(probs[i, j]), 4) for j, label in enumerate(self.post_labels)},
                    labels=labels,
                    harmful=bool(labels),
                    hate_type=types.get(i),
                    language=languages[i],
                )
            )
        return out

    def classify_posts(self, texts: list[str], languages: list[str | None] | None = None) -> list[PostResult]:
        """Score many posts at once (the fast path for batch work)."""
        languages = languages or [None] * len(texts)
        batch, langs, _ = self._vectorize(texts, languages)
        return self._post_results(batch, langs)

    def classify_post(self, text: str, language: str | None = None) -> PostResult:
        """Score one post or message: calibrated offensive, hate, threat, sexual_harassment."""
        return self.classify_posts([text], [language])[0]

    def triage_reports(self, texts: list[str], languages: list[str | None] | None = None) -> list[TriageResult]:
        languages = languages or [None] * len(texts)
        batch, langs, folded = self._vectorize(texts, languages)
        posts = self._post_results(batch, langs)
        cat_probs = _softmax(linear_scores(batch, self.triage_w, self.triage_b) / self.triage_temperature)
        results = []
        for i, post in enumerate(posts):
            probs = {c: float(cat_probs[i, j]) for j, c in enumerate(self.categories)}
            best = max(probs, key=probs.__getitem__)
            flags = triage.risk_flags(folded[i], best, probs, post.scores["threat"])
            # A report that speaks of suicide is handled as self-harm first.
            if (
                "self_harm" in flags
                and best not in ("self_harm", "child_sexual_exploitation")
                and (best == "other" or probs.get("self_harm", 0.0) >= 0.15)
            ):
                best = "self_harm"
            urgency = triage.urgency_for(best, flags)
            uncertain = probs[best] < 0.4
            codes, reason = triage.reason_for(best, probs[best], flags, uncertain)
            results.append(
                TriageResult(
                    category=best,
                    category_scores={c: round(p, 4) for c, p in probs.items()},
                    urgency=urgency,
                    flags=flags,
                    reason=reason,
                    reason_codes=codes,
                    language=post.language,
                    post=post,
                )
            )
        return results

    def triage_report(self, text: str, language: str | None = None) -> TriageResult:
        """Suggest category, urgency and risk flags for a victim's report."""
        return self.triage_reports([text], [language])[0]

    def classify(self, text: str, language: str | None = None) -> dict:
        """The CLI's output record for one text: post scores and triage together."""
        t = self.triage_report(text, language)
        assert t.post is not None
        return {
            "scores": t.post.scores,
            "labels": t.post.labels,
            "harmful": t.post.harmful,
            "hate_type": t.post.hate_type,
            "category": t.category,
            "urgency": t.urgency,
            "flags": t.flags,
            "language": t.language,
        }


_default: Classifier | None = None


def load_default() -> Classifier:
    """The shipped model, loaded once per process."""
    global _default
    if _default is None:
        _default = Classifier.load(DEFAULT_MODEL_DIR)
    return _default
