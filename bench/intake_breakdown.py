"""Where one report's time goes: CPU (process time) and wall time by part of the request path.

Calls the WSGI application directly (no HTTP, one client, no concurrency) with production
settings against the `aman_bench` database, which `bench/intake.py` leaves behind (run that
first). Not part of ``make bench``; a tool for finding what to make cheaper.

    .venv/bin/python bench/intake_breakdown.py [reports]
"""

from __future__ import annotations

import functools
import io
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, server_env

DATABASE = "aman_bench"
BODY = json.dumps(
    {
        "category": "harassment_bullying",
        "description": "حساب مجهول على تيك توك يرسل لي رسائل مسيئة كل يوم ويعلق على كل فيديو أنشره.",
        "affected": "me",
        "age_band": "18_plus",
        "platforms": ["tiktok"],
        "items": ["@someone"],
        "consent": {"platform": False, "police": False, "hotline": False},
        "contact": {"method": "none"},
    },
    ensure_ascii=False,
).encode()

totals: dict[str, tuple[float, float]] = {}


def timed(owner: Any, name: str, label: str) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        cpu0, wall0 = time.process_time(), time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            cpu, wall = totals.get(label, (0.0, 0.0))
            totals[label] = (cpu + time.process_time() - cpu0, wall + time.perf_counter() - wall0)

    setattr(owner, name, wrapper)


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 1000
    os.environ.update(server_env(DATABASE))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from rest_framework import serializers

    import aman.api.base as api_base
    import aman.intake.services as intake

    timed(intake, "report_submit", "report_submit (the service)")
    timed(intake, "_report_store", "_report_store (its transaction)")
    timed(intake, "audit_record", "audit_record (chain head lock, insert, head update)")
    timed(intake, "sla_apply", "sla_apply (SLA due times)")
    timed(intake, "case_search_text", "case_search_text")
    timed(intake, "new_follow_up_code", "new_follow_up_code")
    timed(api_base.ReportRateThrottle, "allow_request", "rate limit (Redis)")
    timed(serializers.Serializer, "is_valid", "serializer validation (DRF)")
    app = WSGIHandler()

    def call() -> None:
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/api/v1/reports",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(BODY),
            "wsgi.errors": sys.stderr,
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(BODY)),
            "HTTP_HOST": "127.0.0.1",
            "HTTP_ACCEPT_LANGUAGE": "ar",
            "REMOTE_ADDR": "127.0.0.1",
        }
        status: list[str] = []
        body = b"".join(app(environ, lambda s, h: status.append(s)))
        if not status[0].startswith("201"):
            raise SystemExit(f"unexpected answer {status[0]}: {body[:200]!r}")

    for _ in range(100):  # warm up
        call()
    totals.clear()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(count):
        call()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    print(f"per report over {count}: CPU {cpu / count * 1000:.2f} ms, wall {wall / count * 1000:.2f} ms")
    for label, (c, w) in totals.items():
        print(f"  {label:<54} CPU {c / count * 1000:5.2f} ms ({100 * c / cpu:4.1f} %)  wall {w / count * 1000:5.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
