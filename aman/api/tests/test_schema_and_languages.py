"""The OpenAPI schema, the browsable docs under the site's CSP, and errors in the caller's language."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from aman.api.tests.conftest import REPORT

pytestmark = pytest.mark.django_db

EXPECTED_OPERATIONS = {
    "report_create",
    "report_retrieve",
    "report_reply",
    "report_items_add",
    "report_consent_update",
    "report_evidence_add",
    "case_evidence_list",
    "case_evidence_add",
    "queue_list",
    "case_list",
    "case_retrieve",
    "case_triage",
    "case_assign",
    "case_transition",
    "case_reopen",
    "case_note_create",
    "case_message_create",
    "audit_list",
    "case_escalation_list",
    "case_escalation_create",
    "escalation_retrieve",
    "escalation_send",
    "escalation_outcome",
    "partner_escalation_list",
    "partner_escalation_retrieve",
    "partner_escalation_outcome",
    "hashes_match",
    "hashes_fetch",
    "hashes_feedback",
    "hashes_banks",
    "check_create",
    "check_outcome_create",
}


def test_schema_generates_without_warnings(tmp_path: Path) -> None:
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert set(re.findall(r"operationId: (\w+)", text)) == EXPECTED_OPERATIONS
    assert "X-Follow-Up-Code" in text and "Idempotency-Key" in text
    assert "contact_encrypted" not in text and "follow_up_hash" not in text


def test_schema_is_served() -> None:
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Aman API"
    assert "/api/v1/reports" in response.json()["paths"]


def test_docs_page_works_under_the_site_csp() -> None:
    page = Client().get("/api/v1/docs/")

    assert page.status_code == 200
    csp = page["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    html = page.content.decode()
    assert "<style" not in html
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all("src=" in attrs for attrs in scripts), "no inline script"
    assert "cdn" not in html.lower() and "https://" not in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert all(a.startswith("/") for a in assets)

    script_url = re.findall(r'<script src="([^"]+\?[^"]*script[^"]*)"', html)[0].replace("&amp;", "&")
    script = Client().get(script_url)
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_error_messages_follow_accept_language_and_codes_are_stable() -> None:
    answers = {}
    for language in ("ar", "fr", "ckb", "en"):
        response = APIClient().post(
            "/api/v1/reports",
            {**REPORT, "category": None, "age_band": "x"},
            format="json",
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert response.status_code == 400
        assert response["Content-Language"] == language
        answers[language] = response.json()

    for language, answer in answers.items():
        # Aman's own message goes through gettext in the caller's language (French once translated).
        with translation.override(language):
            assert answer["message"] == gettext("Some fields need your attention.")
    codes = {lang: (a["code"], a["fields"]["category"][0]["code"]) for lang, a in answers.items()}
    assert set(codes.values()) == {("invalid", "null")}
    assert all(a["message"] for a in answers.values())
    # DRF ships French and Arabic catalogues, so field messages are already translated.
    assert answers["fr"]["fields"]["category"][0]["message"] == "Ce champ ne peut être nul."
    assert answers["en"]["fields"]["category"][0]["message"] == "This field may not be null."
    assert answers["ar"]["fields"]["category"][0]["message"] != answers["en"]["fields"]["category"][0]["message"]


def test_domain_and_not_found_errors_have_a_message_in_every_language() -> None:
    for language in ("ar", "fr", "ckb", "en"):
        response = APIClient().get("/api/v1/reports/AMN-2222-3333", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert response.json()["message"]
