"""Benchmark of the harm-text classifier: load time, memory, batch throughput, single-text latency.

Prints its figures and writes bench/results/classifier.json. A benchmark, not a test: nothing
here fails on a slow machine. Texts are the OSACT2020 dev tweets when ../shared/data is present
(realistic lengths; never written out), otherwise the project's own synthetic examples.

    .venv/bin/python bench/classifier_bench.py [--texts 20000] [--single 3000]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGETS = {
    "batch_texts_per_second_per_core": 5000,
    "single_p99_ms": 5.0,
    "rss_mb_with_model": 300,
    "load_seconds": 2.0,
    "model_mb": 50,
}

_CHILD = """
import resource, sys, time, json
t0 = time.perf_counter()
from aman.classifier import load_default
clf = load_default()
load = time.perf_counter() - t0
texts = json.loads(sys.stdin.read())
clf.classify_posts(texts[:2000])
clf.triage_reports(texts[:500])
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"load_seconds": load, "rss_mb": rss}))
"""


def _texts(n: int) -> tuple[list[str], str]:
    data = ROOT.parent / "shared" / "data" / "arabic-harm" / "osact2020_dev.csv"
    if data.exists():
        with data.open(encoding="utf-8", newline="") as f:
            base = [r["text"] for r in csv.DictReader(f)]
        source = "OSACT2020 dev tweets"
    else:
        base = []
        for path in sorted((ROOT / "data" / "classifier").glob("*.txt")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip() and not line.startswith("#"):
                    base.append(line.split("|", 5)[5])
        source = "Aman synthetic examples"
    out = [base[i % len(base)] + ("" if i < len(base) else f" {i}") for i in range(n)]
    return out, source


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=20000, help="texts for the batch throughput run")
    parser.add_argument("--single", type=int, default=3000, help="single-text calls for the latency run")
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args(argv)

    from aman.classifier.model import DEFAULT_MODEL_DIR, load_default

    texts, source = _texts(args.texts)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    child = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=json.dumps(texts[:2000]),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    )
    cold = json.loads(child.stdout)
    model_mb = sum(p.stat().st_size for p in DEFAULT_MODEL_DIR.iterdir() if p.is_file()) / 1e6

    clf = load_default()
    clf.classify_posts(texts[:200])  # warm caches

    def throughput(fn) -> float:
        t0 = time.perf_counter()
        for i in range(0, len(texts), args.batch_size):
            fn(texts[i : i + args.batch_size])
        return len(texts) / (time.perf_counter() - t0)

    posts_per_s = throughput(clf.classify_posts)
    triage_per_s = throughput(clf.triage_reports)

    latencies = []
    for i in range(args.single):
        t0 = time.perf_counter()
        clf.classify_post(texts[i % len(texts)])
        latencies.append((time.perf_counter() - t0) * 1000)
    latencies.sort()
    tri_lat = []
    for i in range(min(args.single, 1000)):
        t0 = time.perf_counter()
        clf.triage_report(texts[i % len(texts)])
        tri_lat.append((time.perf_counter() - t0) * 1000)
    tri_lat.sort()

    def pct(values: list[float], q: float) -> float:
        return round(values[min(len(values) - 1, int(q * len(values)))], 3)

    figures = {
        "texts": source,
        "n_batch_texts": len(texts),
        "batch_size": args.batch_size,
        "model_mb": round(model_mb, 2),
        "load_seconds": round(cold["load_seconds"], 3),
        "rss_mb_with_model": round(cold["rss_mb"], 1),
        "batch_texts_per_second_per_core": round(posts_per_s),
        "batch_triage_per_second_per_core": round(triage_per_s),
        "single_p50_ms": pct(latencies, 0.50),
        "single_p99_ms": pct(latencies, 0.99),
        "triage_single_p50_ms": pct(tri_lat, 0.50),
        "triage_single_p99_ms": pct(tri_lat, 0.99),
    }
    met = {
        "batch_texts_per_second_per_core": figures["batch_texts_per_second_per_core"]
        >= TARGETS["batch_texts_per_second_per_core"],
        "single_p99_ms": figures["single_p99_ms"] <= TARGETS["single_p99_ms"],
        "rss_mb_with_model": figures["rss_mb_with_model"] <= TARGETS["rss_mb_with_model"],
        "load_seconds": figures["load_seconds"] <= TARGETS["load_seconds"],
        "model_mb": figures["model_mb"] <= TARGETS["model_mb"],
    }
    result = {
        "name": "classifier",
        "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "figures": figures,
        "targets": TARGETS,
        "targets_met": all(met.values()),
        "met": met,
        "notes": (
            "single process, one core; the batch figures include normalisation and hashing; "
            "tail latencies grow when other processes share the cores (see load_average_at_end)"
        ),
    }
    for key, value in figures.items():
        print(f"{key:36} {value}")
    print(f"{'targets met':36} {result['targets_met']} {met}")
    out = ROOT / "bench" / "results" / "classifier.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
