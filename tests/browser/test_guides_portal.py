"""The guides and the self-check in real Chromium, in Arabic (right to left) and French, with the
team's real seed texts: search that ignores letter variants, a guide page, and a scored self-check."""

import re
from pathlib import Path
from typing import Any

import pytest

from aman.guides.definitions import DEFAULT_SEED_DIR
from aman.guides.services import guides_seed

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("language", "direction", "query"),
    [("ar", "rtl", "إختراق"), ("fr", "ltr", "piratage")],  # Arabic: hamza on the alif, as people type it
)
def test_search_a_guide_and_take_the_self_check(
    chromium: Any, live_server: Any, screenshot_dir: Path, language: str, direction: str, query: str
) -> None:
    guides_seed(directory=DEFAULT_SEED_DIR)
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale=language)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/lang/{language}/?next=/guides/")
    assert page.locator("html").get_attribute("dir") == direction
    page.fill("input[name=q]", query)
    page.click("form.guide-search button[type=submit]")
    page.wait_for_url(re.compile(r"/guides/\?"))
    results = page.locator("ul.guide-cards h2 a")
    assert results.count() >= 1
    page.screenshot(path=str(screenshot_dir / f"{language}-guides-search.png"), full_page=True)
    results.first.click()
    page.wait_for_url(re.compile(r"/guides/[a-z0-9-]+/"))
    assert page.locator("html").get_attribute("dir") == direction
    assert len(page.locator("main").inner_text()) > 500  # a real guide, not a stub

    page.goto(f"{live_server.url}/self-check/tiktok/")
    radios = page.locator("input[type=radio][value=yes]")
    assert radios.count() >= 6
    for i in range(radios.count()):
        radios.nth(i).check()
    page.locator("form button.primary[type=submit]").click()
    assert page.get_by_test_id("score").inner_text().strip() == "100%"
    page.screenshot(path=str(screenshot_dir / f"{language}-selfcheck.png"), full_page=True)
    context.close()
