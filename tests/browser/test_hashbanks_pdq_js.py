"""The browser's PDQ in real Chromium: the reporter's page hashes each reference image on the
device and only the hash reaches Aman.

Every image of ../shared/data/pdq-reference goes through the page's file input, as a reporter's
would; the hash the page shows is compared with the reference C++ hash (reference.csv).
Tolerance: lossless images (PNG, WebP) must be exact, JPEG within JPEG_TOLERANCE bits, because
another JPEG decoder (IDCT, chroma upsampling) may move pixels by a unit; measured: 0 on all 49
(bench/results/pdq_js.json). The 8 dihedral variants are compared with the Python library's
(aman.hashing, Meta's C++ through pdqhash) and with the reference CSV, and the MD5 of a video
with hashlib. The reporter's flow (Arabic, right to left; French) is checked end to end: the
request body holds hashes only, never the file, and the hashes land on the case. Skipped when
../shared is absent, except in CI (CI=true).
"""

import base64
import csv
import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

from aman.cases.models import Case
from aman.cases.tests.factories import submit_report
from aman.hashbanks.models import BankedHash
from aman.hashing import hash_image

pytestmark = pytest.mark.browser

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pdq-reference"
JPEG_TOLERANCE = 8
DIHEDRAL_NAMES = ("original", "rotate90", "rotate180", "rotate270", "flipx", "flipy", "flip_plus1", "flip_minus1")


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
    dihedral_vs_python = {}
    dihedral_vs_reference = {}
    for row in rows:
        hash_value, quality = _hash_in_page(page, REFERENCE / row["image"])
        distances[row["image"]] = _hamming(hash_value, row["pdq_original"])
        assert quality == int(row["quality"]), row["image"]
        variants = page.input_value("#protect-dihedral").split(",")
        assert len(variants) == 8 and variants[0] == hash_value
        python = hash_image(REFERENCE / row["image"], unletterbox=False).dihedral
        dihedral_vs_python[row["image"]] = max(_hamming(a, b) for a, b in zip(variants, python, strict=True))
        reference = [row[f"pdq_{name}"] for name in DIHEDRAL_NAMES]
        dihedral_vs_reference[row["image"]] = max(_hamming(a, b) for a, b in zip(variants, reference, strict=True))
    assert len(distances) == len(rows) >= 40
    for image, distance in distances.items():
        limit = JPEG_TOLERANCE if image.lower().endswith((".jpg", ".jpeg")) else 0
        assert distance <= limit, (image, distance)
        assert dihedral_vs_python[image] <= limit, (image, dihedral_vs_python[image])
        assert dihedral_vs_reference[image] <= limit, (image, dihedral_vs_reference[image])
    print(
        f"largest distance over {len(rows)} images: {max(distances.values())}; "
        f"8 dihedral variants vs aman.hashing: {max(dihedral_vs_python.values())}, "
        f"vs reference.csv: {max(dihedral_vs_reference.values())}"
    )
    assert requests == [], "hashing an image must not send anything"
    assert page.errors == []


def _video_bytes(size: int) -> bytes:
    """Synthetic bytes standing for a video (an MP4 header, then noise): over one 4 MiB piece."""
    header = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    return header + os.urandom(size - len(header))


def _post_bodies(page: Any) -> list[bytes]:
    bodies: list[bytes] = []
    page.on(
        "request", lambda request: bodies.append(request.post_data_buffer or b"") if request.method == "POST" else None
    )
    return bodies


def test_md5_of_a_video_in_the_browser_equals_hashlib(chromium: Any, live_server: Any) -> None:
    page = _page(chromium, "fr")
    page.goto(f"{live_server.url}/protect-my-image/")
    for size in (40, 4 * 1024 * 1024 + 123, 9 * 1024 * 1024):
        data = _video_bytes(size)
        page.set_input_files(
            "[data-testid=protect-file]", files=[{"name": "clip.mp4", "mimeType": "video/mp4", "buffer": data}]
        )
        page.wait_for_function("() => document.getElementById('protect-md5').value.length === 32")
        assert page.input_value("#protect-md5") == hashlib.md5(data, usedforsecurity=False).hexdigest(), size
        assert page.input_value("#protect-kind") == "video" and page.input_value("#protect-pdq") == ""
    # And on the reference images' bytes, through the library call itself.
    for path in sorted((REFERENCE / "images").rglob("*"))[:10] if REFERENCE.exists() else []:
        if path.is_file():
            got = page.evaluate(
                "async (b64) => window.AmanPdq.md5Blob(new Blob([Uint8Array.from(atob(b64), c => c.charCodeAt(0))]))",
                base64.b64encode(path.read_bytes()).decode(),
            )
            assert got == hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest(), path.name
    assert page.errors == []


def test_reporter_sends_only_hashes_with_a_new_report_in_arabic(chromium: Any, live_server: Any) -> None:
    rows = _reference_rows()
    row = next(r for r in rows if r["image"].endswith("aaa-orig.jpg"))
    page = _page(chromium, "ar")
    page.goto(f"{live_server.url}/protect-my-image/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#protect-submit").is_disabled()
    bodies = _post_bodies(page)
    hash_value, _quality = _hash_in_page(page, REFERENCE / row["image"])
    assert hash_value == row["pdq_original"]
    assert page.is_visible("[data-attach=new]") and not page.is_visible("[data-attach=existing]")
    page.check("input[name=category][value=ncii]")
    page.check("input[name=age_band][value='18_plus']")
    page.check("#id_consent")
    page.click("#protect-submit")
    page.wait_for_selector("[data-testid=protect-done]")
    assert len(bodies) == 1
    image_bytes = (REFERENCE / row["image"]).read_bytes()
    body = bodies[0]
    assert image_bytes[:200] not in body and image_bytes[-200:] not in body and len(body) < 2000
    assert row["pdq_original"].encode() in body and row["pdq_rotate90"].encode() in body
    case = Case.objects.get()
    assert page.inner_text("[data-testid=protect-reference]") == case.reference
    assert page.inner_text("[data-testid=protect-code]")
    stored = BankedHash.objects.filter(source_case=case)
    assert {h.value for h in stored} == {row[f"pdq_{n}"] for n in DIHEDRAL_NAMES}
    assert all(h.is_pending and h.source_evidence_id is None for h in stored)
    assert not case.evidence.exists()  # no file was kept, only codes
    # The reporter changes their mind: withdraw from the result page.
    page.click("[data-testid=protect-withdraw-link]")
    page.click("[data-testid=withdraw-submit]")
    page.wait_for_selector("[data-testid=protect-withdrawn]")
    assert not BankedHash.objects.filter(source_case=case, withdrawn_at__isnull=True).exists()
    assert page.errors == []


def test_reporter_adds_a_video_code_to_an_existing_report_in_french(chromium: Any, live_server: Any) -> None:
    submission = submit_report(category="sextortion", description="Quelqu'un me menace.", language="fr")
    page = _page(chromium, "fr")
    page.goto(f"{live_server.url}/lang/fr/?next=/protect-my-image/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    bodies = _post_bodies(page)
    bodies.clear()  # the language switch above is a GET; nothing posted yet
    data = _video_bytes(5 * 1024 * 1024)
    page.set_input_files(
        "[data-testid=protect-file]", files=[{"name": "video.mp4", "mimeType": "video/mp4", "buffer": data}]
    )
    page.wait_for_function("() => document.getElementById('protect-md5').value.length === 32")
    page.check("[data-testid=attach-existing]")
    assert page.is_visible("[data-attach=existing]") and not page.is_visible("[data-attach=new]")
    page.fill("#id_reference", submission.case.reference)
    page.fill("#id_code", "WRONG-CODE-1234")
    page.check("#id_consent")
    page.click("#protect-submit")
    page.wait_for_selector("[data-testid=protect-errors]")
    assert "numéro de dossier" in page.inner_text("[data-testid=protect-errors]").lower()
    assert not BankedHash.objects.exists()
    assert all("400" in e for e in page.errors)  # the browser logs the refused post, nothing else
    page.errors.clear()
    # The page came back without the code: choose the video again and give the right code.
    page.set_input_files(
        "[data-testid=protect-file]", files=[{"name": "video.mp4", "mimeType": "video/mp4", "buffer": data}]
    )
    page.wait_for_function("() => document.getElementById('protect-md5').value.length === 32")
    page.check("[data-testid=attach-existing]")
    page.fill("#id_reference", submission.case.reference)
    page.fill("#id_code", submission.follow_up_code or "")
    page.check("#id_consent")
    page.click("#protect-submit")
    page.wait_for_selector("[data-testid=protect-done]")
    assert len(bodies) == 2
    for body in bodies:
        assert data[1000:1200] not in body and len(body) < 2000
    stored = BankedHash.objects.get()
    assert stored.signal_type == "md5" and stored.value == hashlib.md5(data, usedforsecurity=False).hexdigest()
    assert stored.source_case_id == submission.case.pk and Case.objects.count() == 1
    assert page.errors == []
