"""Integrations (API keys) in the console, the demo page, the widget file."""

from typing import Any

import pytest
from django.test import Client

from aman.checks.models import ApiKey, CheckDailyCount
from aman.checks.tests.factories import HOSTILE_AR

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_admin_creates_a_key_and_sees_it_once(admin_user: Any) -> None:
    client = _client(admin_user)
    page = client.post(
        "/console/integrations/",
        {
            "name": "Ministry page",
            "allowed_origins": "https://gov.example\nhttps://www.gov.example/",
            "retention_days": 30,
        },
    )
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    key = ApiKey.objects.get(name="Ministry page")
    html = page.content.decode()
    start = html.index('data-testid="new-secret">') + len('data-testid="new-secret">')
    secret = html[start : html.index("<", start)]
    assert secret.startswith(f"aman_{key.prefix}_") and secret not in key.key_hash
    assert key.origin_list == ["https://gov.example", "https://www.gov.example"]
    assert secret not in client.get("/console/integrations/").content.decode()
    response = Client().post(
        "/api/v1/check", {"text": "hi"}, content_type="application/json", HTTP_AUTHORIZATION=f"Api-Key {secret}"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "origins", ["javascript:alert(1)", "https://a.example/path", "not a url", "https://user@a.example"]
)
def test_bad_origins_are_refused(admin_user: Any, origins: str) -> None:
    page = _client(admin_user).post(
        "/console/integrations/", {"name": "x", "allowed_origins": origins, "retention_days": 3}
    )
    assert page.status_code == 400 and not ApiKey.objects.exists()


def test_bad_rate_is_refused(admin_user: Any) -> None:
    page = _client(admin_user).post("/console/integrations/", {"name": "x", "rate_limit": "lots", "retention_days": 3})
    assert page.status_code == 400 and not ApiKey.objects.exists()


def test_edit_and_revoke(admin_user: Any) -> None:
    client = _client(admin_user)
    client.post("/console/integrations/", {"name": "App", "allowed_origins": "https://a.example", "retention_days": 30})
    key = ApiKey.objects.get()
    client.post(
        f"/console/integrations/{key.pk}/", {"allowed_origins": "*", "rate_limit": "10/minute", "retention_days": 5}
    )
    key.refresh_from_db()
    assert key.allowed_origins == "*" and key.rate_limit == "10/minute" and key.retention_days == 5
    client.post(f"/console/integrations/{key.pk}/revoke/")
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_demo_page_and_its_check(db: Any) -> None:
    client = Client()
    page = client.get("/checks/demo/", HTTP_COOKIE="aman_lang=fr")
    assert page.status_code == 200
    html = page.content.decode()
    assert "aman-check.js" in html and 'data-aman-lang="fr"' in html and "<style" not in html
    body = client.post(
        "/checks/demo/check", {"text": HOSTILE_AR, "ui_language": "ckb"}, content_type="application/json"
    ).json()
    assert body["decision"] == "reconsider" and body["nudge"]["dir"] == "rtl"
    counted = client.post(
        "/checks/demo/check/outcome",
        {"check_id": body["check_id"], "outcome": "edited"},
        content_type="application/json",
    )
    assert counted.json() == {"counted": True}
    assert CheckDailyCount.objects.get().edited == 1
    assert client.post("/checks/demo/check", "nope", content_type="application/json").status_code == 400
    assert client.post("/checks/demo/check", {"text": "a\x00"}, content_type="application/json").status_code == 400


def test_widget_at_a_stable_address(db: Any) -> None:
    response = Client().get("/checks/widget.js")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert b"AmanCheck" in response.content
