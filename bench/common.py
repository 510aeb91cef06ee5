"""Shared by the benchmarks: the environment of a production-like server, databases, results."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
ADMIN_URL = os.environ.get("BENCH_ADMIN_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_BASE = ADMIN_URL.rsplit("/", 1)[0]
# A fixed Fernet key for the benchmark databases only (32 url-safe base64 bytes).
BENCH_FERNET_KEY = "YmVuY2gtb25seS1rZXktbmV2ZXItdXNlLWluLXByb2Q="


def database_url(name: str) -> str:
    return f"{PG_BASE}/{name}"


def server_env(database: str, **extra: str) -> dict[str, str]:
    """Production settings (config.settings.prod), DEBUG off, every secret set, plain HTTP on loopback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AMAN_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        DEBUG="false",
        SECRET_KEY="bench-secret-key-" + "x" * 40,
        AMAN_FOLLOW_UP_KEY="bench-follow-up-key-" + "y" * 32,
        AMAN_CONTACT_KEYS=BENCH_FERNET_KEY,
        AMAN_EVIDENCE_KEYS="bench1:YmVuY2gtZXZpZGVuY2UtbWFzdGVyLWtleS0zMmJ5dGU=",
        DATABASE_URL=database_url(database),
        DB_CONN_MAX_AGE="600",
        CACHE_URL=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/7"),
        AMAN_REPORT_RATE="100000000/hour",
        SECURE_COOKIES="false",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


def psql(sql: str, database: str = "postgres") -> str:
    out = subprocess.run(
        ["psql", database_url(database), "-v", "ON_ERROR_STOP=1", "-Atqc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def recreate_database(name: str) -> None:
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{name}"')


def migrate(env: dict[str, str]) -> None:
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)


def flush_cache(env: dict[str, str]) -> None:
    url = env["CACHE_URL"]
    if url.startswith("redis://"):
        host_port, _, db = url[len("redis://") :].partition("/")
        host, _, port = host_port.partition(":")
        subprocess.run(
            ["redis-cli", "-h", host, "-p", port or "6379", "-n", db or "0", "flushdb"],
            check=True,
            capture_output=True,
        )


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), round(p / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def latency_summary(latencies_s: list[float]) -> dict[str, float]:
    values = sorted(latencies_s)
    ms = 1000.0
    return {
        "count": len(values),
        "mean_ms": round(sum(values) / len(values) * ms, 2) if values else float("nan"),
        "p50_ms": round(percentile(values, 50) * ms, 2),
        "p95_ms": round(percentile(values, 95) * ms, 2),
        "p99_ms": round(percentile(values, 99) * ms, 2),
        "max_ms": round(values[-1] * ms, 2) if values else float("nan"),
    }


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        pg = psql("SHOW server_version")
    except (OSError, subprocess.CalledProcessError):
        pg = "unknown"
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory": mem,
        "python": platform.python_version(),
        "postgresql": pg,
        "kernel": platform.release(),
    }


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        return out.stdout.strip()
    except OSError:
        return ""


def write_result(name: str, result: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {
        "benchmark": name,
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "commit": git_commit(),
        "machine": machine(),
        **result,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
