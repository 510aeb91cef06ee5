"""The browser's PDQ (static/hashbanks/pdq.js) in real Chromium against ../shared/data/pdq-reference.

Each reference image is handed to Chromium as a Blob, decoded by the browser (createImageBitmap,
EXIF orientation applied) and hashed by pdq.js; the hash is compared with the reference C++
hash in reference.csv. Also: the same pixels decoded by Pillow (as the reference was made) and
hashed by pdq.js, which isolates the port from the decoder. The 8 dihedral variants are compared
with aman.hashing's (Python, Meta's C++) and reference.csv; the MD5 (pure JS) of every file and of a
64 MiB synthetic video with hashlib. Writes bench/results/pdq_js.json.

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
  return {hash: r.hash, dihedral: r.dihedral, quality: r.quality, width: r.width, height: r.height,
          ms: performance.now() - t0};
}"""
MD5_BLOB = """async ([b64, size]) => {
  let bytes;
  if (b64 === null) {
    bytes = new Uint8Array(size);
    for (let i = 0; i < size; i++) bytes[i] = Math.imul(i, 2654435761 | 0) >>> 24;
  } else {
    bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  }
  const t0 = performance.now();
  const hex = await window.AmanPdq.md5Blob(new Blob([bytes]));
  return {hex: hex, ms: performance.now() - t0};
}"""
DIHEDRAL_NAMES = ("original", "rotate90", "rotate180", "rotate270", "flipx", "flipy", "flip_plus1", "flip_minus1")
MD5_VIDEO_BYTES = 64 * 1024 * 1024
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
    import hashlib

    import numpy as np
    from playwright.sync_api import sync_playwright

    from aman.hashing import hash_image
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
            python = hash_image(path, unletterbox=False).dihedral
            md5 = page.evaluate(MD5_BLOB, [data, 0])["hex"]
            results.append(
                {
                    "image": row["image"],
                    "distance": hamming(got["hash"], row["pdq_original"]),
                    "distance_same_pixels": hamming(same_pixels["hash"], row["pdq_original"]),
                    "dihedral_distance_python": max(
                        hamming(a, b) for a, b in zip(got["dihedral"], python, strict=True)
                    ),
                    "dihedral_distance_reference": max(
                        hamming(a, row[f"pdq_{n}"]) for a, n in zip(got["dihedral"], DIHEDRAL_NAMES, strict=True)
                    ),
                    "md5_equal": md5 == hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest(),
                    "quality": got["quality"],
                    "reference_quality": int(row["quality"]),
                    "ms": round(got["ms"], 1),
                    "size": f"{got['width']}x{got['height']}",
                }
            )
        # MD5 of a large synthetic "video", in the browser, read in 4 MiB pieces.
        video = page.evaluate(MD5_BLOB, [None, MD5_VIDEO_BYTES])
        index = np.arange(MD5_VIDEO_BYTES, dtype=np.uint64)
        expected = (
            (((index * np.uint64(2654435761)) & np.uint64(0xFFFFFFFF)) >> np.uint64(24)).astype(np.uint8).tobytes()
        )
        video_ok = video["hex"] == hashlib.md5(expected, usedforsecurity=False).hexdigest()
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
        "max_dihedral_distance_vs_python": max(r["dihedral_distance_python"] for r in results),
        "max_dihedral_distance_vs_reference": max(r["dihedral_distance_reference"] for r in results),
        "md5_equal_hashlib": sum(1 for r in results if r["md5_equal"]),
        "md5_video_mib": MD5_VIDEO_BYTES // (1024 * 1024),
        "md5_video_equal_hashlib": video_ok,
        "md5_video_mib_per_s": round(MD5_VIDEO_BYTES / (1024 * 1024) / (video["ms"] / 1000), 1),
        "mean_distance": round(sum(r["distance"] for r in results) / len(results), 2),
        "exact": sum(1 for r in results if r["distance"] == 0),
        "tolerance": TOLERANCE,
        "targets_met": max(r["distance"] for r in good) <= TOLERANCE
        and max(r["distance_same_pixels"] for r in results) == 0
        and max(r["dihedral_distance_python"] for r in good) <= TOLERANCE
        and all(r["md5_equal"] for r in results)
        and video_ok,
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
