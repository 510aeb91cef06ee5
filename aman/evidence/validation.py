"""What a file really is, decided by its content, and the clean working copy staff will see.

Nothing here trusts a file name or a browser's content type. A file is sniffed by its bytes
(``filetype`` for the magic numbers, then a deeper check per kind): images must decode
completely in Pillow within a pixel budget (no decompression bombs), videos must be well-formed
MP4 boxes, PDFs must have a header and a trailer, text must be text and not a web page.
Archives are refused unopened (so a zip bomb is never expanded).

Images are re-encoded from their pixels alone: orientation applied, every EXIF, GPS, XMP and
text chunk gone. The hashes of the original bytes are kept, and its PDQ hash is computed from
the pixels (through ``aman.hashing``).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import warnings
from dataclasses import dataclass, field

import filetype
import numpy as np
from django.conf import settings
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from aman.evidence import errors
from aman.evidence.models import EvidenceKind

try:  # HEIC/HEIF from iPhones, where the wheel is present
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF = True
except ImportError:  # pragma: no cover - the dependency is in requirements/base.txt
    HEIF = False

IMAGE_TYPES = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WEBP",
    "image/heic": "HEIF",
    "image/heif": "HEIF",
    "image/avif": "AVIF",
}
VIDEO_BRANDS = {
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"M4V ",
    b"dash",
    b"3gp4",
    b"3gp5",
}
ARCHIVE_TYPES = {
    "application/zip",
    "application/gzip",
    "application/x-bzip2",
    "application/x-xz",
    "application/x-7z-compressed",
    "application/x-rar-compressed",
    "application/x-tar",
    "application/zstd",
    "application/x-lzip",
    "application/x-brotli",
}
WEB_MARKERS = (b"<!doctype html", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<head", b"<iframe", b"<meta")


@dataclass
class CheckedFile:
    """A file that passed: its kind, the original bytes and hashes, and the working copy."""

    kind: str
    detected_type: str
    original: bytes
    sha256: str
    md5: str
    working: bytes
    working_type: str
    metadata_removed: bool = False
    width: int | None = None
    height: int | None = None
    pdq: str = ""
    pdq_quality: int | None = None
    pdq_dihedral: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.original)

    @property
    def working_sha256(self) -> str:
        return self.sha256 if self.working == self.original else hashlib.sha256(self.working).hexdigest()


def max_file_bytes() -> int:
    return int(settings.AMAN_EVIDENCE_MAX_FILE_MB) * 1024 * 1024


def _looks_like_web_page(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff"):
        head = head[2:].replace(b"\x00", b"")
    return any(marker in head[:1024] for marker in WEB_MARKERS)


def check_file(data: bytes) -> CheckedFile:
    """Decide what ``data`` is and make its working copy, or raise an EvidenceRejected error."""
    if not data:
        raise errors.FileEmpty()
    if len(data) > max_file_bytes():
        raise errors.FileTooLarge()
    guess = filetype.guess(data[:8192])
    mime = guess.mime if guess else ""
    if mime in ARCHIVE_TYPES:
        raise errors.ArchiveRefused()
    if mime in IMAGE_TYPES:
        return _check_image(data, mime)
    if mime in ("video/mp4", "video/x-m4v") or (mime == "" and data[4:8] == b"ftyp"):
        return _check_mp4(data)
    if mime == "application/pdf":
        return _check_pdf(data)
    if _looks_like_web_page(data):
        raise errors.LooksLikeWebPage()
    if not mime:
        return _check_text(data)
    raise errors.UnsupportedType()


def _digests(data: bytes) -> tuple[str, str]:
    return hashlib.sha256(data).hexdigest(), hashlib.md5(data, usedforsecurity=False).hexdigest()


def _open_image(data: bytes, expected_format: str) -> Image.Image:
    """Decode completely, within the pixel budget; refuse anything that does not decode cleanly."""
    # Refuse truncated files. WeasyPrint switches this global on when it is imported, so say it here.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format != expected_format:
                raise errors.UnsupportedType()
            if image.width * image.height > settings.AMAN_EVIDENCE_MAX_PIXELS:
                raise errors.ImageTooLarge()
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise errors.ImageTooLarge() from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise errors.FileDamaged() from exc
    return image


def _check_image(data: bytes, mime: str) -> CheckedFile:
    from aman.hashing.pdq import hash_pixels

    image = _open_image(data, IMAGE_TYPES[mime])
    with contextlib.suppress(OSError, ValueError, SyntaxError):  # broken EXIF: keep the pixels as stored
        image = ImageOps.exif_transpose(image) or image
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    clean = image.convert("RGBA" if has_alpha else "RGB")
    if clean is image:  # convert() may hand back the same object; never touch the decoded original
        clean = image.copy()
    # Pillow writes only what save() is given: with no exif/icc/pnginfo arguments and the info
    # dict emptied, no EXIF, GPS, XMP, ICC or text chunk survives (the tests check the bytes).
    clean.info = {}
    out = io.BytesIO()
    if mime == "image/png" or has_alpha:
        clean.save(out, format="PNG", optimize=False)
        working_type = "image/png"
    else:
        clean.save(out, format="JPEG", quality=90)
        working_type = "image/jpeg"
    rgb = np.asarray(clean.convert("RGB") if has_alpha else clean)
    hashes = hash_pixels(rgb)
    sha256, md5 = _digests(data)
    return CheckedFile(
        kind=EvidenceKind.IMAGE,
        detected_type=mime,
        original=data,
        sha256=sha256,
        md5=md5,
        working=out.getvalue(),
        working_type=working_type,
        metadata_removed=True,
        width=clean.width,
        height=clean.height,
        pdq=hashes.hash,
        pdq_quality=hashes.quality,
        pdq_dihedral=list(hashes.dihedral),
    )


def _check_mp4(data: bytes) -> CheckedFile:
    """Walk the top-level ISO-BMFF boxes: they must tile the file exactly, start with ftyp, hold moov."""
    offset, seen = 0, []
    while offset < len(data):
        if len(data) - offset < 8:
            raise errors.FileDamaged()
        size = int.from_bytes(data[offset : offset + 4], "big")
        box = data[offset + 4 : offset + 8]
        header = 8
        if size == 1:
            if len(data) - offset < 16:
                raise errors.FileDamaged()
            size, header = int.from_bytes(data[offset + 8 : offset + 16], "big"), 16
        elif size == 0:
            size = len(data) - offset
        if size < header or offset + size > len(data) or not box.isascii():
            raise errors.FileDamaged()
        seen.append(box)
        offset += size
    if not seen or seen[0] != b"ftyp" or len(data) < 16:
        raise errors.UnsupportedType()
    if data[8:12] not in VIDEO_BRANDS:
        raise errors.UnsupportedType()
    if b"moov" not in seen:
        raise errors.FileDamaged()
    return _kept_as_received(data, EvidenceKind.VIDEO, "video/mp4")


def _check_pdf(data: bytes) -> CheckedFile:
    if not data.startswith(b"%PDF-1.") and not data.startswith(b"%PDF-2."):
        raise errors.UnsupportedType()
    if b"%%EOF" not in data[-2048:]:
        raise errors.FileDamaged()
    return _kept_as_received(data, EvidenceKind.PDF, "application/pdf")


def _kept_as_received(data: bytes, kind: str, mime: str) -> CheckedFile:
    """Kinds whose working copy is the file itself (nothing to strip that we can strip safely)."""
    sha256, md5 = _digests(data)
    return CheckedFile(
        kind=kind, detected_type=mime, original=data, sha256=sha256, md5=md5, working=data, working_type=mime
    )


def _decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


def _check_text(data: bytes) -> CheckedFile:
    """An exported chat: text in UTF-8 (or UTF-16 with a byte-order mark), no binary, no markup."""
    try:
        text = _decode_text(data)
    except UnicodeDecodeError as exc:
        raise errors.UnsupportedType() from exc
    if "\x00" in text:
        raise errors.UnsupportedType()
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\x0c")
    if controls > max(2, len(text) // 100):
        raise errors.UnsupportedType()
    if _looks_like_web_page(text.encode("utf-8")):
        raise errors.LooksLikeWebPage()
    working = text.replace("\r\n", "\n").encode("utf-8")
    sha256, md5 = _digests(data)
    return CheckedFile(
        kind=EvidenceKind.TEXT,
        detected_type="text/plain",
        original=data,
        sha256=sha256,
        md5=md5,
        working=working,
        working_type="text/plain; charset=utf-8",
    )
