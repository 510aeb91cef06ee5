"""`make cv-classifier`: the offensive head judged by cross-validation over OSACT2020's training rows.

The 683 OSACT2020 rows of the validation split are too few to tell ideas apart (about ±1.5
points). This folds the 6,255 OSACT2020 train and validation rows five ways, always keeping every
other corpus's training rows in training, and scores each member of the offensive head and their
average out of fold. OSACT2020 dev and every test split are not read. A run fits ten models:
about ten minutes on two cores. See docs/classifier.md, "A steadier yardstick".
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from aman.classifier.training import train as T
from aman.classifier.training.corpora import read_corpora, read_examples, training_rows, validation_rows
from aman.classifier.training.evaluate import macro_f1
from aman.classifier.training.paths import EXAMPLES_DIR

TARGET = "osact2020_train"


def best_macro_f1(y: np.ndarray, z: np.ndarray) -> float:
    """Macro-F1 at the best of 91 thresholds between the scores' median and 95th percentile."""
    return max(macro_f1(y, (z >= t).astype(int)) for t in np.quantile(z, np.linspace(0.5, 0.95, 91)))


def out_of_fold(x, y, w, tweet, target: np.ndarray, others: np.ndarray, folds: int = 5, seed: int = 1) -> dict:
    """Out-of-fold scores of the two members and their Platt-scaled average on the target rows."""
    from sklearn.model_selection import StratifiedKFold

    z = {"nb": np.zeros(len(target)), "lr": np.zeros(len(target))}
    split = StratifiedKFold(folds, shuffle=True, random_state=seed).split(target, y[target])
    for k, (fit_part, score_part) in enumerate(split):
        fit = np.concatenate([others, target[fit_part]])
        nb, lr = T._offensive_members(x[fit], y[fit], w[fit], tweet[fit])
        rows = x[target[score_part]]
        z["nb"][score_part] = rows @ nb[0] + nb[1]
        z["lr"][score_part] = rows @ lr[0] + lr[1]
        print(f"[cv {time.strftime('%H:%M:%S')}] fold {k + 1}/{folds}", file=sys.stderr, flush=True)
    yt = y[target]
    pair = np.zeros(len(target))
    for member in ("nb", "lr"):
        a, b = T._platt(z[member], yt)
        pair += (a * z[member] + b) / 2
    z["pair"] = pair
    return {name: round(best_macro_f1(yt, scores), 2) for name, scores in z.items()}


def crossval(data_dir: Path, folds: int = 5) -> dict:
    import scipy.sparse as sp

    rows = read_corpora(data_dir) + read_examples(EXAMPLES_DIR)
    fit_rows = [r for r in training_rows(rows) if T._post_label(r, "offensive") is not None]
    val_rows = [r for r in validation_rows(rows) if T._post_label(r, "offensive") is not None]
    every = fit_rows + val_rows
    x = sp.vstack([T._matrix(fit_rows), T._matrix(val_rows)]).tocsr()
    y = np.array([T._post_label(r, "offensive") for r in every])
    w, tweet = T._example_weights(every), T._tweet_weights(every)
    target = np.array([i for i, r in enumerate(every) if r.source == TARGET])
    # Validation rows of the other corpora stay out, as in `make train` (they calibrate).
    others = np.array([i for i, r in enumerate(fit_rows) if r.source != TARGET])
    result = out_of_fold(x, y, w, tweet, target, others, folds=folds)
    print(f"OSACT2020 {folds}-fold cross-validation, {len(target)} rows, macro-F1 at the best threshold:")
    labels = {"nb": "NB-LR member", "lr": "LR member, tweet corpora weighed up", "pair": "shipped pair"}
    for name, label in labels.items():
        print(f"  {label:40s} {result[name]:6.2f}")
    return result
