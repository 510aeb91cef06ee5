"""The console and the portal as people use them: upload, look safely, download, packets, checklist."""

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from aman.audit.models import AuditEvent
from aman.cases.models import Case
from aman.cases.tests.factories import submit_report
from aman.core.tests.pdfcheck import arabic_is_joined, is_right_aligned, pdf_text
from aman.evidence.models import EvidenceItem
from aman.evidence.tests import files
from aman.evidence.tests.conftest import stored_files

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(client: Client, case: Case, *uploads: Any) -> Any:
    return client.post(f"/console/cases/{case.reference}/evidence/upload", {"evidence": list(uploads)})


def test_agent_uploads_and_sees_the_file_on_the_case(agent: Any, case: Case) -> None:
    client = _client(agent)
    response = _upload(client, case, files.upload("shot.jpg", files.jpeg_with_gps()))
    assert response.status_code == 302
    page = client.get(f"/console/cases/{case.reference}/")
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="evidence-item"') == 1


def test_bad_upload_gets_a_translated_message(agent: Any, case: Case) -> None:
    client = _client(agent)
    client.cookies["aman_lang"] = "fr"
    response = _upload(client, case, files.upload("photo.jpg", b"<html><script>x</script>", "image/jpeg"))
    page = client.get(response["Location"])
    assert "page web" in page.content.decode()  # French message
    assert not EvidenceItem.objects.exists()


def test_preview_is_blurred_and_greyscale_until_revealed(agent: Any, case: Case) -> None:
    client = _client(agent)
    _upload(client, case, files.upload("shot.png", files.encoded("PNG", 400, 300)))
    item = EvidenceItem.objects.get()
    base = f"/console/cases/{case.reference}/evidence/{item.pk}"
    preview = client.get(f"{base}/preview")
    assert preview["Content-Type"] == "image/jpeg" and "sandbox" in preview["Content-Security-Policy"]
    image = Image.open(io.BytesIO(preview.content))
    assert image.mode == "L"  # greyscale
    revealed = Image.open(io.BytesIO(client.get(f"{base}/preview?reveal=1").content))
    assert revealed.mode == "RGB"
    modes = list(AuditEvent.objects.filter(event_type="evidence.viewed").values_list("data__mode", flat=True))
    assert modes == ["preview", "revealed"]


def test_preference_turns_blur_off(agent: Any, case: Case) -> None:
    client = _client(agent)
    _upload(client, case, files.upload("shot.png", files.encoded("PNG", 400, 300)))
    item = EvidenceItem.objects.get()
    client.post("/console/evidence/preferences", {"greyscale": "on"})
    page = client.get(f"/console/cases/{case.reference}/evidence/{item.pk}/")
    assert 'data-testid="revealed"' in page.content.decode()


def test_original_download_is_exact_and_audited(agent: Any, case: Case) -> None:
    client = _client(agent)
    data = files.jpeg_with_gps()
    _upload(client, case, files.upload("shot.jpg", data))
    item = EvidenceItem.objects.get()
    response = client.get(f"/console/cases/{case.reference}/evidence/{item.pk}/original")
    assert response.content == data
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(event_type="evidence.downloaded", actor=agent).count() == 1


def test_packet_zip_manifest_and_arabic_summary(agent: Any) -> None:
    case = submit_report(language="ar", category="impersonation").case
    client = _client(agent)
    data = files.jpeg_with_gps()
    _upload(client, case, files.upload("shot.jpg", data), files.upload("chat.txt", "هددني بنشر الصور".encode()))
    ids = list(EvidenceItem.objects.values_list("pk", flat=True))
    client.get(f"/console/cases/{case.reference}/evidence/{ids[0]}/preview")  # a view, to appear in custody
    response = client.post(f"/console/cases/{case.reference}/evidence/packet", {"target": "TikTok", "evidence": ids})
    assert response.status_code == 302
    packet = case.evidence_packets.get()
    download = client.get(f"/console/cases/{case.reference}/evidence/packets/{packet.pk}")
    import hashlib

    assert hashlib.sha256(download.content).hexdigest() == packet.sha256
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    names = archive.namelist()
    assert {"manifest.json", "manifest.csv", "summary.pdf"} <= set(names)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["case"] == case.reference and manifest["target"] == "TikTok"
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["file"])).hexdigest() == entry["sha256"]
    assert archive.read(manifest["files"][0]["file"]) == data  # the original, untouched
    assert any(c["mode"] == "preview" for c in manifest["chain_of_custody"])
    csv_text = archive.read("manifest.csv").decode("utf-8-sig")
    assert manifest["files"][0]["sha256"] in csv_text
    summary = archive.read("summary.pdf")
    text = pdf_text(summary)
    assert case.reference in text and manifest["files"][0]["sha256"][:32] in text.replace("\n", "")
    assert is_right_aligned(summary, top_fraction=0.09)  # the title line, right to left
    assert "حزمة الأدلة" in text
    assert arabic_is_joined()
    exported = AuditEvent.objects.get(event_type="evidence.packet_exported")
    assert exported.data["sha256"] == packet.sha256
    assert AuditEvent.objects.filter(event_type="evidence.packet_downloaded").count() == 1


def test_checklist_and_one_click_request_in_the_reporters_language(agent: Any) -> None:
    case = submit_report(language="fr", category="impersonation", items=[("url", "https://tiktok.com/@fake")]).case
    Case.objects.filter(pk=case.pk).update(category="impersonation", status="in_progress")
    client = _client(agent)
    page = client.get(f"/console/cases/{case.reference}/").content.decode()
    assert 'data-testid="requirement-link_to_fake_profile"' in page
    assert 'class="missing" data-testid="requirement-link_to_real_profile"' in page
    client.post(f"/console/cases/{case.reference}/evidence/request")
    message = case.messages.get()
    assert "profil" in message.body and "capture" in message.body  # French: real profile link, screenshot
    assert AuditEvent.objects.filter(event_type="evidence.requested").exists()
    case.refresh_from_db()
    assert case.status == "waiting"


def test_checklist_tick_for_requirements_only_a_person_can_judge(agent: Any) -> None:
    case = submit_report(category="sextortion").case
    Case.objects.filter(pk=case.pk).update(category="sextortion")
    client = _client(agent)
    url = f"/console/cases/{case.reference}/evidence/checklist"
    client.post(url, {"requirement": "messages_with_date", "met": "on"})
    assert case.sufficiency_checks.filter(requirement="messages_with_date").exists()
    client.post(url, {"requirement": "not_a_requirement", "met": "on"})
    assert case.sufficiency_checks.count() == 1


def test_reporter_attaches_files_with_the_report_and_bad_ones_do_not_lose_it(evidence_dir: Path) -> None:
    client = Client()
    response = client.post(
        "/report/",
        {
            "category": "harassment_bullying",
            "items": "@someone",
            "description": "Insults every day in private messages.",
            "affected": "me",
            "age_band": "18_plus",
            "contact_method": "none",
            "evidence": [
                files.upload("shot.jpg", files.jpeg_with_gps()),
                files.upload("virus.jpg", b"MZ\x90\x00" + b"\x00" * 100, "image/jpeg"),
            ],
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="reference"' in body and 'data-testid="rejected-files"' in body and "virus.jpg" in body
    case = Case.objects.get()
    assert case.evidence.count() == 1 and case.evidence.get().added_by == "reporter"
    assert len(stored_files(evidence_dir)) == 2  # the original and its clean working copy


def test_reporter_report_survives_a_storage_failure(settings: Any) -> None:
    from unittest import mock

    client = Client()
    with mock.patch("aman.evidence.storage.blob_write", side_effect=OSError("No space left on device")):
        response = client.post(
            "/report/",
            {
                "category": "scam_fraud",
                "items": "@scammer",
                "description": "A fake job offer asked me for money.",
                "affected": "me",
                "age_band": "18_plus",
                "contact_method": "none",
                "evidence": [files.upload("shot.png", files.encoded("PNG"))],
            },
        )
    assert response.status_code == 200
    assert Case.objects.count() == 1 and 'data-testid="rejected-files"' in response.content.decode()


def test_reporter_adds_files_on_the_follow_up_page() -> None:
    submission = submit_report()
    client = Client()
    client.post("/follow-up/", {"reference": submission.case.reference, "code": submission.follow_up_code})
    response = client.post("/follow-up/case/evidence/", {"evidence": [files.upload("chat.txt", b"threat at 10:00")]})
    assert response.status_code == 302
    assert submission.case.evidence.count() == 1
    bad = client.post("/follow-up/case/evidence/", {"evidence": [files.upload("x.zip", files.zip_bomb())]})
    assert bad.status_code == 400 and "ZIP" in bad.content.decode()
    empty = client.post("/follow-up/case/evidence/", {})
    assert empty.status_code == 400
