"""POST /api/v1/check in-process (Django test client) with production settings, PostgreSQL and Redis.

One process, one thread: the figures are per core. Each request goes through the whole stack
(middleware, API-key lookup, per-key rate limit in Redis, classifier, daily counter UPDATE in
PostgreSQL, JSON). Phases after a warm-up:

  default    "think before you post" on a mix of Arabic, Arabizi, French and English comments
  official   profile=official (classifier + personal-data, marker and link detectors)
  outcome    POST /api/v1/check/outcome
  classifier the classifier alone on the same texts (for comparison with the endpoint's cost)

    .venv/bin/python bench/check_bench.py [--requests 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, latency_summary, migrate, recreate_database, server_env, write_result

DATABASE = "aman_bench_checks"
TEXTS = [
    "يا حمار يا غبي، والله ما تفهم شي",
    "مبروك على النجاح، الله يوفقك دائماً",
    "شو هالحكي الفاضي، روح نام احسنلك",
    "enta 7mar w ma btefham",
    "Bravo pour ce beau travail, merci !",
    "T'es vraiment un idiot, personne ne t'aime",
    "Great video, thanks for sharing this with us",
    "You are so stupid, just disappear already",
    "هاي الصورة حلوة كتير 😍",
    "ئەمە زۆر جوانە، سوپاس",
]
OFFICIAL = [
    "للتواصل مع المكتب الإعلامي: 07701234567 أو press@ministry.example",
    "Document confidentiel — usage interne. Détails sur https://bit.ly/abc123",
    "حوّلوا التبرعات إلى SA03 8000 0000 6080 1016 7519 اليوم",
    "Update your account now at https://facebook.com.login-verify.xyz/secure",
    "نعلن عن افتتاح المدرسة الجديدة في الحي يوم الأحد القادم",
]
TARGETS = {"default_rps": 150.0, "default_p99_ms": 30.0, "official_p99_ms": 40.0}


def worker(n: int) -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    from aman.accounts.models import Role, User
    from aman.checks.models import ApiKey
    from aman.checks.services import apikey_create
    from aman.classifier import load_default

    ApiKey.objects.all().delete()
    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"role": Role.ADMIN})
    made = apikey_create(name="bench", allowed_origins=["*"], rate_limit="100000000/minute", acting_user=admin)
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {made.secret}", "HTTP_ACCEPT_LANGUAGE": "ar"}

    def run(path: str, bodies: list[dict], count: int) -> tuple[list[float], float, dict]:
        lat, codes = [], {}
        payloads = [json.dumps(b, ensure_ascii=False) for b in bodies]
        start = time.perf_counter()
        for i in range(count):
            t0 = time.perf_counter()
            r = client.post(path, payloads[i % len(payloads)], content_type="application/json", **headers)
            lat.append(time.perf_counter() - t0)
            codes[r.status_code] = codes.get(r.status_code, 0) + 1
        return lat, time.perf_counter() - start, codes

    run("/api/v1/check", [{"text": t} for t in TEXTS], 200)  # warm-up (model load, connections)
    out: dict = {}
    lat, wall, codes = run("/api/v1/check", [{"text": t} for t in TEXTS], n)
    out["default"] = {"requests_per_s": round(n / wall, 1), **latency_summary(lat), "status": codes}
    m = max(n // 2, 1)
    lat, wall, codes = run("/api/v1/check", [{"text": t, "profile": "official"} for t in OFFICIAL], m)
    out["official"] = {"requests_per_s": round(m / wall, 1), **latency_summary(lat), "status": codes}
    check_ids = [
        client.post("/api/v1/check", json.dumps({"text": t}), content_type="application/json", **headers).json()[
            "check_id"
        ]
        for t in TEXTS * 20
    ]
    lat, wall, codes = run(
        "/api/v1/check/outcome", [{"check_id": c, "outcome": "shown"} for c in check_ids], len(check_ids)
    )
    out["outcome"] = {"requests_per_s": round(len(check_ids) / wall, 1), **latency_summary(lat), "status": codes}
    clf = load_default()
    lat = []
    start = time.perf_counter()
    for i in range(n):
        t0 = time.perf_counter()
        clf.classify_post(TEXTS[i % len(TEXTS)])
        lat.append(time.perf_counter() - t0)
    out["classifier_alone"] = {"texts_per_s": round(n / (time.perf_counter() - start), 1), **latency_summary(lat)}
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.requests)))
        return 0
    # The evidence vault's master key is required in production settings (not used here).
    env = server_env(DATABASE, AMAN_EVIDENCE_KEYS="bench:" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=")
    recreate_database(DATABASE)
    migrate(env)
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", "--requests", str(args.requests)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        print(proc.stderr[-4000:], file=sys.stderr)
        return proc.returncode
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    met = (
        figures["default"]["requests_per_s"] >= TARGETS["default_rps"]
        and figures["default"]["p99_ms"] <= TARGETS["default_p99_ms"]
        and figures["official"]["p99_ms"] <= TARGETS["official_p99_ms"]
    )
    for phase, values in figures.items():
        print(f"{phase:17s} {json.dumps(values)}")
    print(f"load average: {os.getloadavg()}")
    path = write_result(
        "check",
        {
            "targets": TARGETS,
            "targets_met": met,
            "requests": args.requests,
            "mode": "in-process test client",
            **figures,
        },
    )
    print(f"targets met: {met}; written {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
