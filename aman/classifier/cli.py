"""Command line: ``python -m aman.classifier classify|train|eval``.

``classify [FILE]`` reads JSON lines ``{"id": ..., "text": ..., "language": optional}`` from FILE
or standard input and writes one JSON line per input line. A bad line gets
``{"id": ..., "error": "<reason>"}`` and the run goes on. A progress bar is drawn on standard
error for long inputs when standard error is a terminal (or with ``--progress``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

BATCH = 512
MAX_TEXT_CHARS = 20_000


class Progress:
    """A small progress bar on standard error (no dependency)."""

    def __init__(self, total: int | None, enabled: bool, stream: IO[str] = sys.stderr) -> None:
        self.total, self.enabled, self.stream = total, enabled, stream
        self.done, self.started, self.last = 0, time.monotonic(), 0.0

    def update(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if not self.enabled or now - self.last < 0.2:
            return
        self.last = now
        rate = self.done / max(now - self.started, 1e-9)
        if self.total:
            frac = min(self.done / self.total, 1.0)
            bar = "#" * int(frac * 30)
            self.stream.write(f"\r[{bar:<30}] {self.done}/{self.total} {rate:,.0f} texts/s")
        else:
            self.stream.write(f"\r{self.done} texts {rate:,.0f} texts/s")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.last = 0.0
            self.update(0)
            self.stream.write("\n")
            self.stream.flush()


def _parse(line: str, lineno: int) -> tuple[object, str | None, str | None, str | None]:
    """Return (id, text, language, error)."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"line:{lineno}", None, None, f"invalid JSON: {exc.msg}"
    if not isinstance(record, dict):
        return f"line:{lineno}", None, None, "a line must be a JSON object"
    rid = record.get("id", f"line:{lineno}")
    text = record.get("text")
    if not isinstance(text, str):
        return rid, None, None, "missing or non-string 'text'"
    if len(text) > MAX_TEXT_CHARS:
        return rid, None, None, f"text longer than {MAX_TEXT_CHARS} characters"
    language = record.get("language")
    if language is not None and not isinstance(language, str):
        return rid, None, None, "'language' must be a string"
    return rid, text, language, None


def _batches(lines: Iterable[str]) -> Iterator[list[tuple[int, str]]]:
    batch: list[tuple[int, str]] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        batch.append((n, line))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def classify_stream(lines: Iterable[str], out: IO[str], classifier=None, progress: Progress | None = None) -> int:
    """Classify JSON lines; return the number of error lines written."""
    from aman.classifier.model import load_default

    clf = classifier or load_default()
    errors = 0
    for batch in _batches(lines):
        parsed = [_parse(line, n) for n, line in batch]
        good = [(i, p) for i, p in enumerate(parsed) if p[3] is None]
        results = {}
        if good:
            texts = [p[1] or "" for _, p in good]
            langs = [p[2] for _, p in good]
            for (i, _), t in zip(good, clf.triage_reports(texts, langs), strict=True):
                assert t.post is not None
                results[i] = {
                    "scores": t.post.scores,
                    "labels": t.post.labels,
                    "harmful": t.post.harmful,
                    "hate_type": t.post.hate_type,
                    "category": t.category,
                    "urgency": t.urgency,
                    "flags": t.flags,
                    "language": t.language,
                }
        for i, (rid, _, _, error) in enumerate(parsed):
            if error is not None:
                errors += 1
                out.write(json.dumps({"id": rid, "error": error}, ensure_ascii=False) + "\n")
            else:
                out.write(json.dumps({"id": rid, **results[i]}, ensure_ascii=False) + "\n")
        if progress:
            progress.update(len(batch))
    out.flush()
    return errors


def _cmd_classify(args: argparse.Namespace) -> int:
    if args.file and args.file != "-":
        path = Path(args.file)
        total = sum(1 for _ in path.open(encoding="utf-8"))
        progress = Progress(total, args.progress or (sys.stderr.isatty() and total > 2000))
        with path.open(encoding="utf-8") as f:
            classify_stream(f, sys.stdout, progress=progress)
    else:
        progress = Progress(None, args.progress)
        classify_stream(sys.stdin, sys.stdout, progress=progress)
    progress.close()
    return 0


def _cmd_train(args: argparse.Namespace) -> int:
    from aman.classifier.model import DEFAULT_MODEL_DIR
    from aman.classifier.training.train import train

    train(Path(args.data_dir), Path(args.out or DEFAULT_MODEL_DIR))
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from aman.classifier.model import DEFAULT_MODEL_DIR
    from aman.classifier.training.evaluate import evaluate

    evaluate(Path(args.data_dir), Path(args.model or DEFAULT_MODEL_DIR), write_card=not args.no_card)
    return 0


def _cmd_crossval(args: argparse.Namespace) -> int:
    from aman.classifier.training.crossval import crossval

    crossval(Path(args.data_dir), folds=args.folds)
    return 0


def main(argv: list[str] | None = None) -> int:
    from aman.classifier.training.paths import DEFAULT_DATA_DIR

    parser = argparse.ArgumentParser(prog="python -m aman.classifier", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("classify", help="classify JSON lines from FILE or standard input")
    p.add_argument("file", nargs="?", help="JSON lines file ({'id':..., 'text':...}); default standard input")
    p.add_argument("--progress", action="store_true", help="always draw the progress bar on standard error")
    p.set_defaults(func=_cmd_classify)
    p = sub.add_parser("train", help="train the model from the corpora and data/classifier (needs scikit-learn)")
    p.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR), help=f"corpora directory (default {DEFAULT_DATA_DIR})")
    p.add_argument("--out", help="output model directory (default: the shipped model)")
    p.set_defaults(func=_cmd_train)
    p = sub.add_parser("eval", help="print macro-F1 per corpus and per dialect; refresh the model card")
    p.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR), help=f"corpora directory (default {DEFAULT_DATA_DIR})")
    p.add_argument("--model", help="model directory (default: the shipped model)")
    p.add_argument("--no-card", action="store_true", help="do not rewrite MODEL_CARD.md and metrics.json")
    p.set_defaults(func=_cmd_eval)
    p = sub.add_parser("crossval", help="OSACT2020 cross-validation of the offensive head (needs scikit-learn)")
    p.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR), help=f"corpora directory (default {DEFAULT_DATA_DIR})")
    p.add_argument("--folds", type=int, default=5, help="number of folds (default 5)")
    p.set_defaults(func=_cmd_crossval)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return 0
