"""Certificates of participation: one PDF per participant, in the workshop's language, with a QR code.

The QR code is an SVG ``data:`` URI (segno), so the renderer fetches nothing. It encodes the
absolute public verification URL, built from ``AMAN_PUBLIC_URL``.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

from aman.core.pdf import render_pdf
from aman.training.models import Certificate, Participant


def verify_url(code: str) -> str:
    base = str(getattr(settings, "AMAN_PUBLIC_URL", "http://127.0.0.1:8000")).rstrip("/")
    return base + reverse("training:verify", args=[code])


def qr_data_uri(url: str) -> str:
    import segno

    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=2))


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def certificate_context(certificate: Certificate) -> dict[str, Any]:
    participant = certificate.participant
    workshop = participant.workshop
    language = workshop.language
    url = verify_url(certificate.code)
    with translation.override(language):
        date = formats.date_format(workshop.date, "j F Y")
    return {
        "name": participant.full_name,
        "workshop_title": workshop.title,
        "date": date,
        "region": workshop.region.label_for(language),
        "code": format_code(certificate.code),
        "verify_url": url,
        "qr": qr_data_uri(url),
    }


def certificate_pdf(certificate: Certificate) -> bytes:
    language = certificate.participant.workshop.language
    return render_pdf(
        template_name="training/certificate_pdf.html",
        context=certificate_context(certificate),
        language=language,
    )


def certificate_filename(participant: Participant, code: str) -> str:
    """ASCII file name inside the ZIP: the code (unique), never the person's name."""
    return f"certificate-{participant.pk}-{code}.pdf"


def write_zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()
