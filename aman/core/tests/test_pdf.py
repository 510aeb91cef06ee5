import pytest

from aman.core.pdf import render_pdf, url_allowed
from aman.core.tests.pdfcheck import (
    arabic_is_joined,
    ink_box,
    is_right_aligned,
    pdf_page_image,
    pdf_text,
)


def test_arabic_letters_are_joined_with_the_shipped_font() -> None:
    assert arabic_is_joined("مرحبا بكم", "ar")


def test_kurdish_letters_are_joined() -> None:
    assert arabic_is_joined("بەخێربێن", "ckb")


def test_arabic_page_is_right_to_left_and_french_left_to_right() -> None:
    arabic = render_pdf(template_name="pdf/_word.html", context={"word": "أمان"}, language="ar")
    french = render_pdf(template_name="pdf/_word.html", context={"word": "Aman"}, language="fr")
    assert is_right_aligned(arabic)
    assert not is_right_aligned(french)
    assert "Aman" in pdf_text(french)


def test_user_text_is_escaped_and_cannot_fetch_urls() -> None:
    hostile = '<img src="http://127.0.0.1:9/x.png"><script>alert(1)</script>'
    pdf = render_pdf(template_name="pdf/_word.html", context={"word": hostile}, language="en")
    assert "<script>" in pdf_text(pdf)  # shown as text, not run or fetched
    assert ink_box(pdf_page_image(pdf)) is not None


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/x", "file:///etc/passwd", "file:///etc/fonts/x.ttf", "https://example.org/f.ttf"]
)
def test_fetcher_refuses_everything_but_fonts_and_data(url: str) -> None:
    assert not url_allowed(url)


def test_fetcher_allows_shipped_fonts_and_data_uris() -> None:
    from aman.core.pdf import FONT_DIR

    assert url_allowed((FONT_DIR / "NotoSans-Regular.ttf").resolve().as_uri())
    assert url_allowed("data:image/png;base64,AAAA")
    assert not url_allowed((FONT_DIR / ".." / ".." / "manage.py").resolve().as_uri())
