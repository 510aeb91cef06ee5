"""Evidence over the API: reporters with their code, staff by token; refusals are stable and translated."""

from pathlib import Path
from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from aman.audit.models import AuditEvent
from aman.cases.tests.factories import submit_report
from aman.evidence.tests import files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def evidence_dir(settings: Any, tmp_path: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def test_reporter_adds_files_with_the_code() -> None:
    sub = submit_report()
    client = APIClient()
    url = f"/api/v1/reports/{sub.case.reference}/evidence"
    response = client.post(
        url,
        {"evidence": [files.upload("a.jpg", files.jpeg_with_gps()), files.upload("x.html", b"<html></html>")]},
        format="multipart",
        HTTP_X_FOLLOW_UP_CODE=sub.follow_up_code,
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 201
    body = response.json()
    assert [a["kind"] for a in body["added"]] == ["image"] and "sha256" not in body["added"][0]
    assert body["rejected"][0]["code"] == "looks_like_web_page" and "page web" in body["rejected"][0]["message"]


@pytest.mark.parametrize("code", ["", "WRONG-CODE-1234", "x" * 500])
def test_wrong_or_missing_code_is_the_same_404(code: str) -> None:
    sub = submit_report()
    response = APIClient().post(
        f"/api/v1/reports/{sub.case.reference}/evidence",
        {"evidence": [files.upload("a.txt", b"chat")]},
        format="multipart",
        HTTP_X_FOLLOW_UP_CODE=code,
    )
    assert response.status_code == 404 and not sub.case.evidence.exists()


def test_no_file_json_body_and_only_bad_files() -> None:
    sub = submit_report()
    client = APIClient()
    url = f"/api/v1/reports/{sub.case.reference}/evidence"
    headers = {"HTTP_X_FOLLOW_UP_CODE": sub.follow_up_code}
    assert client.post(url, {}, format="multipart", **headers).status_code == 400
    assert client.post(url, {"evidence": "x"}, format="json", **headers).status_code == 415
    bad = client.post(url, {"evidence": [files.upload("b.zip", files.zip_bomb())]}, format="multipart", **headers)
    assert bad.status_code == 400 and bad.json()["rejected"][0]["code"] == "archive_refused"


def test_staff_list_and_add_by_token(agent: Any, other_agent: Any) -> None:
    case = submit_report().case
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=agent).key}")
    url = f"/api/v1/cases/{case.reference}/evidence"
    added = client.post(url, {"evidence": [files.upload("a.pdf", files.pdf())]}, format="multipart")
    assert added.status_code == 201 and added.json()["added"][0]["kind"] == "pdf"
    listed = client.get(url).json()
    assert len(listed) == 1 and len(listed[0]["sha256"]) == 64
    assert AuditEvent.objects.filter(event_type="evidence.added", actor=agent).exists()
    from aman.cases import services

    services.case_assign(case=case, assignee=agent, acting_user=agent)
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=other_agent).key}")
    assert other.get(url).status_code == 404
    assert APIClient().get(url).status_code in (401, 403)
