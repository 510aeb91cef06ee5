"""POST /api/v1/hashes/match against a bank of 1,000,000 PDQ hashes in PostgreSQL.

Loads the bank with COPY into a fresh database (aman_bench_hashbanks), then sends requests of 100
PDQ hashes each (half near a bank hash, 0-16 bits away; half random) through Django's test
client, in process, with a partner key: the request path is the real one (authentication,
validation, the per-process index kept in step with the change counter, the provenance query,
the audit record), without the network. The first request builds the index from the database
(timed separately). Writes bench/results/hashbanks.json.

    .venv/bin/python bench/hashbanks_bench.py [--size 1000000] [--requests 200]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import UTC, datetime

from common import RESULTS, ROOT, flush_cache, latency_summary, machine, recreate_database, server_env

DATABASE = "aman_bench_hashbanks"
TARGET_LOOKUPS_PER_S = 1000  # hashes per second through the API, one process
TARGET_P95_MS = 500  # one request of 100 hashes


def setup_django() -> None:
    # A bench-only evidence key, in case common.server_env does not set one yet.
    env = server_env(DATABASE)
    env.setdefault("AMAN_EVIDENCE_KEYS", "bench1:YmVuY2gtb25seS1ldmlkZW5jZS1rZXktMzItYnl0ZSE=")
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def load_bank(size: int, rng: random.Random) -> tuple[list[str], float]:
    from django.db import connection
    from django.utils import timezone

    from aman.hashbanks.models import HashBank, HashChangeCounter

    bank = HashBank.objects.create(name="bench", kind="exchange", category="ncii")
    now = timezone.now()
    t0 = time.perf_counter()
    sample: list[str] = []
    with connection.cursor() as cursor:
        raw = cursor.cursor
        columns = (
            "bank_id, signal_type, value, category, source, partner_name, added_at, change_seq, withdrawal_reason, "
            "picture"
        )
        with raw.copy(f"COPY hashbanks_bankedhash ({columns}) FROM STDIN") as copy:
            for i in range(size):
                value = f"{rng.getrandbits(256):064x}"
                if i % max(1, size // 1000) == 0:
                    sample.append(value)
                copy.write_row([bank.pk, "pdq", value, "ncii", "bench", "", now, i + 1, "", ""])
    HashChangeCounter.objects.filter(id=1).update(sequence=size)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE hashbanks_bankedhash")
    return sample, time.perf_counter() - t0


def near(value: str, rng: random.Random) -> str:
    number = int(value, 16)
    for bit in rng.sample(range(256), rng.randint(0, 16)):
        number ^= 1 << bit
    return f"{number:064x}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args(argv)
    setup_django()
    from django.core.management import call_command
    from django.test import Client

    from aman.hashbanks import services
    from aman.hashbanks.models import HashBank

    rng = random.Random(7)
    print(f"hashbanks: fresh database {DATABASE}, migrating…", flush=True)
    recreate_database(DATABASE)
    call_command("migrate", "--noinput", verbosity=0)
    flush_cache(dict(os.environ))
    sample, load_s = load_bank(args.size, rng)
    print(f"hashbanks: loaded {args.size:,} hashes in {load_s:.1f} s", flush=True)
    partner, key = services.partner_create(name="bench partner", banks=HashBank.objects.all(), acting_user=None)
    # The per-key rate limit (600/minute by default) is not what is measured here.
    type(partner).objects.filter(pk=partner.pk).update(rate_limit="1000000/minute")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    def body() -> str:
        half = args.batch // 2
        queries = [near(rng.choice(sample), rng) for _ in range(half)]
        queries += [f"{rng.getrandbits(256):064x}" for _ in range(args.batch - half)]
        return json.dumps({"pdq": queries})

    t0 = time.perf_counter()
    first = client.post("/api/v1/hashes/match", body(), content_type="application/json")
    build_s = time.perf_counter() - t0
    assert first.status_code == 200, first.content[:300]
    print(f"hashbanks: first request (index built from the database) {build_s:.1f} s", flush=True)

    latencies: list[float] = []
    matches = 0
    cpu0 = time.process_time()
    wall0 = time.perf_counter()
    for _ in range(args.requests):
        payload = body()
        t = time.perf_counter()
        response = client.post("/api/v1/hashes/match", payload, content_type="application/json")
        latencies.append(time.perf_counter() - t)
        assert response.status_code == 200
        matches += response.json()["counts"]["matches"]
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    summary = latency_summary(latencies)
    lookups_per_s = args.requests * args.batch / wall
    expected_near = args.requests * (args.batch // 2)
    result = {
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "bank_size": args.size,
        "requests": args.requests,
        "hashes_per_request": args.batch,
        "load_seconds": round(load_s, 1),
        "first_request_seconds_index_build": round(build_s, 2),
        "requests_per_s": round(args.requests / wall, 1),
        "lookups_per_s": round(lookups_per_s),
        "lookups_per_cpu_second": round(args.requests * args.batch / cpu),
        "latency_ms": summary,
        "matches": matches,
        "near_queries": expected_near,
        "all_near_queries_matched": matches >= expected_near,
        "targets": {"lookups_per_s": TARGET_LOOKUPS_PER_S, "p95_ms": TARGET_P95_MS},
        "targets_met": lookups_per_s >= TARGET_LOOKUPS_PER_S
        and summary["p95_ms"] <= TARGET_P95_MS
        and matches >= expected_near,
        "machine": machine(),
    }
    print(json.dumps({k: v for k, v in result.items() if k != "machine"}, indent=1))
    (RESULTS / "hashbanks.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0 if result["targets_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
