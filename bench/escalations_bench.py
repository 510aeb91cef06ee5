"""Escalations: notices generated and queued per second, and delivery throughput to a webhook.

In a fresh PostgreSQL database (aman_bench_escalations) with production settings and the Celery
broker on Redis (127.0.0.1:6379/3):

  queue     ``escalation_create`` (consent gate, the DSA Art. 16 notice rendered in the partner's
            language, audit) then ``escalation_send`` (queued, task published to Redis), one
            notice after the other, in process: notices generated and queued per second.
  deliver   a real Celery worker (``celery -A config worker``, prefork, ``--concurrency``) takes
            the queued tasks and POSTs each notice, signed, to a local HTTP receiver that checks
            every signature and counts idempotency keys: notices delivered per second from the
            first task taken to the last notice recorded as sent, and how many arrived twice.

    .venv/bin/python bench/escalations_bench.py [--notices 500] [--concurrency 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from common import PYTHON, RESULTS, ROOT, latency_summary, machine, recreate_database, server_env

DATABASE = "aman_bench_escalations"
BROKER = os.environ.get("BENCH_ESCALATIONS_BROKER", "redis://127.0.0.1:6379/3")
SECRET = "bench-webhook-secret-0123456789"


class Receiver:
    def __init__(self) -> None:
        self.keys: dict[str, int] = {}
        self.bad_signatures = 0
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None
        self.url = ""

    def start(self) -> None:
        from aman.escalations.channels.webhook import verify

        state = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                ok = verify(SECRET, self.headers.get("X-Aman-Timestamp", ""), body, self.headers["X-Aman-Signature"])
                key = self.headers.get("X-Aman-Idempotency-Key", "")
                with state.lock:
                    if ok:
                        state.keys[key] = state.keys.get(key, 0) + 1
                    else:
                        state.bad_signatures += 1
                answer = json.dumps({"reference": f"P-{key[:8]}"}).encode() if ok else b"{}"
                self.send_response(200 if ok else 401)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/notices"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def bench_env() -> dict[str, str]:
    return server_env(
        DATABASE,
        CELERY_BROKER_URL=BROKER,
        AMAN_ESCALATION_ALLOW_HTTP="true",
        AMAN_ESCALATION_WEBHOOK_TIMEOUT="10",
    )


def setup_django() -> None:
    os.environ.update(bench_env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def purge_broker() -> None:
    host_port, _, db = BROKER[len("redis://") :].partition("/")
    host, _, port = host_port.partition(":")
    subprocess.run(["redis-cli", "-h", host, "-p", port or "6379", "-n", db or "0", "flushdb"], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notices", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args(argv)
    setup_django()
    from django.core.management import call_command
    from django.utils import timezone

    from aman.accounts.models import Role, User
    from aman.cases.choices import Affected, AgeBand, HarmCategory
    from aman.core.crypto import encrypt_text
    from aman.escalations import services
    from aman.escalations.models import Escalation, Partner
    from aman.intake.services import ReportInput, report_submit

    print(f"escalations: fresh database {DATABASE}, migrating…", flush=True)
    recreate_database(DATABASE)
    call_command("migrate", "--noinput", verbosity=0)
    purge_broker()
    receiver = Receiver()
    receiver.start()
    partner = Partner.objects.create(
        name="Bench platform",
        slug="bench-platform",
        kind="platform",
        channel="webhook",
        endpoint_url=receiver.url,
        webhook_secret_encrypted=encrypt_text(SECRET),
        languages="ar,en",
        consent_field="consent_platform",
        policy_map={"harassment_bullying": ["Bullying and harassment"]},
    )
    agent = User.objects.create(username="bench-agent", role=Role.AGENT)
    print(f"escalations: {args.notices} synthetic cases…", flush=True)
    cases = [
        report_submit(
            data=ReportInput(
                category=HarmCategory.HARASSMENT_BULLYING,
                description=f"Synthetic benchmark report {i}: insults every day.",
                affected=Affected.MY_CHILD,
                age_band=AgeBand.TEEN,
                platforms=["instagram"],
                items=[("url", f"https://example.org/post/{i}"), ("handle", f"@bench_{i}")],
                consent_platform=True,
                language="ar",
            )
        ).case
        for i in range(args.notices)
    ]

    # Phase 1: generate and queue (the tasks wait in Redis: no worker yet).
    latencies: list[float] = []
    wall0 = time.perf_counter()
    for case in cases:
        t = time.perf_counter()
        escalation = services.escalation_create(
            case=case,
            partner=partner,
            policy_category=HarmCategory.HARASSMENT_BULLYING,
            explanation="The account insults a 15-year-old every day (synthetic).",
            item_ids=list(case.items.values_list("id", flat=True)),
            acting_user=agent,
        )
        services.escalation_send(escalation=escalation, acting_user=agent)
        latencies.append(time.perf_counter() - t)
    queue_wall = time.perf_counter() - wall0
    queued = Escalation.objects.filter(status="queued").count()
    print(f"escalations: {queued} notices generated and queued in {queue_wall:.1f} s", flush=True)

    # Phase 2: a real Celery worker delivers them to the receiver.
    env = {**bench_env(), "PYTHONPATH": str(ROOT)}
    worker = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            str(args.concurrency),
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            remaining = Escalation.objects.exclude(status__in=["sent", "acknowledged", "failed"]).count()
            if remaining == 0:
                break
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(60)
        receiver.stop()
    rows: list[tuple[datetime, datetime]] = [
        (started, sent)
        for started, sent in Escalation.objects.filter(sent_at__isnull=False).values_list(
            "sending_started_at", "sent_at"
        )
        if started is not None and sent is not None
    ]
    first_taken = min(r[0] for r in rows)
    last_sent = max(r[1] for r in rows)
    deliver_wall = (last_sent - first_taken).total_seconds()
    failed = Escalation.objects.filter(status="failed").count()
    per_notice = [(sent - started).total_seconds() for started, sent in rows]
    result = {
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "notices": args.notices,
        "queue": {
            "notices_per_s": round(args.notices / queue_wall, 1),
            "seconds": round(queue_wall, 2),
            "latency_ms": latency_summary(latencies),
            "queued": queued,
        },
        "deliver": {
            "worker": f"celery prefork, concurrency {args.concurrency}",
            "notices_per_s": round(len(rows) / deliver_wall, 1) if deliver_wall > 0 else None,
            "seconds": round(deliver_wall, 2),
            "delivered": len(rows),
            "failed": failed,
            "received_by_partner": len(receiver.keys),
            "received_twice": sum(1 for n in receiver.keys.values() if n > 1),
            "bad_signatures": receiver.bad_signatures,
            "attempt_ms": latency_summary(per_notice),
        },
        "broker": BROKER,
        "machine": machine(),
        "at": timezone.now().isoformat(timespec="seconds"),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "escalations.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("queue", "deliver")}, indent=2))
    ok = len(rows) == args.notices and failed == 0 and result["deliver"]["received_twice"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
