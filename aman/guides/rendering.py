"""Guide Markdown to safe HTML: Markdown rendered, then everything cleaned by an allow-list.

Raw HTML in the Markdown is not trusted: nh3 keeps only the tags and attributes below, links
only to http(s), mailto and tel (with rel="noopener noreferrer nofollow"), and images only from
this site (a path starting with a single "/"). Bidi overrides, NUL and control characters are
removed before rendering. Rendered HTML is cached by version id: versions never change once
written, and publishing drops the cached copies anyway.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import markdown  # type: ignore[import-untyped]
import nh3
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from aman.core.text import clean_user_text

if TYPE_CHECKING:
    from aman.guides.models import GuideVersion

MAX_MARKDOWN = 60_000
CACHE_SECONDS = 24 * 3600

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    # Only this site's own images: no tracking pixels or hot-linked pictures from other hosts.
    foreign = not value.startswith("/") or value.startswith("//") or "\\" in value
    if tag == "img" and attribute == "src" and foreign:
        return None
    return value


def render_markdown(text: str) -> str:
    """Markdown to sanitised HTML (a plain string; callers mark it safe)."""
    text = clean_user_text(text)[:MAX_MARKDOWN]
    html = markdown.markdown(text, extensions=["sane_lists", "tables"], output_format="html")
    # A top-level "# Title" is the page's title: demote headings so the page keeps one h1.
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def _cache_key(version_id: int) -> str:
    return f"guides:html:{version_id}"


def version_html(version: GuideVersion) -> SafeString:
    """The version's body as safe HTML, from the cache when it is there."""
    key = _cache_key(version.pk)
    html = cache.get(key)
    if html is None:
        html = render_markdown(version.body_markdown)
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - cleaned by nh3 above


def version_html_forget(version_id: int) -> None:
    cache.delete(_cache_key(version_id))
