"""Safe viewing: a small, blurred, greyscale copy of a picture, shown until the agent chooses to look."""

from __future__ import annotations

import io

from PIL import Image, ImageFilter, ImageOps

PREVIEW_SIDE = 480
BLUR_RADIUS = 14


def safe_preview(image_bytes: bytes, *, blur: bool, greyscale: bool, side: int = PREVIEW_SIDE) -> bytes:
    source = Image.open(io.BytesIO(image_bytes))
    source.draft("RGB", (side, side))  # JPEG: decode at a fraction of the size, much faster
    image: Image.Image = source.convert("RGB")
    image.thumbnail((side, side))
    if greyscale:
        image = ImageOps.grayscale(image)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(BLUR_RADIUS))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    return out.getvalue()
