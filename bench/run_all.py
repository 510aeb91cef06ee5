"""Run every benchmark (``make bench``): each prints its figures and writes bench/results/<name>.json.

Benchmarks are not tests: they need the machine's PostgreSQL (127.0.0.1:5432, user postgres)
and Redis (127.0.0.1:6379), create their own databases (aman_bench, aman_bench_console) and
take a few minutes. Pass names to run only some: ``bench/run_all.py console``. Extra options
after ``--`` go to every benchmark, e.g. ``bench/run_all.py intake -- --duration 60``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# intake and console, then every bench/<name>_bench.py, which writes bench/results/<name>.json.
BENCHMARKS = {
    "intake": BENCH / "intake.py",
    "console": BENCH / "console.py",
    **{path.stem.removesuffix("_bench"): path for path in sorted(BENCH.glob("*_bench.py"))},
}


def main(argv: list[str]) -> int:
    extra: list[str] = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1 :]
        argv = argv[: argv.index("--")]
    names = argv or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    failures = []
    for name in names:
        print(f"\n=== bench: {name} ===", flush=True)
        t0 = time.time()
        rc = subprocess.call([sys.executable, str(BENCHMARKS[name]), *extra], cwd=BENCH.parent)
        print(f"=== bench: {name}: exit {rc} after {time.time() - t0:.0f} s ===", flush=True)
        if rc:
            failures.append(name)
    print("\n=== summary ===")
    for name in names:
        path = BENCH / "results" / f"{name}.json"
        if not path.exists():
            print(f"{name}: no results")
            continue
        result = json.loads(path.read_text(encoding="utf-8"))
        print(f"{name}: {result.get('finished_at')} targets met: {result.get('targets_met')}")
    if failures:
        print(f"failed: {', '.join(failures)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
