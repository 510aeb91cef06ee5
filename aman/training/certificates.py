"""Certificates of participation: one PDF per participant, in the workshop's language, with a QR code.

The QR code is an SVG ``data:`` URI (segno), so the renderer fetches nothing. It encodes the
absolute public verification URL, built from ``AMAN_PUBLIC_URL``.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
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


TEMPLATE = "training/certificate_pdf.html"
BATCH_SIZE = 50


def certificate_pdf(certificate: Certificate) -> bytes:
    language = certificate.participant.workshop.language
    return render_pdf(
        template_name=TEMPLATE, context={"certificates": [certificate_context(certificate)]}, language=language
    )


def certificate_pdfs(certificates: list[Certificate], *, language: str) -> Iterator[tuple[Certificate, bytes]]:
    """One PDF per certificate, made in batches: each batch is laid out once as a document of one
    page per certificate (fonts and styles loaded once), then each page is written as its own PDF.
    About three times less CPU than one ``render_pdf`` per certificate. Same template, fonts and
    no-network fetcher as ``render_pdf``.
    """
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from aman.core.pdf import FONT_DIR, _fetcher, font_faces_css

    font_config = FontConfiguration()
    for start in range(0, len(certificates), BATCH_SIZE):
        chunk = certificates[start : start + BATCH_SIZE]
        with translation.override(language):
            html = render_to_string(
                TEMPLATE,
                {
                    "certificates": [certificate_context(c) for c in chunk],
                    "language_code": language,
                    "language_dir": "rtl" if translation.get_language_bidi() else "ltr",
                    "font_faces_css": font_faces_css(),
                },
            )
        document = HTML(string=html, base_url=str(FONT_DIR), url_fetcher=_fetcher()).render(font_config=font_config)
        if len(document.pages) != len(chunk):  # a name so long it overflowed a page: fall back, one by one
            for certificate in chunk:
                yield certificate, certificate_pdf(certificate)
            continue
        for certificate, page in zip(chunk, document.pages, strict=True):
            yield certificate, document.copy([page]).write_pdf()


def certificate_filename(participant: Participant, code: str) -> str:
    """ASCII file name inside the ZIP: the code (unique), never the person's name."""
    return f"certificate-{participant.pk}-{code}.pdf"


def write_zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()
