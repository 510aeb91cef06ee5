"""POST /api/v1/check and /api/v1/check/outcome: keys, decisions, nudges, CORS, limits, counters."""

import json
from typing import Any

import pytest
from django.test import Client, override_settings

from aman.audit.models import AuditEvent
from aman.checks.models import CheckDailyCount, StoredCheck
from aman.checks.services import apikey_revoke
from aman.checks.tests.factories import FRIENDLY_AR, HOSTILE_AR, new_key

pytestmark = pytest.mark.django_db
ORIGIN = "https://comments.example.org"


def post(path: str, body: Any, key: str | None = None, **headers: str) -> Any:
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    if key:
        extra["HTTP_AUTHORIZATION"] = f"Api-Key {key}"
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return Client().post(path, data=data, content_type="application/json", **extra)


def test_hostile_arabic_gets_a_kind_nudge_in_the_callers_language() -> None:
    key = new_key().secret
    response = post("/api/v1/check", {"text": HOSTILE_AR, "ui_language": "fr"}, key)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["decision"] == "reconsider"
    assert "offensive" in body["reasons"]
    assert body["nudge"]["language"] == "fr" and body["nudge"]["dir"] == "ltr"
    assert "publier" in body["nudge"]["message"].lower()
    assert set(body["scores"]) == {"offensive", "hate", "threat", "sexual_harassment"}
    assert response["Cache-Control"] == "no-store"


def test_friendly_text_is_ok_without_nudge() -> None:
    body = post("/api/v1/check", {"text": FRIENDLY_AR}, new_key().secret).json()
    assert body["decision"] == "ok" and body["nudge"] is None and body["reasons"] == []


@pytest.mark.parametrize(("header", "language", "direction"), [("ckb", "ckb", "rtl"), ("en-GB,en;q=0.8", "en", "ltr")])
def test_accept_language_chooses_the_nudge_language(header: str, language: str, direction: str) -> None:
    body = post("/api/v1/check", {"text": HOSTILE_AR}, new_key().secret, **{"Accept-Language": header}).json()
    assert body["nudge"]["language"] == language and body["nudge"]["dir"] == direction


def test_arabic_nudge_by_default() -> None:
    body = post("/api/v1/check", {"text": HOSTILE_AR}, new_key().secret).json()
    assert body["nudge"]["language"] == "ar" and body["nudge"]["dir"] == "rtl"
    assert "؟" in body["nudge"]["message"]


def test_x_api_key_header_works_too() -> None:
    key = new_key().secret
    response = Client().post(
        "/api/v1/check", data=json.dumps({"text": "hello"}), content_type="application/json", HTTP_X_API_KEY=key
    )
    assert response.status_code == 200


def test_official_profile_finds_personal_data_with_spans() -> None:
    text = "📢 للتواصل: 07701234567 أو press@example.org — سري للغاية https://facebook.com.login-verify.xyz"
    body = post("/api/v1/check", {"text": text, "profile": "official"}, new_key().secret).json()
    assert body["decision"] == "reconsider"
    kinds = {f["kind"] for f in body["findings"]}
    assert {"phone", "email", "sensitive", "suspicious_link"} <= kinds
    for f in body["findings"]:
        assert text[f["start"] : f["end"]] == f["text"]
        utf16 = text.encode("utf-16-le")
        assert utf16[f["start_utf16"] * 2 : f["end_utf16"] * 2].decode("utf-16-le") == f["text"]
    assert {"phone", "email"} <= set(body["reasons"])
    assert body["nudge"]["reasons"]


def test_default_profile_has_no_findings() -> None:
    body = post("/api/v1/check", {"text": "call 07701234567"}, new_key().secret).json()
    assert "findings" not in body and body["decision"] == "ok"


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "api_key_missing"),
        ({"Authorization": "Api-Key aman_nope_nope"}, "api_key_invalid"),
        ({"Authorization": "Bearer x"}, "api_key_missing"),
        ({"X-Api-Key": "x" * 5000}, "api_key_invalid"),
    ],
)
def test_bad_keys_are_refused_with_stable_codes(headers: dict[str, str], code: str) -> None:
    new_key()
    response = post("/api/v1/check", {"text": "hello"}, None, **headers)
    assert response.status_code == 401
    assert response.json()["code"] == code and response.json()["message"]
    assert CheckDailyCount.objects.count() == 0


def test_revoked_key_is_refused(admin_user: Any) -> None:
    made = new_key()
    apikey_revoke(api_key=made.api_key, acting_user=admin_user)
    assert post("/api/v1/check", {"text": "hello"}, made.secret).json()["code"] == "api_key_invalid"


def test_errors_are_translated() -> None:
    response = post("/api/v1/check", {"text": "hello"}, None, **{"Accept-Language": "fr"})
    assert response.json()["code"] == "api_key_missing"
    assert "Api-Key" in response.json()["message"] and response["Content-Language"] == "fr"


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"text": ""}, "text", "blank"),
        ({"text": "   "}, "text", "blank"),
        ({"text": "x" * 10_001}, "text", "max_length"),
        ({"text": "a\x00b"}, "text", "null_characters_not_allowed"),
        ({"text": 12}, "text", "invalid"),
        ({"text": "ok", "profile": "admin"}, "profile", "invalid_choice"),
        ({"text": "ok", "ui_language": "de"}, "ui_language", "invalid_choice"),
        ({"text": "ok", "extra": 1}, "extra", "unknown_field"),
        ({}, "text", "required"),
    ],
)
def test_invalid_input(body: dict[str, Any], field: str, code: str) -> None:
    response = post("/api/v1/check", body, new_key().secret)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["fields"][field][0]["code"] == code


def test_malformed_and_oversized_bodies() -> None:
    key = new_key().secret
    assert post("/api/v1/check", "{not json", key).json()["code"] == "malformed"
    assert post("/api/v1/check", json.dumps({"text": "x" * 200_000}), key).status_code == 413


def test_zero_width_characters_do_not_hide_an_insult() -> None:
    """Invisible characters (zero-width space, joiners, direction marks, BOM) slipped between the
    letters get the same answer as the plain text."""
    key = new_key().secret
    plain = post("/api/v1/check", {"text": HOSTILE_AR}, key).json()
    invisible = "\u200b\u200c\u200f\ufeff\u2066\u00ad"
    hidden = "".join(c + invisible[i % len(invisible)] for i, c in enumerate(HOSTILE_AR))
    masked = post("/api/v1/check", {"text": hidden}, key).json()
    assert masked["decision"] == plain["decision"] == "reconsider"
    assert masked["reasons"] == plain["reasons"] and masked["scores"] == plain["scores"]


def test_binary_and_mixed_script_input() -> None:
    key = new_key().secret
    binary = bytes(range(256)) * 4
    response = post("/api/v1/check", binary, key)
    assert response.status_code == 400 and response.json()["code"] == "malformed"
    mixed = "enta 7mar يا غبي t'es nul ئەمە 😡 \u202eevil https://xn--pple-43d.com 0770١٢٣٤٥٦٧"
    answered = post("/api/v1/check", {"text": mixed, "profile": "official"}, key)
    assert answered.status_code == 200
    body = answered.json()
    assert all(mixed[f["start"] : f["end"]] == f["text"] for f in body["findings"])
    assert "suspicious_link" in body["reasons"]


def test_hostile_text_is_answered_not_echoed_as_html() -> None:
    text = "<script>alert(1)</script> \u202eevil"
    response = post("/api/v1/check", {"text": text, "profile": "official"}, new_key().secret)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


def test_text_is_not_stored_unless_the_key_opted_in() -> None:
    plain = new_key().secret
    post("/api/v1/check", {"text": HOSTILE_AR}, plain)
    assert StoredCheck.objects.count() == 0
    assert not AuditEvent.objects.filter(data__icontains="حمار").exists()
    keeping = new_key(name="Keeps", store_texts=True, retention_days=7).secret
    body = post("/api/v1/check", {"text": HOSTILE_AR}, keeping).json()
    stored = StoredCheck.objects.get()
    assert stored.text == HOSTILE_AR and stored.check_id == body["check_id"]
    assert 6 <= (stored.expires_at - stored.created_at).days <= 7


@override_settings(AMAN_CHECK_RATE="3/minute")
def test_rate_limit_per_key() -> None:
    first, second = new_key().secret, new_key(name="Other").secret
    codes = [post("/api/v1/check", {"text": "hi"}, first).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = post("/api/v1/check", {"text": "hi"}, first)
    assert limited.json()["code"] == "rate_limited" and int(limited["Retry-After"]) > 0
    assert post("/api/v1/check", {"text": "hi"}, second).status_code == 200


def test_per_key_rate_overrides_the_default() -> None:
    key = new_key(rate_limit="1/minute").secret
    assert [post("/api/v1/check", {"text": "hi"}, key).status_code for _ in range(2)] == [200, 429]


def test_cors_preflight_for_allowed_origins_only() -> None:
    new_key()
    client = Client()
    ok = client.options("/api/v1/check", HTTP_ORIGIN=ORIGIN, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert ok.status_code == 204
    assert ok["Access-Control-Allow-Origin"] == ORIGIN
    assert "Authorization" in ok["Access-Control-Allow-Headers"] and "POST" in ok["Access-Control-Allow-Methods"]
    other = client.options(
        "/api/v1/check", HTTP_ORIGIN="https://evil.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert "Access-Control-Allow-Origin" not in other
    outcome = client.options("/api/v1/check/outcome", HTTP_ORIGIN=ORIGIN)
    assert outcome["Access-Control-Allow-Origin"] == ORIGIN


def test_post_from_an_origin_the_key_does_not_allow() -> None:
    key = new_key().secret
    new_key(name="Other site", allowed_origins=["https://other.example"])
    response = post("/api/v1/check", {"text": "hi"}, key, Origin="https://other.example")
    assert response.status_code == 403 and response.json()["code"] == "origin_not_allowed"
    allowed = post("/api/v1/check", {"text": "hi"}, key, Origin=ORIGIN)
    assert allowed.status_code == 200 and allowed["Access-Control-Allow-Origin"] == ORIGIN
    assert "Origin" in allowed["Vary"]


def test_wildcard_only_when_the_admin_sets_it() -> None:
    key = new_key(allowed_origins=["*"]).secret
    assert post("/api/v1/check", {"text": "hi"}, key, Origin="https://anywhere.example").status_code == 200


def test_outcomes_are_counted_per_key_and_day_once_per_check() -> None:
    made = new_key()
    check = post("/api/v1/check", {"text": HOSTILE_AR}, made.secret).json()
    for outcome in ("shown", "shown", "posted_anyway"):
        post("/api/v1/check/outcome", {"check_id": check["check_id"], "outcome": outcome}, made.secret)
    second = post("/api/v1/check", {"text": HOSTILE_AR}, made.secret).json()
    post("/api/v1/check/outcome", {"check_id": second["check_id"], "outcome": "shown"}, made.secret)
    counted = post("/api/v1/check/outcome", {"check_id": second["check_id"], "outcome": "edited"}, made.secret)
    assert counted.json() == {"counted": True}
    row = CheckDailyCount.objects.get(api_key=made.api_key)
    assert (row.checks, row.reconsider, row.shown, row.edited, row.posted_anyway) == (2, 2, 2, 1, 1)


def test_outcome_for_another_keys_check_is_refused() -> None:
    first, second = new_key(), new_key(name="Other")
    check = post("/api/v1/check", {"text": "hi"}, first.secret).json()
    response = post("/api/v1/check/outcome", {"check_id": check["check_id"], "outcome": "shown"}, second.secret)
    assert response.status_code == 400 and response.json()["code"] == "check_id_invalid"
    forged = post("/api/v1/check/outcome", {"check_id": "abc", "outcome": "shown"}, second.secret)
    assert forged.json()["code"] == "check_id_invalid"
    bad = post("/api/v1/check/outcome", {"check_id": check["check_id"], "outcome": "liked"}, first.secret)
    assert bad.json()["fields"]["outcome"][0]["code"] == "invalid_choice"


def test_keys_are_stored_only_as_hashes() -> None:
    made = new_key()
    assert made.secret.startswith(f"aman_{made.api_key.prefix}_")
    assert made.secret not in json.dumps(list(made.api_key.__class__.objects.values()), default=str)
    assert made.secret not in json.dumps(list(AuditEvent.objects.values("data")), default=str)


def test_revocation_applies_at_once_even_after_the_key_was_cached(
    admin_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    made = new_key()
    assert post("/api/v1/check", {"text": "hello"}, made.secret).status_code == 200  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        apikey_revoke(api_key=made.api_key, acting_user=admin_user)
    assert post("/api/v1/check", {"text": "hello"}, made.secret).json()["code"] == "api_key_invalid"
