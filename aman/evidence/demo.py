"""Demo evidence: a few synthetic screenshots and a chat export on the demo cases (never real data)."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from aman.cases.models import Case
from aman.core.pdf import FONT_DIR
from aman.evidence.models import EvidenceItem
from aman.evidence.services import evidence_files_add


def _screenshot(lines: list[str]) -> bytes:
    font = ImageFont.truetype(str(FONT_DIR / "NotoSans-Regular.ttf"), 30)
    image = Image.new("RGB", (900, 120 + 70 * len(lines)), (246, 247, 249))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 900, 70], fill=(40, 90, 160))
    draw.text((24, 18), "Messages", fill="white", font=font)
    for i, line in enumerate(lines):
        draw.rounded_rectangle(
            [20, 90 + 70 * i, 860, 145 + 70 * i], radius=16, fill=(255, 255, 255), outline=(210, 210, 210)
        )
        draw.text((40, 100 + 70 * i), line, fill=(20, 20, 20), font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


DEMO_FILES = [
    ("chat-1.png", ["@demo_blackmailer: pay 300 or I post the photos", "@demo_blackmailer: you have until tonight"]),
    ("profile.png", ["@fake_demo_profile", "Bio: official page (this is a fake, synthetic demo)"]),
]


def load(stdout: Any) -> None:
    if EvidenceItem.objects.exists():
        return
    cases = list(Case.objects.filter(purged_at__isnull=True).order_by("id")[:4])
    added = 0
    for case, (name, lines) in zip(cases, DEMO_FILES * 2, strict=False):
        uploads: list[Any] = [SimpleUploadedFile(name, _screenshot(lines), content_type="image/png")]
        if case.language == "ar":
            chat = "[21/11/2026 10:02] demo_account: ادفع أو أنشر الصور\n[21/11/2026 10:05] أنا: أرجوك توقف\n"
            uploads.append(SimpleUploadedFile("chat.txt", chat.encode(), content_type="text/plain"))
        added += len(evidence_files_add(case=case, files=uploads, by_reporter=True).added)
    stdout.write(f"Loaded {added} synthetic evidence files.")
