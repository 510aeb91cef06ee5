import csv
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from aman.hashing.codec import hamming
from aman.hashing.files import hash_file
from aman.hashing.pdq import DIHEDRAL_NAMES, ImageError, hash_image, hash_pixels, letterbox_box

REFERENCE = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "pdq-reference"


def picture(h: int = 300, w: int = 400, seed: int = 0) -> np.ndarray:
    """A smooth synthetic picture (PDQ quality high): blobs of colour, no real image."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    img = np.zeros((h, w, 3), dtype=np.float32)
    for _ in range(12):
        cy, cx, r = rng.uniform(0, h), rng.uniform(0, w), rng.uniform(20, 120)
        img += np.exp(-((y - cy) ** 2 + (x - cx) ** 2) / (2 * r * r))[..., None] * rng.uniform(0, 120, size=3)
    return np.clip(img + 20, 0, 255).astype(np.uint8)


def png_bytes(rgb: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="PNG")
    return buf.getvalue()


def test_hash_has_quality_and_eight_variants():
    result = hash_image(png_bytes(picture()))
    assert len(result.hash) == 64
    assert len(result.dihedral) == len(DIHEDRAL_NAMES) == 8
    assert result.dihedral[0] == result.hash
    assert len(set(result.dihedral)) == 8
    assert result.quality >= 50 and not result.low_quality


def test_rotated_and_mirrored_copies_are_caught_by_the_variants():
    rgb = picture(seed=1)
    base = hash_pixels(rgb)
    for turned, name in [(np.rot90(rgb, 1), "rotate90"), (rgb[:, ::-1], "flipy"), (rgb[::-1], "flipx")]:
        h = hash_pixels(np.ascontiguousarray(turned)).hash
        assert hamming(h, base.hash) > 31
        assert min(hamming(h, v) for v in base.dihedral) <= 16, name  # well inside the match threshold 31


def test_flat_image_is_flagged_low_quality():
    flat = np.full((200, 200, 3), 128, dtype=np.uint8)
    result = hash_pixels(flat)
    assert result.quality < 50 and result.low_quality


def test_letterbox_removed_before_hashing():
    rgb = picture(seed=2)
    boxed = np.zeros((rgb.shape[0] + 120, rgb.shape[1] + 40, 3), dtype=np.uint8)
    boxed[60:-60, 20:-20] = rgb
    boxed[:60] = 7  # near-black bars, as after JPEG compression
    assert letterbox_box(boxed) == (20, 60, 20 + rgb.shape[1], 60 + rgb.shape[0])
    plain, cropped = hash_pixels(rgb), hash_pixels(boxed)
    assert cropped.hash == plain.hash
    assert cropped.letterbox == (20, 60, 420, 360)
    assert cropped.uncropped is not None and hamming(cropped.uncropped, plain.hash) > 0
    kept = hash_pixels(boxed, unletterbox=False)
    assert kept.hash == cropped.uncropped and kept.letterbox is None


def test_all_black_image_is_not_cropped_to_nothing():
    assert letterbox_box(np.zeros((50, 50, 3), dtype=np.uint8)) is None
    assert hash_pixels(np.zeros((50, 50, 3), dtype=np.uint8)).low_quality


def test_not_an_image():
    with pytest.raises(ImageError):
        hash_image(b"%PDF-1.4 not an image")


def test_any_file_gets_md5_and_sha256(tmp_path):
    doc = tmp_path / "video.mp4"
    doc.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 10)
    result = hash_file(doc)
    assert result.pdq is None
    import hashlib

    data = doc.read_bytes()
    assert result.md5 == hashlib.md5(data, usedforsecurity=False).hexdigest()
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    img = tmp_path / "p.png"
    img.write_bytes(png_bytes(picture()))
    assert hash_file(img).pdq is not None


@pytest.mark.skipif(not (REFERENCE / "reference.csv").exists(), reason="../shared/data/pdq-reference is missing")
def test_matches_the_reference_implementation():
    columns = [f"pdq_{name}" for name in DIHEDRAL_NAMES]
    worst = 0
    with open(REFERENCE / "reference.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 40
    for row in rows:
        result = hash_image(REFERENCE / row["image"], unletterbox=False)
        worst = max(worst, *(hamming(a, row[c]) for a, c in zip(result.dihedral, columns, strict=True)))
        assert abs(result.quality - int(row["quality"])) <= 5, row["image"]
    # Same C++ code as the reference: expect 0; allow a few bits for another JPEG decoder build.
    assert worst <= 4


def whole_image_letterbox(rgb: np.ndarray, threshold: int = 15):
    """The definition, over the whole image (what letterbox_box computes from the edges only)."""
    dark = (rgb <= threshold).all(axis=2)
    rows, cols = dark.all(axis=1), dark.all(axis=0)
    if rows.all():
        return None
    top, bottom = int(np.argmin(rows)), len(rows) - int(np.argmin(rows[::-1]))
    left, right = int(np.argmin(cols)), len(cols) - int(np.argmin(cols[::-1]))
    if (top, bottom, left, right) == (0, len(rows), 0, len(cols)):
        return None
    return left, top, right, bottom


def test_letterbox_edges_agree_with_the_whole_image_definition():
    rng = np.random.default_rng(0)
    for _ in range(1500):
        h, w = (int(v) for v in rng.integers(1, 60, 2))
        img = rng.integers(0, 256, (h, w, 3)).astype(np.uint8)
        for _ in range(int(rng.integers(0, 4))):
            side, k = int(rng.integers(4)), int(rng.integers(1, max(h, w)))
            if side == 0:
                img[:k] = rng.integers(0, 16)
            elif side == 1:
                img[max(0, h - k) :] = 0
            elif side == 2:
                img[:, :k] = 3
            else:
                img[:, max(0, w - k) :] = 15
        if rng.random() < 0.05:
            img[:] = 0
        assert letterbox_box(img) == whole_image_letterbox(img)


def test_package_exports_the_image_side_lazily():
    import aman.hashing

    assert aman.hashing.hash_file is hash_file
    assert aman.hashing.hash_image is hash_image
    with pytest.raises(AttributeError):
        _ = aman.hashing.no_such_name
