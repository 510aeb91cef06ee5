"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright's Python package.

The browser is never downloaded: Playwright is pointed at the system Chromium. When it is
missing the browser tests skip, unless AMAN_BROWSER_TESTS=required (CI), where they fail.
"""

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

CHROMIUM = os.environ.get("AMAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(os.environ.get("AMAN_SCREENSHOTS", tempfile.gettempdir())) / "aman-browser"


def _require_or_skip(reason: str) -> None:
    if os.environ.get("AMAN_BROWSER_TESTS", "").lower() == "required":
        pytest.fail(f"AMAN_BROWSER_TESTS=required but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def chromium(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A headless Chromium with a fresh profile, for one test.

    Playwright's sync API keeps an asyncio loop in this thread while it runs, which trips
    Django's async-safety check on every ORM call the test makes. The check is lifted for
    the length of one browser test only (the live server answers from its own thread).
    ``transactional_db`` is requested first so the database is flushed after the browser stops.
    """
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _require_or_skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is in requirements/dev.txt
        _require_or_skip("the playwright Python package is not installed")

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    playwright = sync_playwright().start()
    browser = None
    try:
        # launch() gives Chromium a new, empty --user-data-dir of its own (Playwright refuses
        # one in args) and removes it on close; every context in it starts without cookies.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
    finally:
        # While Playwright's loop runs, Django's (context-local) connection handler hands this
        # thread a different connection from the one it had before; close it here, or it stays
        # open past the test and keeps the test database busy at teardown.
        connections.close_all()
        if browser is not None:
            browser.close()
        playwright.stop()


@pytest.fixture
def screenshot_dir() -> Path:
    return SCREENSHOTS
