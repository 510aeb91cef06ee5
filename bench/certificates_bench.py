"""Benchmark of training certificates: how many PDFs per second, and 1,000 in under 3 minutes.

Creates its own PostgreSQL database (aman_bench_training), one workshop in Arabic with N present
participants (synthetic names), then measures:

- ``job``: the background job as shipped (``certificate_batch_run``: issue each certificate,
  render it with WeasyPrint, QR code, ZIP, store), in one process;
- ``parallel``: the same (batched) rendering split over 2 processes (the 2 cores), without the ZIP.

Prints the figures and writes bench/results/certificates.json. Not a test: nothing fails on a
slow machine; ``targets_met`` says whether 1,000 certificates took under 180 s.

    .venv/bin/python bench/certificates_bench.py [--count 1000] [--processes 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DATABASE = "aman_bench_training"
TARGET_SECONDS_PER_1000 = 180.0


def _render_range(ids: list[int]) -> int:
    import django

    django.setup()
    from aman.training.certificates import certificate_pdf
    from aman.training.models import Certificate

    count = 0
    for certificate in Certificate.objects.select_related("participant__workshop__region").filter(
        participant_id__in=ids
    ):
        count += len(certificate_pdf(certificate)) > 0
    return count


def worker(count: int, processes: int) -> dict[str, Any]:
    import django

    django.setup()
    from concurrent.futures import ProcessPoolExecutor

    from django.db import connections
    from django.utils import timezone

    from aman.accounts.models import Role, User
    from aman.training.models import (
        Audience,
        BatchStatus,
        CertificateBatch,
        Participant,
        ParticipantSource,
        Programme,
        Region,
        VenueKind,
        Workshop,
    )
    from aman.training.services import certificate_batch_run

    user = User.objects.create(username="bench-manager", role=Role.PROGRAMME_MANAGER)
    programme = Programme.objects.create(name="Bench", created_by=user)
    workshop = Workshop.objects.create(
        programme=programme,
        title="معاً بأمان: حماية الأطفال على الإنترنت",
        date=timezone.localdate(),
        region=Region.objects.get(code="iq-baghdad"),
        venue="مركز الشباب",
        venue_kind=VenueKind.COMMUNITY_CENTRE,
        audience=Audience.PARENTS,
        language="ar",
        capacity=count,
    )
    names = ["سلمى", "كريم", "هدى", "عمر", "ليلى", "يوسف", "نور", "آدم"]
    Participant.objects.bulk_create(
        [
            Participant(
                workshop=workshop,
                full_name=f"{names[i % len(names)]} التجريبي {i}",
                source=ParticipantSource.IMPORT,
                consent_version="bench",
                consent_at=timezone.now(),
                present=True,
            )
            for i in range(count)
        ]
    )
    batch = CertificateBatch.objects.create(workshop=workshop, requested_by=user, total=count)
    t0 = time.perf_counter()
    batch = certificate_batch_run(batch_id=batch.pk)
    job_seconds = time.perf_counter() - t0
    assert batch.status == BatchStatus.DONE and batch.done == count

    ids = list(workshop.participants.order_by("id").values_list("id", flat=True))
    chunks = [ids[i::processes] for i in range(processes)]
    connections.close_all()
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=processes) as pool:
        rendered = sum(pool.map(_render_range, chunks))
    parallel_seconds = time.perf_counter() - t0
    assert rendered == count
    return {
        "count": count,
        "job": {
            "processes": 1,
            "seconds": round(job_seconds, 1),
            "certificates_per_second": round(count / job_seconds, 1),
            "seconds_per_1000": round(job_seconds * 1000 / count, 1),
        },
        "parallel": {
            "processes": processes,
            "seconds": round(parallel_seconds, 1),
            "certificates_per_second": round(count / parallel_seconds, 1),
            "seconds_per_1000": round(parallel_seconds * 1000 / count, 1),
        },
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args, _ = parser.parse_known_args(argv)
    if args.worker:
        print(json.dumps(worker(args.count, args.processes)))
        return 0

    import tempfile

    from common import BENCH_FERNET_KEY, migrate, recreate_database, server_env, write_result

    recreate_database(DATABASE)
    media = tempfile.mkdtemp(prefix="aman-bench-media-")
    # Other apps may require their own secrets in production settings; give them bench-only values.
    env = server_env(DATABASE, MEDIA_ROOT=media, CELERY_BROKER_URL="", AMAN_EVIDENCE_KEYS=BENCH_FERNET_KEY)
    migrate(env)
    out = subprocess.run(
        [sys.executable, __file__, "--worker", "--count", str(args.count), "--processes", str(args.processes)],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        print(out.stderr[-4000:], file=sys.stderr)
        return out.returncode
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    best = min(figures["job"]["seconds_per_1000"], figures["parallel"]["seconds_per_1000"])
    result = {
        **figures,
        "targets": {"seconds_per_1000": TARGET_SECONDS_PER_1000},
        "targets_met": figures["job"]["seconds_per_1000"] < TARGET_SECONDS_PER_1000,
        "best_seconds_per_1000": best,
        "cpus": os.cpu_count(),
    }
    path = write_result("certificates", result)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
