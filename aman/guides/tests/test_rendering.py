"""Guide Markdown is rendered safely: raw HTML and hostile input never reach the page as markup."""

import pytest
from django.core.cache import cache

from aman.guides.rendering import MAX_MARKDOWN, render_markdown, version_html
from aman.guides.tests.factories import GuideFactory, published_version


def test_markdown_basics_render() -> None:
    html = render_markdown("# Title\n\nSome **bold** text.\n\n- one\n- two\n\n[help](https://example.org/x)")
    assert "<h2>Title</h2>" in html  # the page keeps one h1
    assert "<strong>bold</strong>" in html and "<li>one</li>" in html
    assert 'href="https://example.org/x"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>hello", "<script"),
        ("<script>alert(1)</script>hello", "alert(1)"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ("<iframe src=https://evil.example/></iframe>", "<iframe"),
        ('<div style="background:url(x)">x</div>', "style="),
        ("<style>body{display:none}</style>text", "<style"),
        ("![pixel](https://tracker.example/p.gif)", "tracker.example"),
        ('<a href="https://ok.example/" target="_blank" onclick="x()">x</a>', "onclick"),
        ("<svg><script>alert(1)</script></svg>", "<svg"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
    ],
)
def test_hostile_markdown_is_neutralised(source: str, forbidden: str) -> None:
    assert forbidden not in render_markdown(source)


def test_images_only_from_this_site() -> None:
    assert 'src="/static/img/step1.png"' in render_markdown("![step](/static/img/step1.png)")
    for other_host in ("//evil.example/p.png", "https://evil.example/p.png", "/\\evil.example/p.png"):
        assert "evil" not in render_markdown(f"![x]({other_host})")


def test_bidi_override_nul_and_controls_are_removed() -> None:
    html = render_markdown("safe\u202etxt.exe\x00 and \x07bell")
    assert "\u202e" not in html and "\x00" not in html and "\x07" not in html
    assert "safetxt.exe" in html


def test_huge_input_is_cut_not_crashing() -> None:
    html = render_markdown("a" * (MAX_MARKDOWN * 3))
    assert len(html) < MAX_MARKDOWN + 100
    nested = render_markdown("[" * 20_000 + "x" + "]" * 20_000)
    assert "<script" not in nested


@pytest.mark.django_db
def test_rendered_html_is_cached_by_version() -> None:
    version = published_version(GuideFactory(), body_markdown="## Cached")
    assert "Cached" in version_html(version)
    assert cache.get(f"guides:html:{version.pk}") is not None
