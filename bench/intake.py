"""Report intake through the HTTP API (POST /api/v1/reports) against PostgreSQL, served by gunicorn.

Production settings (DEBUG off, every secret set, Redis cache), a fresh database `aman_bench`.
Two phases after a warm-up:

  saturation  closed loop: N concurrent clients, each sending its next report as soon as the
              last is answered; gives the most reports/s the server sustains.
  rate        open loop: reports due at a fixed rate (the target, 200/s by default) whatever
              the answers do; gives the latency a reporter sees at that rate.

Each report carries a unique marker in its description. After each phase every acknowledged
report (201) is looked up by its marker: it must be stored exactly once, under the reference
it was acknowledged with, and nothing unacknowledged may be stored.

    .venv/bin/python bench/intake.py [--duration 30] [--concurrency 16] [--rate 200]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    ROOT,
    flush_cache,
    latency_summary,
    migrate,
    psql,
    recreate_database,
    server_env,
    write_result,
)
from loadgen import PhaseResult, build_request, closed_loop, open_loop
from serving import CpuAccount, Server, database_backends, free_port, wait_for_quiet

DATABASE = "aman_bench"
PATH = "/api/v1/reports"
DESCRIPTIONS = [
    "حساب مجهول على تيك توك يرسل لي رسائل مسيئة كل يوم ويعلق على كل فيديو أنشره.",
    "Quelqu'un a créé un faux compte avec mes photos et écrit à mes amis.",
    "Someone keeps posting insulting comments about me under every video.",
]
TARGET_RPS = 200.0
TARGET_P99_MS = 150.0


def report_body(marker: str, n: int) -> bytes:
    body = {
        "category": "harassment_bullying",
        "description": f"{DESCRIPTIONS[n % len(DESCRIPTIONS)]} [{marker}]",
        "affected": "me",
        "age_band": "18_plus",
        "platforms": ["tiktok"],
        "items": ["@someone"],
        "consent": {"platform": False, "police": False, "hotline": False},
        "contact": {"method": "none"},
    }
    return json.dumps(body, ensure_ascii=False).encode()


def request_maker(run: str, phase: str, port: int) -> Any:
    host = f"127.0.0.1:{port}"
    headers = {"Content-Type": "application/json", "Accept-Language": "ar"}

    def make(n: int) -> tuple[str, bytes]:
        marker = f"bench:{run}:{phase}:{n}"
        return marker, build_request("POST", PATH, host, report_body(marker, n), headers)

    return make


def stored_markers(run: str, phase: str) -> dict[str, list[str]]:
    """marker -> the references of every case stored with it."""
    prefix = f"bench:{run}:{phase}:"
    # The prefix is made here, of a hex run id and a phase name.
    sql = f"SELECT substring(description from '\\[(bench:[^]]+)\\]'), reference FROM cases_case WHERE description LIKE '%[{prefix}%'"  # noqa: E501, S608
    rows = psql(sql, DATABASE)
    stored: dict[str, list[str]] = {}
    for line in rows.splitlines():
        marker, _, reference = line.partition("|")
        stored.setdefault(marker, []).append(reference)
    return stored


def count_check(run: str, phase: str, result: PhaseResult) -> dict[str, Any]:
    acknowledged: dict[str, str] = {}
    for o in result.outcomes:
        if o.status == 201:
            acknowledged[o.key] = json.loads(o.body)["reference"]
    stored = stored_markers(run, phase)
    missing = [m for m in acknowledged if m not in stored]
    duplicated = [m for m, refs in stored.items() if len(refs) > 1]
    wrong_reference = [m for m, ref in acknowledged.items() if m in stored and stored[m] != [ref]]
    unacknowledged = [m for m in stored if m not in acknowledged]
    stored_rows = sum(len(refs) for refs in stored.values())
    return {
        "acknowledged": len(acknowledged),
        "stored_rows": stored_rows,
        "acknowledged_missing": len(missing),
        "stored_more_than_once": len(duplicated),
        "stored_under_other_reference": len(wrong_reference),
        "stored_but_not_acknowledged": len(unacknowledged),
        "ok": not missing and not duplicated and not wrong_reference and stored_rows == len(acknowledged),
    }


def summarize(name: str, result: PhaseResult, check: dict[str, Any], cpu: dict[str, float]) -> dict[str, Any]:
    statuses = Counter(o.status for o in result.outcomes)
    ok = [o.latency for o in result.outcomes if o.status == 201]
    sending = result.stopped_sending - result.started
    wall = result.finished - result.started
    n = len(ok)
    per_report_ms = (cpu["server_cpu_s"] + cpu["postgres_backends_cpu_s"]) / n * 1000 if n else float("nan")
    cores = os.cpu_count() or 1
    return {
        "phase": name,
        "sending_seconds": round(sending, 2),
        "wall_seconds": round(wall, 2),
        "requests": len(result.outcomes),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": dict(Counter(o.error for o in result.outcomes if o.error)),
        "reports_per_second": round(n / wall, 1) if wall else 0.0,
        "latency_201": latency_summary(ok),
        "cpu": {
            **cpu,
            "machine_busy_percent": round(100 * cpu["machine_busy_core_seconds"] / cpu["machine_core_seconds"], 1),
            "other_processes_percent_of_machine": round(
                100 * cpu["other_processes_cpu_s"] / cpu["machine_core_seconds"], 1
            ),
            "client_percent_of_one_core": round(100 * cpu["client_cpu_s"] / wall, 1) if wall else None,
            "server_and_postgres_cpu_ms_per_report": round(per_report_ms, 2),
            # What the server could do with every core to itself, at this CPU cost per report.
            "cpu_bound_capacity_reports_per_second": round(cores * 1000 / per_report_ms, 0) if n else None,
        },
        "count_check": check,
    }


def run_phase(
    name: str,
    coro_factory: Any,
    run: str,
    account: CpuAccount,
    *,
    wait_quiet: float = 0,
    priority: int = 0,
    tag: str = "",
) -> dict[str, Any]:
    quiet = wait_for_quiet(wait_quiet) if wait_quiet else {"quiet": None, "waited_s": 0, "last_busy": []}
    print(
        f"  {name:<10} machine {'quiet' if quiet['quiet'] else 'busy with other work'} "
        f"(waited {quiet['waited_s']} s; busy fraction, last seconds: {quiet['last_busy']})",
        flush=True,
    )
    if priority:
        for pid in database_backends(DATABASE):
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, pid, priority)
    before = account.snapshot()
    result = asyncio.run(coro_factory())
    after = account.snapshot()
    time.sleep(0.5)  # let the last transactions commit before counting
    check = count_check(run, tag or name, result)
    summary = summarize(name, result, check, CpuAccount.delta(before, after, result.client_cpu_s))
    summary["machine_before_phase"] = quiet
    lat, cpu = summary["latency_201"], summary["cpu"]
    print(
        f"  {name:<10} {summary['reports_per_second']:>6.1f} reports/s  "
        f"p50 {lat['p50_ms']:.1f} ms  p95 {lat['p95_ms']:.1f} ms  p99 {lat['p99_ms']:.1f} ms  "
        f"statuses {summary['statuses']}\n"
        f"             CPU: machine {cpu['machine_busy_percent']}% busy, other processes "
        f"{cpu['other_processes_percent_of_machine']}% of the machine, client "
        f"{cpu['client_percent_of_one_core']}% of a core; server+PostgreSQL "
        f"{cpu['server_and_postgres_cpu_ms_per_report']} ms CPU per report "
        f"(= {cpu['cpu_bound_capacity_reports_per_second']}/s on {os.cpu_count()} idle cores)\n"
        f"             count check {'OK' if check['ok'] else 'FAILED'}: "
        f"{check['acknowledged']} acknowledged, {check['stored_rows']} stored, "
        f"{check['stored_more_than_once']} duplicated, {check['acknowledged_missing']} missing",
        flush=True,
    )
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=float(os.environ.get("BENCH_DURATION", 30)))
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=16, help="clients in the saturation phase")
    parser.add_argument("--rate", type=float, default=TARGET_RPS, help="reports/s in the rate phase")
    parser.add_argument("--max-connections", type=int, default=64, help="connections in the rate phase")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 4)))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_THREADS", 1)))
    parser.add_argument("--phases", default="saturation,rate80,rate")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/results alone")
    parser.add_argument(
        "--wait-quiet", type=float, default=180, help="before each phase, wait up to this long for an idle machine"
    )
    parser.add_argument(
        "--priority",
        type=int,
        default=-10 if os.geteuid() == 0 else 0,
        help="nice value for the server and its PostgreSQL backends (a shared machine; 0 to leave as is)",
    )
    args = parser.parse_args(argv)

    env = server_env(DATABASE)
    print(f"intake: fresh database {DATABASE}, migrating…", flush=True)
    recreate_database(DATABASE)
    migrate(env)
    flush_cache(env)
    port = free_port()
    server = Server(workers=args.workers, threads=args.threads, port=port, env=env)
    run = uuid.uuid4().hex[:8]
    phases: list[dict[str, Any]] = []
    print(f"intake: {server.description} on 127.0.0.1:{port}; run {run}", flush=True)
    server.start(priority=args.priority)
    account = CpuAccount(server.process.pid, DATABASE)  # type: ignore[union-attr]
    try:
        run_phase(
            "warmup",
            lambda: closed_loop(
                host="127.0.0.1",
                port=port,
                concurrency=args.concurrency,
                duration=args.warmup,
                make=request_maker(run, "warmup", port),
            ),
            run,
            account,
            priority=args.priority,
        )
        for number, name in enumerate(args.phases.split(",")):
            tag = f"{name}{number}"  # markers stay unique when a phase is repeated
            if name == "saturation":

                def factory(tag: str = tag) -> Any:
                    return closed_loop(
                        host="127.0.0.1",
                        port=port,
                        concurrency=args.concurrency,
                        duration=args.duration,
                        make=request_maker(run, tag, port),
                    )

            elif name in ("rate", "rate80"):
                rate = args.rate
                if name == "rate80":
                    # 80% of what this server sustained: the latency at a load it can carry.
                    measured = [p["reports_per_second"] for p in phases if p["phase"] == "saturation"]
                    if not measured:
                        continue
                    rate = round(0.8 * measured[0], 1)

                def factory(rate: float = rate, tag: str = tag) -> Any:
                    return open_loop(
                        host="127.0.0.1",
                        port=port,
                        rate=rate,
                        duration=args.duration,
                        max_connections=args.max_connections,
                        make=request_maker(run, tag, port),
                    )
            else:
                raise SystemExit(f"unknown phase {name}")
            summary = run_phase(
                name, factory, run, account, wait_quiet=args.wait_quiet, priority=args.priority, tag=tag
            )
            if name.startswith("rate"):
                summary["offered_rate_per_s"] = rate
            phases.append(summary)
    finally:
        server.stop()

    total_cases = int(psql("SELECT count(*) FROM cases_case", DATABASE))
    by_name = {p["phase"]: p for p in phases}
    saturation, rate = by_name.get("saturation"), by_name.get("rate")
    targets = {
        "reports_per_second_min": TARGET_RPS,
        "p99_ms_max": TARGET_P99_MS,
    }
    met = {
        "throughput": bool(saturation and saturation["reports_per_second"] >= TARGET_RPS),
        "p99_at_target_rate": bool(
            rate and rate["latency_201"]["p99_ms"] < TARGET_P99_MS and rate["reports_per_second"] >= 0.98 * args.rate
        ),
        "count_check": all(p["count_check"]["ok"] for p in phases),
    }
    result = {
        "what": "POST /api/v1/reports through gunicorn, PostgreSQL, production settings",
        "server": server.description,
        "settings": "config.settings.prod (DEBUG off), Redis cache, CONN_MAX_AGE 600",
        "parameters": {
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "saturation_concurrency": args.concurrency,
            "rate_per_s": args.rate,
            "rate_max_connections": args.max_connections,
        },
        "priority": args.priority,
        "phases": phases,
        "cases_in_database_after": total_cases,
        "targets": targets,
        "targets_met": met,
    }
    if not args.no_write:
        path = write_result("intake", result)
        print(f"intake: wrote {path.relative_to(ROOT)}")
    print(f"intake: targets met: {met}")
    return 0 if met["count_check"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
