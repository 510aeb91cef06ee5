"""The browsable API docs render in real Chromium under the site's Content-Security-Policy.

Skipped when Debian's Chromium is missing (unless AMAN_BROWSER_TESTS=required).
"""

import os
from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("AMAN_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture
def page(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        if os.environ.get("AMAN_BROWSER_TESTS", "").lower() == "required":
            pytest.fail(f"Chromium is not installed at {CHROMIUM}", pytrace=False)
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )
    try:
        yield browser.new_page()
    finally:
        browser.close()
        playwright.stop()


def test_swagger_ui_renders_every_operation_without_csp_violations(page: Any, live_server: Any) -> None:
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)

    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=15_000)

    assert page.locator(".opblock").count() >= 15
    assert page.get_by_text("/api/v1/reports/{reference}/consent").count() >= 1
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    assert not problems, problems
    assert external == []
