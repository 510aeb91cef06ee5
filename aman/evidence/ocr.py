"""Read the text in a screenshot with Tesseract (Debian's ``tesseract-ocr`` with ara, fra, eng).

Tesseract runs as a separate process with a time limit, reading the clean working copy from
standard input, so a hostile image can at worst time out. Small screenshots are enlarged first:
Tesseract reads 10-pixel chat text poorly.
"""

from __future__ import annotations

import io
import shutil
import subprocess

from django.conf import settings
from PIL import Image, ImageOps


class OcrUnavailable(Exception):
    """Tesseract (or one of its language files) is not installed here."""


class OcrFailed(Exception):
    """Tesseract ran but could not read the image (or took too long)."""


def tesseract_path() -> str | None:
    return shutil.which("tesseract")


def ocr_available() -> bool:
    return bool(settings.AMAN_OCR_ENABLED) and tesseract_path() is not None


def _prepare(image_bytes: bytes) -> bytes:
    image = Image.open(io.BytesIO(image_bytes))
    image.load()
    grey = ImageOps.grayscale(image)
    if grey.width < 1400:
        factor = min(3.0, 1400 / max(1, grey.width))
        grey = grey.resize((int(grey.width * factor), int(grey.height * factor)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    grey.save(out, format="PNG")
    return out.getvalue()


def read_text(image_bytes: bytes, *, languages: str | None = None) -> str:
    binary = tesseract_path()
    if not binary or not settings.AMAN_OCR_ENABLED:
        raise OcrUnavailable("tesseract is not installed or text reading is switched off")
    try:
        completed = subprocess.run(  # noqa: S603 - fixed binary, no shell, our own arguments
            [binary, "stdin", "stdout", "-l", languages or settings.AMAN_OCR_LANGUAGES, "--psm", "3"],
            input=_prepare(image_bytes),
            capture_output=True,
            timeout=settings.AMAN_OCR_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrFailed("tesseract timed out") from exc
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace")[-300:]
        if "Failed loading language" in message or "Error opening data file" in message:
            raise OcrUnavailable(message)
        raise OcrFailed(message)
    return completed.stdout.decode("utf-8", "replace").strip()
