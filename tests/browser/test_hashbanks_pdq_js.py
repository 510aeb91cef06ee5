"""The browser's PDQ in real Chromium: the reporter's page hashes each reference image on the
device and only the hash reaches Aman.

Every image of ../shared/data/pdq-reference goes through the page's file input, as a reporter's
would; the hash the page shows is compared with the reference C++ hash (reference.csv).
Tolerance: lossless images (PNG, WebP) must be exact, JPEG within JPEG_TOLERANCE bits, because
another JPEG decoder (IDCT, chroma upsampling) may move pixels by a unit; measured: 0 on all 49
(bench/results/pdq_js.json). Skipped when ../shared is absent, except in CI (CI=true).
"""

import csv
import os
from pathlib import Path
from typing import Any

import pytest

from aman.hashbanks.models import BankedHash

pytestmark = pytest.mark.browser

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pdq-reference"
JPEG_TOLERANCE = 8


def _reference_rows() -> list[dict[str, str]]:
    if not (REFERENCE / "reference.csv").exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but the PDQ reference data is missing at {REFERENCE}")
        pytest.skip(f"no PDQ reference data at {REFERENCE}")
    with open(REFERENCE / "reference.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def _page(browser: Any, locale: str) -> Any:
    context = browser.new_context(locale=locale, viewport={"width": 390, "height": 844})
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.errors = errors
    return page


def _hash_in_page(page: Any, path: Path) -> tuple[str, int]:
    page.set_input_files("[data-testid=protect-file]", str(path))
    page.wait_for_function("() => document.getElementById('protect-pdq').value.length === 64")
    hash_value = page.input_value("#protect-pdq")
    assert page.inner_text("[data-testid=pdq-hash]") == hash_value
    return hash_value, int(page.input_value("#protect-quality"))


def test_pdq_js_matches_the_reference_on_every_image(chromium: Any, live_server: Any) -> None:
    rows = _reference_rows()
    page = _page(chromium, "fr")
    page.goto(f"{live_server.url}/lang/fr/?next=/protect-my-image/")
    page.goto(f"{live_server.url}/protect-my-image/")
    requests: list[str] = []
    # Anything but fetching the site's own static files (the favicon may load late) would be a leak.
    page.on(
        "request",
        lambda request: (
            None
            if request.method == "GET" and "/static/" in request.url
            else requests.append(f"{request.method} {request.url}")
        ),
    )
    distances = {}
    for row in rows:
        hash_value, quality = _hash_in_page(page, REFERENCE / row["image"])
        distances[row["image"]] = _hamming(hash_value, row["pdq_original"])
        assert quality == int(row["quality"]), row["image"]
    assert len(distances) == len(rows) >= 40
    for image, distance in distances.items():
        limit = JPEG_TOLERANCE if image.lower().endswith((".jpg", ".jpeg")) else 0
        assert distance <= limit, (image, distance)
    print(f"largest distance over {len(rows)} images: {max(distances.values())}")
    assert requests == [], "hashing an image must not send anything"
    assert page.errors == []


def test_reporter_sends_only_the_hash_in_arabic(chromium: Any, live_server: Any) -> None:
    rows = _reference_rows()
    row = next(r for r in rows if r["image"].endswith("aaa-orig.jpg"))
    page = _page(chromium, "ar")
    page.goto(f"{live_server.url}/protect-my-image/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#protect-submit").is_disabled()
    bodies: list[bytes] = []
    page.on(
        "request", lambda request: bodies.append(request.post_data_buffer or b"") if request.method == "POST" else None
    )
    hash_value, _quality = _hash_in_page(page, REFERENCE / row["image"])
    assert hash_value == row["pdq_original"]
    page.check("#id_consent")
    page.click("#protect-submit")
    page.wait_for_selector("[data-testid=protect-done]")
    assert len(bodies) == 1
    image_bytes = (REFERENCE / row["image"]).read_bytes()
    assert image_bytes[:200] not in bodies[0] and len(bodies[0]) < 1000  # a hash, a number, a tick box, a token
    stored = BankedHash.objects.get()
    assert stored.value == row["pdq_original"] and stored.is_pending
    assert page.errors == []
