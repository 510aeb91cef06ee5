"""Check PDFs the way a reader sees them: as text (pypdf) and as pixels (pypdfium2).

Used by the tests of every PDF the app makes (evidence packets, certificates, risk reports).
``arabic_is_joined`` renders a word twice, once as written and once with a zero-width non-joiner
between every letter, and compares the ink: a renderer that does not shape Arabic draws the
two the same, a shaping one draws the joined word narrower and different.
"""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageOps
from pypdf import PdfReader

from aman.core.pdf import render_pdf

ZWNJ = "\u200c"


def pdf_text(pdf: bytes) -> str:
    """All text of the PDF, pages joined by newlines."""
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def pdf_page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def pdf_page_image(pdf: bytes, page: int = 0, scale: float = 2.0) -> Image.Image:
    """Render one page to a greyscale image."""
    document = pdfium.PdfDocument(pdf)
    try:
        return document[page].render(scale=scale).to_pil().convert("L")
    finally:
        document.close()


def ink_box(image: Image.Image, threshold: int = 200) -> tuple[int, int, int, int] | None:
    """The bounding box (left, top, right, bottom) of everything darker than ``threshold``."""
    mask = image.point(lambda v: 255 if v < threshold else 0)
    return mask.getbbox()


def _word_pdf(word: str, language: str) -> bytes:
    return render_pdf(template_name="pdf/_word.html", context={"word": word}, language=language)


def arabic_is_joined(word: str = "مرحبا بكم", language: str = "ar") -> bool:
    """True when the shipped fonts and WeasyPrint join Arabic letters (shaping works)."""
    joined = pdf_page_image(_word_pdf(word, language))
    separated = pdf_page_image(_word_pdf(ZWNJ.join(word), language))
    box_joined, box_separated = ink_box(joined), ink_box(separated)
    if box_joined is None or box_separated is None:
        return False
    differs = ImageChops.difference(ImageOps.invert(joined), ImageOps.invert(separated)).getbbox() is not None
    narrower = (box_joined[2] - box_joined[0]) < (box_separated[2] - box_separated[0])
    return differs and narrower


def is_right_aligned(pdf: bytes, page: int = 0, top_fraction: float = 1.0) -> bool:
    """True when the page's ink hugs the right margin more than the left (a right-to-left page).

    ``top_fraction`` looks only at the top of the page (say 0.08 for the title line), for pages
    whose tables fill the whole width.
    """
    image = pdf_page_image(pdf, page)
    if top_fraction < 1.0:
        image = image.crop((0, 0, image.width, max(1, int(image.height * top_fraction))))
    box = ink_box(image)
    if box is None:
        return False
    left_gap, right_gap = box[0], image.width - box[2]
    return right_gap < left_gap
