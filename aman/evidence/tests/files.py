"""Synthetic files for evidence tests: real encodings made on the fly, hostile ones crafted by hand."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw


def picture(width: int = 400, height: int = 300, *, text: str = "") -> Image.Image:
    image = Image.new("RGB", (width, height), (235, 240, 250))
    draw = ImageDraw.Draw(image)
    for i in range(0, width, 25):
        draw.line([(i, 0), (width - i, height)], fill=(i % 255, 80, 160), width=3)
    draw.ellipse([width // 4, height // 4, width // 2, height // 2], fill=(200, 40, 40))
    if text:
        draw.text((10, 10), text, fill=(0, 0, 0))
    return image


def jpeg_with_gps(width: int = 400, height: int = 300) -> bytes:
    image = picture(width, height)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model-X"  # Model
    exif[0x0112] = 6  # orientation: rotate 90
    gps = {1: "N", 2: (33.0, 18.0, 50.0), 3: "E", 4: (44.0, 21.0, 40.0)}  # Baghdad, synthetic
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), quality=90)
    return out.getvalue()


def encoded(fmt: str, width: int = 320, height: int = 240, **kwargs: object) -> bytes:
    out = io.BytesIO()
    picture(width, height).save(out, format=fmt, **kwargs)
    return out.getvalue()


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header claims a huge image (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    body = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.bin", b"\x00" * (20 * 1024 * 1024))
    return out.getvalue()


def mp4(*, moov: bool = True) -> bytes:
    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", 8 + len(payload)) + kind + payload

    ftyp = box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2avc1mp41")
    boxes = ftyp + box(b"free", b"") + box(b"mdat", b"\x00" * 64)
    if moov:
        boxes += box(b"moov", box(b"mvhd", b"\x00" * 100))
    return boxes


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
