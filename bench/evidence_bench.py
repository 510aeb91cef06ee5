"""Evidence intake throughput: upload -> validate -> hash (SHA-256, MD5, PDQ) -> encrypt -> store.

Synthetic 1600x1000 photo-like JPEGs are posted, one per request, to the console's upload view
through Django's test Client (multipart parsing, the whole middleware stack, a signed-in agent),
by 2 worker processes on PostgreSQL with production settings. Text reading (OCR) is queued in
Redis for a Celery worker, not run inline: the benchmark counts the queued tasks to prove it.

    .venv/bin/python bench/evidence_bench.py [--images 400] [--workers 2]

Target (issue 3): at least 20 images/s on 2 cores.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, latency_summary, migrate, recreate_database, server_env, write_result

DATABASE = "aman_bench_evidence"
TARGET_IMAGES_PER_S = 20.0
BROKER = "redis://127.0.0.1:6379/14"
EVIDENCE_KEY = "bench1:YmVuY2gtZXZpZGVuY2UtbWFzdGVyLWtleS0zMmJ5dGU="


def make_photos(count: int) -> list[bytes]:
    """Photo-like JPEGs: smooth gradients, shapes and sensor noise, so they compress like photos."""
    import numpy as np
    from PIL import Image, ImageDraw

    rng = np.random.default_rng(7)
    photos = []
    for i in range(count):
        y, x = np.mgrid[0:1000, 0:1600]
        base = np.stack([(x * (i + 1)) % 256, (y * 3 + i * 17) % 256, ((x + y) // 4 + i * 29) % 256], axis=-1)
        noise = rng.normal(0, 12, size=(1000, 1600, 3))
        pixels = np.clip(base + noise, 0, 255).astype("uint8")
        image = Image.fromarray(pixels)
        draw = ImageDraw.Draw(image)
        for _ in range(12):
            x0, y0 = int(rng.integers(0, 1400)), int(rng.integers(0, 800))
            draw.rectangle([x0, y0, x0 + 200, y0 + 150], fill=tuple(int(v) for v in rng.integers(0, 255, 3)))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=85)
        photos.append(out.getvalue())
    return photos


def _worker(args: tuple[int, str, list[bytes], Any]) -> list[float]:
    worker, reference, photos, start = args
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from aman.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench-agent"))
    latencies = []
    start.wait()
    for n, data in enumerate(photos):
        upload = SimpleUploadedFile(f"w{worker}-{n}.jpg", data, content_type="image/jpeg")
        t0 = time.perf_counter()
        response = client.post(f"/console/cases/{reference}/evidence/upload", {"evidence": [upload]})
        latencies.append(time.perf_counter() - t0)
        if response.status_code != 302:
            raise SystemExit(f"upload failed: {response.status_code}")
    return latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--distinct", type=int, default=40, help="distinct photos, reused round-robin")
    options = parser.parse_args()

    evidence_dir = tempfile.mkdtemp(prefix="aman-bench-evidence-")
    env = server_env(
        DATABASE,
        AMAN_EVIDENCE_KEYS=EVIDENCE_KEY,
        AMAN_EVIDENCE_DIR=evidence_dir,
        AMAN_EVIDENCE_MAX_CASE_MB="100000",
        CELERY_BROKER_URL=BROKER,
        AMAN_OCR_ENABLED="true",
    )
    recreate_database(DATABASE)
    migrate(env)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import redis
    from django.db import connections

    from aman.accounts.models import Role, User
    from aman.cases.tests.factories import submit_report
    from aman.evidence.models import EvidenceItem

    queue = redis.Redis.from_url(BROKER)
    queue.flushdb()
    User.objects.create_user(username="bench-agent", password="x", role=Role.ADMIN)
    references = [submit_report(description=f"bench case {i}").case.reference for i in range(options.workers)]
    connections.close_all()

    print(f"making {options.distinct} photo-like 1600x1000 JPEGs…", flush=True)
    photos = make_photos(options.distinct)
    per_worker = options.images // options.workers
    batches = [[photos[(w + i) % len(photos)] for i in range(per_worker)] for w in range(options.workers)]
    total_bytes = sum(len(b) for batch in batches for b in batch)

    context = multiprocessing.get_context("fork")
    start = context.Manager().Event()
    with context.Pool(options.workers) as pool:
        pending = pool.map_async(_worker, [(w, references[w], batches[w], start) for w in range(options.workers)])
        time.sleep(3)  # every worker set up and signed in
        t0 = time.perf_counter()
        start.set()
        latencies = [x for result in pending.get() for x in result]
        elapsed = time.perf_counter() - t0

    stored = EvidenceItem.objects.count()
    import json

    queued = sum(
        1
        for raw in queue.lrange("celery", 0, -1)
        if json.loads(raw).get("headers", {}).get("task") == "aman.evidence.tasks.evidence_read_text_task"
    )
    queue.flushdb()
    images_per_s = len(latencies) / elapsed
    result = {
        "images": len(latencies),
        "workers": options.workers,
        "image": "JPEG 1600x1000, photo-like",
        "mean_image_kb": round(total_bytes / len(latencies) / 1024, 1),
        "elapsed_s": round(elapsed, 2),
        "images_per_s": round(images_per_s, 1),
        "mb_per_s": round(total_bytes / elapsed / 1024 / 1024, 2),
        "latency_ms": latency_summary(latencies),
        "stored_items": stored,
        "ocr_tasks_queued_not_run": queued,
        "target_images_per_s": TARGET_IMAGES_PER_S,
        "targets_met": images_per_s >= TARGET_IMAGES_PER_S and stored == len(latencies) and queued == stored,
    }
    print(
        f"{result['images']} images in {result['elapsed_s']} s: {result['images_per_s']} images/s, "
        f"{result['mb_per_s']} MB/s, p50 {result['latency_ms']['p50_ms']} ms, p95 {result['latency_ms']['p95_ms']} ms; "
        f"stored {stored}, OCR queued {queued}; target >= {TARGET_IMAGES_PER_S}/s: "
        f"{'met' if result['targets_met'] else 'MISSED'}"
    )
    print(f"wrote {write_result('evidence', result)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
