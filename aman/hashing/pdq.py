"""PDQ hashes of images, their quality and the 8 dihedral variants, through Meta's PDQ code.

The hashing itself is Meta's C++ reference implementation, reached through the ``pdqhash``
bindings (PyPI); images are decoded by Pillow, EXIF orientation applied, and converted to RGB,
exactly as ../shared/data/pdq-reference was made. Before hashing, black letterbox bars are cut
off (as ThreatExchange's ``unletterbox`` does), so a screenshot or a re-framed copy still
matches the original.

A hash of quality under 50 is flagged: such images (flat, nearly blank) give hashes that match
too much and are not to be trusted.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt
import pdqhash
from PIL import Image, ImageOps, UnidentifiedImageError

QUALITY_THRESHOLD = 50
LETTERBOX_BLACK_THRESHOLD = 15
# The order of pdqhash's output and of the reference CSV's columns.
DIHEDRAL_NAMES = (
    "original",
    "rotate90",
    "rotate180",
    "rotate270",
    "flipx",
    "flipy",
    "flip_plus1",
    "flip_minus1",
)
# Larger images are refused rather than decoded (a decompression bomb); about 16k x 11k.
MAX_PIXELS = 180_000_000


class ImageError(ValueError):
    """The file is not an image Pillow can decode (or is too large to decode safely)."""


@dataclass(frozen=True)
class PdqHashes:
    """The PDQ hash of an image, its quality and the hashes of its 8 dihedral variants.

    ``dihedral[0]`` is ``hash``; the rest follow DIHEDRAL_NAMES. ``letterbox`` is the crop box
    (left, top, right, bottom) kept after removing black bars, or None when none were removed;
    ``uncropped`` is then the hash of the whole image, for matching banks made without removal.
    """

    hash: str
    quality: int
    dihedral: tuple[str, ...]
    letterbox: tuple[int, int, int, int] | None = None
    uncropped: str | None = None

    @property
    def low_quality(self) -> bool:
        return self.quality < QUALITY_THRESHOLD


def _bits_to_hex(bits: npt.NDArray[np.integer]) -> str:
    return np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes().hex()


def decode_image(source: str | Path | bytes | BinaryIO | Image.Image) -> npt.NDArray[np.uint8]:
    """Decode to an (h, w, 3) uint8 RGB array, EXIF orientation applied."""
    if isinstance(source, Image.Image):
        image = source
    else:
        stream: str | Path | BinaryIO = io.BytesIO(source) if isinstance(source, bytes) else source
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image = Image.open(stream)
                if image.width * image.height > MAX_PIXELS:
                    raise ImageError(f"image too large to hash ({image.width}x{image.height})")
                image.load()
        except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
            raise ImageError(f"not a decodable image: {exc}") from exc
        except Image.DecompressionBombWarning as exc:
            raise ImageError(f"image too large to hash: {exc}") from exc
    with contextlib.suppress(OSError, ValueError, SyntaxError):  # broken EXIF: hash the pixels as stored
        image = ImageOps.exif_transpose(image) or image
    return np.asarray(image.convert("RGB"), dtype=np.uint8)


def _dark_run(get: Callable[[int, int], npt.NDArray[np.uint8]], n: int, threshold: int) -> int:
    """How many lines, from the edge inwards, are dark all along; ``get(i, j)`` gives lines i..j."""
    i = 0
    while i < n:
        j = min(n, i + (1 if i == 0 else 16))
        dark: npt.NDArray[np.bool_] = np.all(get(i, j) <= threshold, axis=(1, 2))
        if not dark.all():
            return i + int(np.argmin(dark))
        i = j
    return n


def letterbox_box(
    rgb: npt.NDArray[np.uint8], threshold: int = LETTERBOX_BLACK_THRESHOLD
) -> tuple[int, int, int, int] | None:
    """The box (left, top, right, bottom) inside black bars, or None when there are none.

    A bar is a run of whole rows (top, bottom) or columns (left, right) at the edge whose every
    channel is at most ``threshold``. An image that is black all over is left alone. Only the
    edges are read: an image without bars costs four lines.
    """
    h, w = rgb.shape[:2]
    top = _dark_run(lambda i, j: rgb[i:j], h, threshold)
    if top == h:
        return None
    bottom = _dark_run(lambda i, j: rgb[h - j : h - i][::-1], h, threshold)
    left = _dark_run(lambda i, j: rgb[:, i:j].transpose(1, 0, 2), w, threshold)
    right = _dark_run(lambda i, j: rgb[:, w - j : w - i][:, ::-1].transpose(1, 0, 2), w, threshold)
    if top == bottom == left == right == 0:
        return None
    return left, top, w - right, h - bottom


def _pdq(rgb: npt.NDArray[np.uint8]) -> tuple[list[str], int]:
    vectors, quality = pdqhash.compute_dihedral(np.ascontiguousarray(rgb))
    return [_bits_to_hex(v) for v in vectors], int(quality)


def hash_pixels(rgb: npt.NDArray[np.uint8], *, unletterbox: bool = True) -> PdqHashes:
    """PDQ hashes of an (h, w, 3) uint8 RGB array."""
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError("expected an (h, w, 3) uint8 RGB array")
    if min(rgb.shape[:2]) < 1:
        raise ImageError("empty image")
    box = letterbox_box(rgb) if unletterbox else None
    if box is None:
        hashes, quality = _pdq(rgb)
        return PdqHashes(hashes[0], quality, tuple(hashes))
    left, top, right, bottom = box
    hashes, quality = _pdq(rgb[top:bottom, left:right])
    whole, _ = _pdq(rgb)
    return PdqHashes(hashes[0], quality, tuple(hashes), letterbox=box, uncropped=whole[0])


def hash_image(source: str | Path | bytes | BinaryIO | Image.Image, *, unletterbox: bool = True) -> PdqHashes:
    """PDQ hash, quality and dihedral hashes of an image file, bytes, stream or Pillow image."""
    return hash_pixels(decode_image(source), unletterbox=unletterbox)
