"""Text in screenshots, read by the real Tesseract, becomes searchable on the case."""

import io
import os
from typing import Any

import pytest
from django.conf import settings
from PIL import Image, ImageDraw, ImageFont, features

from aman.cases.selectors import CaseFilters, case_queue
from aman.evidence import services
from aman.evidence.models import OcrStatus
from aman.evidence.ocr import tesseract_path
from aman.evidence.tests import files

FONTS = settings.BASE_DIR / "static" / "fonts"


def _require_tesseract() -> None:
    if tesseract_path() is None:
        if os.environ.get("CI"):
            pytest.fail("tesseract-ocr must be installed in CI")
        pytest.skip("tesseract is not installed")


def _screenshot(lines: list[str], font_name: str, direction: str | None = None) -> bytes:
    font = ImageFont.truetype(str(FONTS / font_name), 40)
    image = Image.new("RGB", (1200, 110 * len(lines) + 60), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        kwargs = {"direction": direction} if direction else {}
        draw.text((40, 40 + 110 * i), line, fill="black", font=font, **kwargs)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def ocr_on(settings: Any) -> None:
    _require_tesseract()
    settings.AMAN_OCR_ENABLED = True


@pytest.mark.django_db
def test_handle_and_threat_in_a_screenshot_become_searchable(
    ocr_on: None, case: Any, agent: Any, django_capture_on_commit_callbacks: Any
) -> None:
    shot = _screenshot(["@blackmailer_99: send 500 dollars", "or I publish everything tonight"], "NotoSans-Regular.ttf")
    with django_capture_on_commit_callbacks(execute=True):
        result = services.evidence_files_add(case=case, files=[files.upload("chat.png", shot)], by_reporter=True)
    item = result.added[0]
    item.refresh_from_db()  # the task ran in-process (no broker in tests), after commit
    assert item.ocr_status == OcrStatus.DONE
    assert "blackmailer" in item.ocr_text and "publish" in item.ocr_text
    found = case_queue(user=agent, filters=CaseFilters(queue="all", q="blackmailer_99"))
    assert list(found) == [case]


@pytest.mark.django_db
def test_arabic_text_is_read(ocr_on: None, case: Any, django_capture_on_commit_callbacks: Any) -> None:
    if not features.check("raqm"):
        pytest.skip("Pillow here cannot draw shaped Arabic to make the test image")
    shot = _screenshot(["ادفع المبلغ أو سأنشر الصور"], "NotoNaskhArabic-Regular.ttf", direction="rtl")
    with django_capture_on_commit_callbacks(execute=True):
        added = services.evidence_files_add(case=case, files=[files.upload("ar.png", shot)], by_reporter=True)
    item = added.added[0]
    item.refresh_from_db()
    assert item.ocr_status == OcrStatus.DONE
    assert "الصور" in item.ocr_text or "المبلغ" in item.ocr_text


@pytest.mark.django_db
def test_without_tesseract_the_item_says_so(settings: Any, case: Any) -> None:
    settings.AMAN_OCR_ENABLED = False
    item = services.evidence_files_add(
        case=case, files=[files.upload("a.png", files.encoded("PNG"))], by_reporter=True
    ).added[0]
    item.refresh_from_db()
    assert item.ocr_status == OcrStatus.UNAVAILABLE
