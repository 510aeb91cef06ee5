"""Files are judged by their bytes: good ones pass with clean working copies, hostile ones are refused."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from aman.evidence import errors
from aman.evidence.tests import files
from aman.evidence.validation import check_file


def test_jpeg_loses_exif_and_gps_but_keeps_the_original_hash() -> None:
    import hashlib

    data = files.jpeg_with_gps()
    assert b"PhoneMaker" in data
    checked = check_file(data)
    assert checked.kind == "image" and checked.detected_type == "image/jpeg"
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.metadata_removed
    working = Image.open(io.BytesIO(checked.working))
    assert not working.getexif()
    assert b"PhoneMaker" not in checked.working and b"Exif" not in checked.working
    # The orientation tag was applied to the pixels: a 400x300 photo rotated by 90 degrees.
    assert (checked.width, checked.height) == (300, 400)
    assert len(checked.pdq) == 64 and checked.pdq_quality is not None and len(checked.pdq_dihedral) == 8


@pytest.mark.parametrize(("fmt", "mime"), [("PNG", "image/png"), ("WEBP", "image/webp"), ("JPEG", "image/jpeg")])
def test_supported_images(fmt: str, mime: str) -> None:
    checked = check_file(files.encoded(fmt))
    assert checked.detected_type == mime
    assert checked.working_type in ("image/png", "image/jpeg")


def test_heic_when_the_library_reads_it() -> None:
    pillow_heif = pytest.importorskip("pillow_heif")
    out = io.BytesIO()
    pillow_heif.from_pillow(files.picture()).save(out, quality=80)
    checked = check_file(out.getvalue())
    assert checked.detected_type in ("image/heic", "image/heif") and checked.working_type == "image/jpeg"


def test_png_text_chunks_are_dropped() -> None:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Secret Person")
    out = io.BytesIO()
    files.picture().save(out, format="PNG", pnginfo=info)
    checked = check_file(out.getvalue())
    assert b"Secret Person" not in checked.working


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", errors.FileEmpty),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", errors.LooksLikeWebPage),
        (b"  <svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", errors.LooksLikeWebPage),
        ("\ufeff<html><body>hi</body></html>".encode(), errors.LooksLikeWebPage),
        (files.png_bomb(), errors.ImageTooLarge),
        (files.zip_bomb(), errors.ArchiveRefused),
        (files.encoded("JPEG")[:-400], errors.FileDamaged),
        (files.encoded("PNG")[:200], errors.FileDamaged),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 64, errors.FileDamaged),
        (files.mp4(moov=False), errors.FileDamaged),
        (files.mp4()[:-10], errors.FileDamaged),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\n", errors.FileDamaged),
        (b"MZ\x90\x00\x03" + b"\x00" * 200, errors.UnsupportedType),
        (b"GIF89a" + b"\x00" * 100, errors.UnsupportedType),
        (bytes(range(256)) * 4, errors.UnsupportedType),
        ("ملف نصي\x00مع صفر".encode(), errors.UnsupportedType),
    ],
    ids=[
        "empty",
        "html",
        "svg",
        "html-bom",
        "decompression-bomb",
        "zip-bomb",
        "truncated-jpeg",
        "truncated-png",
        "jpeg-magic-garbage",
        "mp4-without-moov",
        "mp4-cut",
        "pdf-without-trailer",
        "windows-exe",
        "gif",
        "binary",
        "text-with-nul",
    ],
)
def test_hostile_files_are_refused(data: bytes, error: type[errors.EvidenceRejected]) -> None:
    with pytest.raises(error):
        check_file(data)


def test_html_named_as_image_is_refused_by_content() -> None:
    # The name and the browser's content type never reach the check: only the bytes do.
    with pytest.raises(errors.LooksLikeWebPage):
        check_file(b"<html><img src=x onerror=alert(1)></html>")


def test_polyglot_jpeg_with_appended_html_is_cleaned() -> None:
    data = files.encoded("JPEG") + b"<html><script>alert(1)</script></html>"
    checked = check_file(data)
    assert checked.kind == "image"
    assert b"<script>" not in checked.working  # the working copy is re-encoded pixels only


def test_oversized_file(settings: object) -> None:
    settings.AMAN_EVIDENCE_MAX_FILE_MB = 1  # type: ignore[attr-defined]
    with pytest.raises(errors.FileTooLarge):
        check_file(b"a" * (1024 * 1024 + 1))


def test_mp4_pdf_and_chat_export() -> None:
    assert check_file(files.mp4()).kind == "video"
    assert check_file(files.pdf()).kind == "pdf"
    chat = "[21/11/2026, 10:01] @blackmailer: ادفع أو أنشر الصور\n".encode()
    checked = check_file(chat)
    assert checked.kind == "text" and checked.working.decode() == chat.decode()
    utf16 = "مرحبا\r\nسلام".encode("utf-16")
    assert check_file(utf16).working.decode() == "مرحبا\nسلام"


@settings(max_examples=150, deadline=None)
@given(st.binary(min_size=1, max_size=4096))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    try:
        checked = check_file(data)
    except errors.EvidenceRejected:
        return
    assert checked.sha256 and checked.kind in ("image", "video", "pdf", "text")


def test_truncated_images_stay_refused_after_a_pdf_was_rendered() -> None:
    from aman.core.pdf import render_pdf

    render_pdf(template_name="pdf/_word.html", context={"word": "x"}, language="en")
    with pytest.raises(errors.FileDamaged):
        check_file(files.encoded("JPEG")[:-400])
