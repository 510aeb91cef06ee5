"""`make eval`: macro-F1 per corpus and per dialect on the held-out splits, triage on own examples.

Every figure comes from the *shipped* numpy model (loaded through ``Classifier``), so it
measures exactly what the product runs. Writes ``model/metrics.json`` and regenerates the
figures section of ``MODEL_CARD.md``.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from aman.classifier.model import Classifier
from aman.classifier.training.corpora import Row, read_corpora, read_examples
from aman.classifier.training.paths import EXAMPLES_DIR

CARD = Path(__file__).resolve().parents[1] / "MODEL_CARD.md"
CARD_BEGIN = "<!-- metrics:begin (written by `make eval`) -->"
CARD_END = "<!-- metrics:end -->"


def macro_f1(y: np.ndarray, p: np.ndarray) -> float:
    scores = []
    for cls in (0, 1):
        tp = int(((p == cls) & (y == cls)).sum())
        fp = int(((p == cls) & (y != cls)).sum())
        fn = int(((p != cls) & (y == cls)).sum())
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return 100.0 * float(np.mean(scores))


def multiclass_macro_f1(y: list[str], p: list[str]) -> float:
    classes = sorted(set(y))
    scores = []
    for c in classes:
        tp = sum(1 for a, b in zip(y, p, strict=True) if a == c and b == c)
        fp = sum(1 for a, b in zip(y, p, strict=True) if a != c and b == c)
        fn = sum(1 for a, b in zip(y, p, strict=True) if a == c and b != c)
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return 100.0 * float(np.mean(scores)) if scores else 0.0


def _binary_table(clf: Classifier, rows: list[Row], label: str, key) -> dict[str, dict]:
    groups: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        if label in r.labels:
            groups[key(r)].append(r)
    j = clf.post_labels.index(label)
    out = {}
    for name, group in sorted(groups.items()):
        results = clf.classify_posts([r.text for r in group])
        y = np.array([r.labels[label] for r in group])
        p = np.array([1 if res.scores[label] >= clf.thresholds[j] else 0 for res in results])
        out[name] = {"macro_f1": round(macro_f1(y, p), 2), "n": len(group), "positive": int(y.sum())}
    return out


def _hate_type(clf: Classifier, rows: list[Row]) -> dict:
    """Target-type accuracy on held-out hateful texts that carry a type (read where hate is predicted)."""
    typed = [r for r in rows if r.hate_type]
    results = clf.classify_posts([r.text for r in typed])
    found = [(r.hate_type or "", res.hate_type) for r, res in zip(typed, results, strict=True) if res.hate_type]
    by_type: dict[str, list[bool]] = defaultdict(list)
    for gold, pred in found:
        by_type[gold].append(gold == pred)
    return {
        "n": len(typed),
        "predicted_hate": len(found),
        "accuracy_when_hate_predicted": round(100.0 * float(np.mean([g == p for g, p in found])), 1) if found else None,
        "per_type": {
            k: {"n": len(v), "accuracy": round(100.0 * float(np.mean(v)), 1)} for k, v in sorted(by_type.items())
        },
    }


def _own_examples(clf: Classifier, rows: list[Row]) -> dict:
    test = [r for r in rows if r.split == "test"]
    results = clf.triage_reports([r.text for r in test])
    from aman.classifier.triage import urgency_for

    y_cat = [r.category or "other" for r in test]
    p_cat = [t.category for t in results]
    y_urg = [r.urgency or urgency_for(r.category or "other", list(r.flags)) for r in test]
    flags = {}
    for flag in ("self_harm", "minor_involved", "imminent_danger"):
        tp = sum(1 for r, t in zip(test, results, strict=True) if flag in r.flags and flag in t.flags)
        fp = sum(1 for r, t in zip(test, results, strict=True) if flag not in r.flags and flag in t.flags)
        fn = sum(1 for r, t in zip(test, results, strict=True) if flag in r.flags and flag not in t.flags)
        flags[flag] = {"tp": tp, "fp": fp, "fn": fn}
    harmful_y = np.array([1 if any(r.labels.values()) else 0 for r in test if r.kind != "report"])
    harmful_p = np.array(
        [1 if t.post and t.post.harmful else 0 for r, t in zip(test, results, strict=True) if r.kind != "report"]
    )
    post_labels = {}
    for label in ("offensive", "threat", "sexual_harassment"):
        pairs = [(r.labels.get(label, 0), label in t.post.labels) for r, t in zip(test, results, strict=True) if t.post]
        pairs = [p for p, r in zip(pairs, test, strict=True) if r.kind != "report"]
        post_labels[label] = {
            "tp": sum(1 for g, p in pairs if g and p),
            "fp": sum(1 for g, p in pairs if not g and p),
            "fn": sum(1 for g, p in pairs if g and not p),
        }
    return {
        "n_test": len(test),
        "post_labels": post_labels,
        "category_accuracy": round(100.0 * np.mean([a == b for a, b in zip(y_cat, p_cat, strict=True)]), 1),
        "category_macro_f1": round(multiclass_macro_f1(y_cat, p_cat), 1),
        "urgency_accuracy": round(100.0 * np.mean([a == t.urgency for a, t in zip(y_urg, results, strict=True)]), 1),
        "flags": flags,
        "posts_harmful_macro_f1": round(macro_f1(harmful_y, harmful_p), 1) if len(harmful_y) else None,
        "posts_n": len(harmful_y),
    }


def _own_examples_cv(rows: list[Row], folds: int = 5) -> dict | None:
    """Cross-validated triage category accuracy over all own examples (needs scikit-learn)."""
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        return None
    import scipy.sparse as sp

    from aman.classifier.features import vectorize
    from aman.classifier.lexicon import feature_text
    from aman.classifier.normalize import prepare
    from aman.classifier.training.train import C_TRIAGE, HASHING

    texts = [feature_text(prepare(r.text).text) for r in rows]
    b = vectorize(texts, HASHING)
    x = sp.csr_matrix((b.data, b.indices, b.indptr), shape=(b.n_rows, HASHING.n_features))
    y = np.array([r.category for r in rows])
    fold = np.arange(len(rows)) % folds
    pred = np.empty(len(rows), dtype=object)
    for k in range(folds):
        used = np.unique(x[fold != k].indices)
        m = LogisticRegression(C=C_TRIAGE, max_iter=3000, class_weight="balanced")
        m.fit(x[fold != k][:, used], y[fold != k])
        pred[fold == k] = m.predict(x[fold == k][:, used])
    by_variety: dict[str, list[bool]] = defaultdict(list)
    for r, p in zip(rows, pred, strict=True):
        by_variety[r.dialect].append(p == r.category)
    return {
        "folds": folds,
        "n": len(rows),
        "category_accuracy": round(100.0 * float(np.mean(pred == y)), 1),
        "category_macro_f1": round(multiclass_macro_f1(list(y), list(pred)), 1),
        "accuracy_by_variety": {k: round(100.0 * float(np.mean(v)), 1) for k, v in sorted(by_variety.items())},
    }


def _size_and_load(model_dir: Path) -> dict:
    size = sum(p.stat().st_size for p in model_dir.iterdir() if p.is_file())
    started = time.perf_counter()
    Classifier.load(model_dir)
    return {"size_mb": round(size / 1e6, 2), "load_seconds": round(time.perf_counter() - started, 3)}


def _print_table(title: str, table: dict[str, dict]) -> None:
    print(f"\n{title}")
    print(f"  {'':28} {'macro-F1':>9} {'n':>7} {'pos':>6}")
    for name, v in table.items():
        print(f"  {name:28} {v['macro_f1']:9.2f} {v['n']:7d} {v['positive']:6d}")


def _md_table(table: dict[str, dict]) -> str:
    lines = ["| split | macro-F1 | n | positive |", "|---|---:|---:|---:|"]
    lines += [f"| {k} | {v['macro_f1']:.2f} | {v['n']} | {v['positive']} |" for k, v in table.items()]
    return "\n".join(lines)


def evaluate(data_dir: Path, model_dir: Path, write_card: bool = True) -> dict:
    clf = Classifier.load(model_dir)
    metrics: dict = {
        "model_version": clf.version,
        "thresholds": dict(zip(clf.post_labels, clf.thresholds.tolist(), strict=True)),
    }
    if data_dir.is_dir():
        rows = [r for r in read_corpora(data_dir) if r.split in ("test", "dev")]

        def corpus_key(r: Row) -> str:
            return f"{r.source} ({r.split})"

        metrics["offensive_by_corpus"] = _binary_table(clf, rows, "offensive", corpus_key)
        metrics["hate_by_corpus"] = _binary_table(clf, rows, "hate", corpus_key)
        metrics["threat_by_corpus"] = _binary_table(
            clf, [r for r in rows if "threat" in r.labels], "threat", corpus_key
        )
        metrics["hate_type_held_out"] = _hate_type(clf, rows)
        test_rows = [r for r in rows if r.split == "test" or r.source == "osact2020_dev"]
        by_dialect = _binary_table(clf, test_rows, "offensive", lambda r: r.dialect)
        mean = float(np.mean([v["macro_f1"] for v in by_dialect.values()]))
        metrics["offensive_by_dialect"] = by_dialect
        metrics["offensive_dialect_mean"] = round(mean, 2)
        metrics["offensive_dialect_max_gap"] = round(mean - min(v["macro_f1"] for v in by_dialect.values()), 2)
        _print_table(
            "offensive macro-F1 per corpus (test = held-out 10%, dev = official dev set)",
            metrics["offensive_by_corpus"],
        )
        _print_table("hate macro-F1 per corpus", metrics["hate_by_corpus"])
        _print_table("threat (violence) macro-F1 per corpus", metrics["threat_by_corpus"])
        _print_table("offensive macro-F1 per dialect (all test splits + OSACT2020 dev)", by_dialect)
        print(f"  mean over dialects {mean:.2f}; largest gap below the mean {metrics['offensive_dialect_max_gap']:.2f}")
        print("\nhate target type (held-out rows with a type):", json.dumps(metrics["hate_type_held_out"]))
        osact = metrics["offensive_by_corpus"].get("osact2020_dev (dev)")
        if osact:
            print(f"\nOSACT2020 dev offensive macro-F1: {osact['macro_f1']:.2f} (target 90.5)")
    else:
        print(f"corpora not found in {data_dir}: corpus figures skipped")
    examples = read_examples(EXAMPLES_DIR)
    metrics["own_examples_test"] = _own_examples(clf, examples)
    cv = _own_examples_cv(examples)
    if cv:
        metrics["own_examples_triage_cv"] = cv
    metrics["model"] = _size_and_load(model_dir)
    print("\nown examples, test split:", json.dumps(metrics["own_examples_test"], ensure_ascii=False))
    if cv:
        print("own examples, triage category 5-fold CV:", json.dumps(cv, ensure_ascii=False))
    print("model:", json.dumps(metrics["model"]))
    if write_card:
        (model_dir / "metrics.json").write_text(
            json.dumps(metrics, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        _write_card(metrics)
    return metrics


def _write_card(m: dict) -> None:
    if not CARD.exists():
        return
    parts = [f"Model version {m['model_version']}; thresholds {json.dumps(m['thresholds'])}.", ""]
    if "offensive_by_corpus" in m:
        parts += ["**Offensive, per corpus** (test = documented held-out 10 %; dev = official dev set)", ""]
        parts += [
            _md_table(m["offensive_by_corpus"]),
            "",
            "**Hate, per corpus**",
            "",
            _md_table(m["hate_by_corpus"]),
            "",
        ]
        parts += ["**Threat (violence label, OSACT2022 only)**", "", _md_table(m["threat_by_corpus"]), ""]
        parts += [
            "**Offensive, per dialect** (all test splits plus OSACT2020 dev)",
            "",
            _md_table(m["offensive_by_dialect"]),
            "",
        ]
        parts += [
            f"Mean over dialects {m['offensive_dialect_mean']:.2f}; the weakest dialect is "
            f"{m['offensive_dialect_max_gap']:.2f} points below the mean.",
            "",
        ]
        ht = m["hate_type_held_out"]
        parts += [
            f"**Hate target type** on {ht['n']} held-out hateful rows with a type: predicted hateful "
            f"{ht['predicted_hate']}, of which the type is right {ht['accuracy_when_hate_predicted']} %; "
            f"per type {json.dumps(ht['per_type'])}.",
            "",
        ]
    own = m["own_examples_test"]
    parts += [
        f"**Own examples, test split** ({own['n_test']} texts): category accuracy {own['category_accuracy']} %, "
        f"category macro-F1 {own['category_macro_f1']}, urgency accuracy {own['urgency_accuracy']} %, "
        f"harmful-post macro-F1 {own['posts_harmful_macro_f1']} on {own['posts_n']} posts; "
        f"flags (tp/fp/fn) {json.dumps(own['flags'])}; post labels on the test posts (tp/fp/fn) "
        f"{json.dumps(own['post_labels'])}.",
        "",
    ]
    if "own_examples_triage_cv" in m:
        cv = m["own_examples_triage_cv"]
        parts += [
            f"**Own examples, triage category, {cv['folds']}-fold cross-validation** over {cv['n']} texts "
            f"(category head only, trained without corpus rows): accuracy {cv['category_accuracy']} %, "
            f"macro-F1 {cv['category_macro_f1']}; accuracy per variety {json.dumps(cv['accuracy_by_variety'])}.",
            "",
        ]
    parts += [f"Model files {m['model']['size_mb']} MB, loaded in {m['model']['load_seconds']} s on the eval machine."]
    text = CARD.read_text(encoding="utf-8")
    if CARD_BEGIN in text and CARD_END in text:
        head, rest = text.split(CARD_BEGIN, 1)
        _, tail = rest.split(CARD_END, 1)
        CARD.write_text(head + CARD_BEGIN + "\n" + "\n".join(parts) + "\n" + CARD_END + tail, encoding="utf-8")
