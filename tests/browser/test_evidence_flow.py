"""Evidence in real Chromium: a reporter attaches a screenshot and a disguised file with the report
(Arabic, then French); the good file is kept, the bad one is named with a kind message, and an
agent sees the picture blurred until they choose to look.
"""

import io
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from aman.accounts.models import Role, User
from aman.cases.models import Case
from aman.evidence.tests import files

pytestmark = pytest.mark.browser


def _new_page(browser: Any, **options: Any) -> Any:
    options.setdefault("viewport", {"width": 390, "height": 844})
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    return context.new_page()


@pytest.fixture
def evidence_files(tmp_path: Path, settings: Any) -> dict[str, Path]:
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "vault")},
        },
    }
    shot = tmp_path / "screenshot.jpg"
    shot.write_bytes(files.jpeg_with_gps())
    fake = tmp_path / "photo.jpg"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")
    return {"shot": shot, "fake": fake}


@pytest.mark.parametrize(
    ("language", "direction", "refused_words"), [("ar", "rtl", "صفحة ويب"), ("fr", "ltr", "page web")]
)
def test_reporter_attaches_files_and_agent_sees_them_blurred(
    chromium: Any,
    live_server: Any,
    screenshot_dir: Path,
    evidence_files: dict[str, Path],
    language: str,
    direction: str,
    refused_words: str,
) -> None:
    reporter = _new_page(chromium, locale=language)
    reporter.goto(f"{live_server.url}/lang/{language}/?next=/report/")
    assert reporter.locator("html").get_attribute("dir") == direction
    reporter.check("input[name=category][value='sextortion']")
    reporter.fill("textarea[name=items]", "@demo_blackmailer")
    reporter.fill("textarea[name=description]", "Someone threatens to publish my photos unless I pay.")
    reporter.check("input[name=affected][value='me']")
    reporter.check("input[name=age_band][value='18_plus']")
    reporter.set_input_files("input[name=evidence]", [str(evidence_files["shot"]), str(evidence_files["fake"])])
    reporter.click("form[action='/report/'] button[type=submit]")
    reference = reporter.get_by_test_id("reference").inner_text().strip()
    refused = reporter.get_by_test_id("rejected-files").inner_text()
    assert "photo.jpg" in refused and refused_words in refused
    assert reporter.get_by_test_id("evidence-added").count() == 1
    reporter.screenshot(path=str(screenshot_dir / f"{language}-evidence-submitted.png"), full_page=True)
    case = Case.objects.get(reference=reference)
    assert case.evidence.count() == 1

    agent = User(username=f"agent_{language}", role=Role.AGENT)
    agent.set_password("agent-demo-2026")
    agent.save()
    console = _new_page(chromium, viewport={"width": 1280, "height": 900}, locale=language)
    console.goto(f"{live_server.url}/accounts/sign-in/")
    console.fill("input[name=username]", agent.username)
    console.fill("input[name=password]", "agent-demo-2026")
    console.click("main form button[type=submit]")
    console.wait_for_url(re.compile(r"/console/"))
    console.goto(f"{live_server.url}/console/cases/{reference}/")
    thumb = console.locator("img.evidence-thumb")
    assert thumb.count() == 1
    src = thumb.get_attribute("src")
    preview = console.request.get(f"{live_server.url}{src}")
    assert Image.open(io.BytesIO(preview.body())).mode == "L"  # greyscale (and blurred) until revealed
    console.locator("a:has(img.evidence-thumb)").click()
    console.get_by_test_id("reveal").click()
    console.wait_for_url(re.compile(r"\?reveal=1$"))
    assert console.get_by_test_id("revealed").count() == 1
    console.screenshot(path=str(screenshot_dir / f"{language}-evidence-revealed.png"), full_page=True)
