"""Render a Django template to PDF with WeasyPrint, in the right language and direction.

Fonts ship with the app (``static/fonts``: Noto Naskh Arabic for Arabic and Central Kurdish,
Noto Sans for Latin), so a PDF looks the same on every machine. WeasyPrint shapes Arabic with
HarfBuzz (joined letters, right to left) when the document says ``dir="rtl"``.

The document may load nothing from the network: the URL fetcher serves the shipped fonts and
``data:`` URIs (QR codes, inline images) and refuses everything else, so text a reporter typed
can never make the server fetch a URL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"


class PdfFetchRefused(Exception):
    """The document asked for a resource outside the shipped fonts and data: URIs."""


def url_allowed(url: str) -> bool:
    """Only ``data:`` URIs and the shipped ``.ttf`` fonts."""
    if url.startswith("data:"):
        return True
    if url.startswith("file://"):
        path = Path(unquote(url.removeprefix("file://").split("?")[0])).resolve()
        return path.parent == FONT_DIR.resolve() and path.suffix == ".ttf"
    return False


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class AppOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url_allowed(url):
                raise PdfFetchRefused(url)
            return super().fetch(url, headers)

    return AppOnlyFetcher(fail_on_errors=True)


def font_faces_css() -> str:
    """@font-face rules for the shipped fonts, as file URLs (used by templates/pdf/base.html)."""
    faces = [
        ("Aman Arabic", "NotoNaskhArabic-Regular.ttf", "normal"),
        ("Aman Arabic", "NotoNaskhArabic-Bold.ttf", "bold"),
        ("Aman Latin", "NotoSans-Regular.ttf", "normal"),
        ("Aman Latin", "NotoSans-Bold.ttf", "bold"),
    ]
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{(FONT_DIR / name).resolve().as_uri()}"); '
        f"font-weight: {weight}; }}"
        for family, name, weight in faces
    )


def render_pdf(*, template_name: str, context: dict[str, Any], language: str) -> bytes:
    """Render ``template_name`` (which should extend ``pdf/base.html``) in ``language`` to PDF bytes."""
    from PIL import ImageFile
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    # Importing WeasyPrint turns on Pillow's "load truncated images" for the whole process; our
    # PDFs embed no raster images, and the evidence checks must keep refusing truncated files.
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    with translation.override(language):
        html = render_to_string(
            template_name,
            {
                **context,
                "language_code": language,
                "language_dir": "rtl" if translation.get_language_bidi() else "ltr",
                "font_faces_css": font_faces_css(),
            },
        )
    font_config = FontConfiguration()
    return HTML(string=html, base_url=str(FONT_DIR), url_fetcher=_fetcher()).write_pdf(font_config=font_config)
