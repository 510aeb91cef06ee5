"""The browser's PDQ (static/hashbanks/pdq.js) in real Chromium against ../shared/data/pdq-reference.

Each reference image is handed to Chromium as a Blob, decoded by the browser (createImageBitmap,
EXIF orientation applied) and hashed by pdq.js; the hash is compared with the reference C++
hash in reference.csv. Also: the same pixels decoded by Pillow (as the reference was made) and
hashed by pdq.js, which isolates the port from the decoder. Writes bench/results/pdq_js.json.

    .venv/bin/python bench/pdq_js_bench.py [--reference DIR]
"""

from __future__ import annotations

import argparse
import base64
import csv
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PDQ_JS = ROOT / "static" / "hashbanks" / "pdq.js"
DEFAULT_REFERENCE = ROOT.parent / "shared" / "data" / "pdq-reference"
CHROMIUM = os.environ.get("AMAN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
# See docs/hashbanks.md: decoders differ on JPEG by a unit here and there; PDQ absorbs most of it.
TOLERANCE = 10

HASH_BLOB = """async ([b64, mime]) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const t0 = performance.now();
  const r = await window.AmanPdq.hashBlob(new Blob([bytes], {type: mime}));
  return {hash: r.hash, quality: r.quality, width: r.width, height: r.height, ms: performance.now() - t0};
}"""
HASH_PIXELS = """([b64, w, h]) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const r = window.AmanPdq.hashPixels(bytes, w, h);
  return {hash: r.hash, quality: r.quality};
}"""
MIME = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp", ".tiff": "image/tiff"}


def hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def reference_rows(reference: Path) -> list[dict[str, str]]:
    with open(reference / "reference.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def run(reference: Path) -> dict[str, object]:
    import numpy as np
    from playwright.sync_api import sync_playwright

    from aman.hashing.pdq import decode_image

    rows = reference_rows(reference)
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page()
        page.set_content("<!doctype html><title>pdq</title>")
        page.add_script_tag(path=str(PDQ_JS))
        for row in rows:
            path = reference / row["image"]
            data = base64.b64encode(path.read_bytes()).decode()
            got = page.evaluate(HASH_BLOB, [data, MIME.get(path.suffix.lower(), "application/octet-stream")])
            rgb = decode_image(path)
            h, w = rgb.shape[:2]
            rgba = np.concatenate([rgb, np.full((h, w, 1), 255, np.uint8)], axis=2)
            same_pixels = page.evaluate(HASH_PIXELS, [base64.b64encode(rgba.tobytes()).decode(), w, h])
            results.append(
                {
                    "image": row["image"],
                    "distance": hamming(got["hash"], row["pdq_original"]),
                    "distance_same_pixels": hamming(same_pixels["hash"], row["pdq_original"]),
                    "quality": got["quality"],
                    "reference_quality": int(row["quality"]),
                    "ms": round(got["ms"], 1),
                    "size": f"{got['width']}x{got['height']}",
                }
            )
        version = browser.version
        browser.close()
    good = [r for r in results if r["reference_quality"] >= 50]
    return {
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "chromium": version,
        "images": len(results),
        "max_distance": max(r["distance"] for r in results),
        "max_distance_quality_50_plus": max(r["distance"] for r in good),
        "max_distance_same_pixels": max(r["distance_same_pixels"] for r in results),
        "mean_distance": round(sum(r["distance"] for r in results) / len(results), 2),
        "exact": sum(1 for r in results if r["distance"] == 0),
        "tolerance": TOLERANCE,
        "targets_met": max(r["distance"] for r in good) <= TOLERANCE
        and max(r["distance_same_pixels"] for r in results) == 0,
        "per_image": results,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    args = parser.parse_args()
    if not (args.reference / "reference.csv").exists():
        print(f"no reference data at {args.reference}", file=sys.stderr)
        return 1
    t0 = time.time()
    out = run(args.reference)
    out["seconds"] = round(time.time() - t0, 1)
    for r in out["per_image"]:  # type: ignore[attr-defined]
        print(
            f"{r['distance']:3d} {r['distance_same_pixels']:3d} q={r['quality']:3d}/{r['reference_quality']:3d} "
            f"{r['ms']:7.1f} ms {r['image']}"
        )
    summary = {k: v for k, v in out.items() if k != "per_image"}
    print(json.dumps(summary, indent=1))
    target = ROOT / "bench" / "results" / "pdq_js.json"
    target.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0 if out["targets_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
