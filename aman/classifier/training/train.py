"""`make train`: fit the linear heads with scikit-learn and export numpy arrays and JSON.

Run ``python -m aman.classifier train --data-dir ../shared/data/arabic-harm``. Deterministic for a
given data set (liblinear with a fixed random state), a few minutes on two cores.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from aman.classifier.features import HashingConfig, vectorize
from aman.classifier.lexicon import LEXICON_VERSION, feature_text
from aman.classifier.model import FORMAT_VERSION, HATE_TYPES, POST_LABELS
from aman.classifier.normalize import prepare
from aman.classifier.training.corpora import Row, read_corpora, read_examples, training_rows, validation_rows
from aman.classifier.training.paths import EXAMPLES_DIR
from aman.classifier.triage import CATEGORIES

HASHING = HashingConfig(bits=20, char_min=2, char_max=5, words=True, word_bigrams=True)
# Regularisation (inverse strength) per head, chosen on the validation split of OSACT2020 train.
C_POST = {"offensive": 32.0, "hate": 16.0, "threat": 16.0, "sexual_harassment": 16.0}
C_HATE_TYPE = 8.0
C_TRIAGE = 16.0
EXAMPLE_WEIGHT = 4.0  # the project's own examples are few; weigh them up in the post heads
# The offensive head is the average of two linear models over the same features, each
# Platt-scaled on the validation split first; an average of linear models is one linear model,
# so inference does not change (docs/classifier.md, "How the offensive head was chosen"):
# * NB-LR (Wang & Manning 2012): logistic regression on features scaled by their naive-Bayes
#   log-count ratio, every corpus weighted alike; the ratio is folded into the weights;
# * plain logistic regression with the tweet corpora annotated like OSACT2020 weighed up
#   (Litvak re-distributes OSACT2020 train; Mubarak 2017 is its predecessor): the corpora
#   disagree on what "offensive" means (OSACT2022, Ar-PuFi and Alhazmi label far more texts
#   offensive than OSACT2020 does).
TWEET_CORPORA = ("osact2020_train", "mubarak2017_tweets", "litvak_offensive")
TWEET_WEIGHT = 3.0
SEED = 20261121


def log(msg: str) -> None:
    print(f"[train {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _matrix(rows: list[Row]):
    import scipy.sparse as sp

    texts = [feature_text(prepare(r.text).text) for r in rows]
    batch = vectorize(texts, HASHING)
    return sp.csr_matrix((batch.data, batch.indices, batch.indptr), shape=(batch.n_rows, HASHING.n_features))


def _post_label(r: Row, label: str) -> int | None:
    """The label a row gives a post head, or None when the row says nothing about it."""
    if r.source == "aman_examples":
        if r.kind == "report":
            return None
        return r.labels.get(label, 0)
    if label in r.labels:
        return r.labels[label]
    # A text annotated as not offensive is neither a threat nor sexual harassment.
    if label in ("threat", "sexual_harassment") and r.labels.get("offensive") == 0:
        return 0
    return None


def _fit_binary(x, y, w, c, balanced=False):
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(
        C=c, solver="liblinear", max_iter=500, random_state=SEED, class_weight="balanced" if balanced else None
    )
    m.fit(x, y, sample_weight=w)
    return m.coef_.ravel().astype(np.float32), float(m.intercept_[0])


def _fit_multiclass(x, y, w, c, classes, balanced=False):
    """Multinomial logistic regression on the columns that occur (fast), scattered back."""
    from sklearn.linear_model import LogisticRegression

    used = np.unique(x.indices)
    m = LogisticRegression(
        C=c, max_iter=3000, tol=1e-5, random_state=SEED, class_weight="balanced" if balanced else None
    )
    m.fit(x[:, used], y, sample_weight=w)
    coef = np.zeros((x.shape[1], len(classes)), np.float32)
    bias = np.full(len(classes), -30.0)
    for j, cls in enumerate(m.classes_):
        k = classes.index(cls)
        if len(m.classes_) > 2:
            coef[used, k], bias[k] = m.coef_[j], m.intercept_[j]
        else:
            sign = 1.0 if j == 1 else -1.0
            coef[used, k], bias[k] = sign * m.coef_[0] / 2, sign * m.intercept_[0] / 2
    return coef, bias


def _nb_ratio(x, y: np.ndarray) -> np.ndarray:
    """Naive-Bayes log-count ratio per feature, with add-one smoothing."""
    p = np.asarray(x[y == 1].sum(axis=0)).ravel() + 1.0
    q = np.asarray(x[y == 0].sum(axis=0)).ravel() + 1.0
    return np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)


def _fit_nb_binary(x, y, w, c):
    """Logistic regression on NB-scaled features; returns weights over the raw features."""
    import scipy.sparse as sp

    r = _nb_ratio(x, y)
    coef, bias = _fit_binary(x @ sp.diags(r), y, w, c)
    return (coef * r).astype(np.float32), bias


def _example_weights(rows: list[Row]) -> np.ndarray:
    return np.array([EXAMPLE_WEIGHT if r.source == "aman_examples" else 1.0 for r in rows])


def _tweet_weights(rows: list[Row]) -> np.ndarray:
    return np.array([TWEET_WEIGHT if r.source in TWEET_CORPORA else 1.0 for r in rows])


def _offensive_members(x, y, w, tweet: np.ndarray) -> list[tuple[np.ndarray, float]]:
    """The two members of the offensive head (also fitted by ``crossval.py``, fold by fold)."""
    return [_fit_nb_binary(x, y, w, C_POST["offensive"]), _fit_binary(x, y, w * tweet, C_POST["offensive"])]


def _fit_offensive(x, y, w, rows: list[Row], x_val, y_val) -> tuple[np.ndarray, float]:
    """The offensive head: the average of NB-LR and tweet-weighted LR, each Platt-scaled first."""
    members = _offensive_members(x, y, w, _tweet_weights(rows))
    coef = np.zeros(x.shape[1], np.float64)
    bias = 0.0
    for m_coef, m_bias in members:
        a, b = _platt(x_val @ m_coef + m_bias, y_val)
        coef += a * m_coef.astype(np.float64) / len(members)
        bias += (a * m_bias + b) / len(members)
        log(f"offensive member: Platt slope {a:.3f}")
    return coef.astype(np.float32), bias


def _platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    if len(set(y.tolist())) < 2:
        return 1.0, 0.0
    m = LogisticRegression(C=1e4).fit(z.reshape(-1, 1), y)
    return float(m.coef_[0, 0]), float(m.intercept_[0])


def _best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    from sklearn.metrics import f1_score

    if y.sum() < 5:
        return 0.5
    best = (0.0, 0.5)
    for th in np.arange(0.05, 0.81, 0.01):
        best = max(best, (f1_score(y, p >= th, average="macro"), round(float(th), 2)))
    return best[1]


def _sparse_rows(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rows = np.flatnonzero(np.abs(w).max(axis=1) > 1e-4).astype(np.int32)
    return rows, w[rows].astype(np.float16)


def train(data_dir: Path, out_dir: Path, examples_dir: Path = EXAMPLES_DIR) -> dict:
    started = time.time()
    if not data_dir.is_dir():
        raise SystemExit(f"data directory not found: {data_dir} (pass --data-dir)")
    corpus_rows = read_corpora(data_dir)
    examples = read_examples(examples_dir)
    log(f"{len(corpus_rows)} corpus rows, {len(examples)} own examples")
    all_rows = corpus_rows + examples
    train_rows = training_rows(all_rows)
    val_rows = validation_rows(all_rows)
    log(f"train {len(train_rows)} rows, validation {len(val_rows)} rows")
    x_train = _matrix(train_rows)
    x_val = _matrix(val_rows)
    log("hashed")

    post_w = np.zeros((HASHING.n_features, len(POST_LABELS)), np.float32)
    post_b = np.zeros(len(POST_LABELS))
    calibration, thresholds, counts = {}, {}, {}
    for k, label in enumerate(POST_LABELS):
        idx = [i for i, r in enumerate(train_rows) if _post_label(r, label) is not None]
        y = np.array([_post_label(train_rows[i], label) for i in idx])
        w = _example_weights([train_rows[i] for i in idx])
        # Threat and sexual harassment have a few dozen positives among tens of thousands of
        # negatives: class-balanced weights keep them from being drowned (Platt scaling below
        # brings the probabilities back to the validation base rate).
        rare = label in ("threat", "sexual_harassment")
        vidx = [i for i, r in enumerate(val_rows) if _post_label(r, label) is not None]
        vy = np.array([_post_label(val_rows[i], label) for i in vidx])
        if label == "offensive":
            post_w[:, k], post_b[k] = _fit_offensive(x_train[idx], y, w, [train_rows[i] for i in idx], x_val[vidx], vy)
        else:
            post_w[:, k], post_b[k] = _fit_binary(x_train[idx], y, w, C_POST[label], balanced=rare)
        vz = x_val[vidx] @ post_w[:, k] + post_b[k]
        a, b = _platt(vz, vy)
        calibration[label] = {"a": a, "b": b}
        thresholds[label] = _best_threshold(1 / (1 + np.exp(-(a * vz + b))), vy)
        counts[label] = {"train": len(y), "train_positive": int(y.sum()), "validation": len(vy)}
        log(f"{label}: {len(y)} rows ({int(y.sum())} positive), threshold {thresholds[label]}")

    hidx = [i for i, r in enumerate(train_rows) if r.hate_type in HATE_TYPES]
    hy = [train_rows[i].hate_type or "" for i in hidx]
    ht_w, ht_b = _fit_multiclass(x_train[hidx], hy, None, C_HATE_TYPE, list(HATE_TYPES), balanced=True)
    counts["hate_type"] = dict(Counter(hy))
    log(f"hate type: {len(hy)} rows")

    # Triage: the own examples, plus a small, light sample of corpus rows so that everyday posts
    # and plain insults have a place (other, harassment_bullying, hate_speech).
    rng = random.Random(SEED)
    tri_rows = [r for r in train_rows if r.source == "aman_examples"]
    tri_y = [r.category for r in tri_rows]
    tri_w = [1.0] * len(tri_rows)
    pools = {
        "other": [r for r in train_rows if r.labels.get("offensive") == 0 and r.source != "aman_examples"],
        "hate_speech": [r for r in train_rows if r.labels.get("hate") == 1],
        "harassment_bullying": [r for r in train_rows if r.labels.get("offensive") == 1 and r.labels.get("hate") == 0],
    }
    for cat, pool in pools.items():
        sample = rng.sample(pool, min(len(pool), 200))
        tri_rows += sample
        tri_y += [cat] * len(sample)
        tri_w += [0.1] * len(sample)
    categories = [c for c in CATEGORIES if c in set(tri_y)]
    x_tri = _matrix(tri_rows)
    tr_w, tr_b = _fit_multiclass(x_tri, tri_y, np.array(tri_w), C_TRIAGE, categories, balanced=True)
    counts["triage"] = dict(Counter(r.category or "" for r in tri_rows if r.source == "aman_examples"))
    log(f"triage: {len(tri_rows)} rows, {len(categories)} categories")

    out_dir.mkdir(parents=True, exist_ok=True)
    ht_rows, ht_values = _sparse_rows(ht_w)
    tr_rows, tr_values = _sparse_rows(tr_w)
    np.savez_compressed(
        out_dir / "weights.npz",
        post_w=post_w.astype(np.float16),
        post_b=post_b,
        hate_type_rows=ht_rows,
        hate_type_values=ht_values,
        hate_type_b=ht_b,
        triage_rows=tr_rows,
        triage_values=tr_values,
        triage_b=tr_b,
    )
    meta = {
        "format_version": FORMAT_VERSION,
        "version": dt.date.today().isoformat(),
        "hashing": HASHING.to_json(),
        "lexicon": LEXICON_VERSION,
        "post_labels": list(POST_LABELS),
        "hate_types": list(HATE_TYPES),
        "categories": categories,
        "calibration": calibration,
        "thresholds": thresholds,
        "triage_temperature": 1.0,
        "training": {
            "data_dir_files": sorted(p.name for p in data_dir.glob("*.csv")),
            "rows_train": len(train_rows),
            "rows_validation": len(val_rows),
            "own_examples": len(examples),
            "counts": counts,
            "regularisation": {"post": C_POST, "hate_type": C_HATE_TYPE, "triage": C_TRIAGE},
            "offensive_head": {
                "members": ["NB-LR", "LR with tweet corpora weighed up"],
                "tweet_corpora": list(TWEET_CORPORA),
                "tweet_weight": TWEET_WEIGHT,
            },
            "seconds": round(time.time() - started, 1),
        },
    }
    (out_dir / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    log(f"wrote {out_dir} in {time.time() - started:.0f} s")
    return meta
