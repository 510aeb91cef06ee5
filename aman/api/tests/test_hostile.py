"""Hostile input on every field and every body: a JSON error with a stable code, and nothing stored.

Policy (the same as the portal's, where there is one):
- values from a fixed vocabulary (categories, platforms, statuses, booleans…) accept exactly that;
- links, handles, e-mail, phone, usernames and keys refuse hidden characters (bidi overrides,
  controls, zero-width) with ``invalid_characters`` or their own format code;
- free text (description, messages, notes, reasons) refuses null bytes and lone surrogates,
  removes bidi overrides and control characters as the portal does, and keeps HTML as inert
  text (it is escaped where it is shown, never interpreted): a victim may need to quote it.
"""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from aman.api.base import MAX_BODY_BYTES
from aman.api.tests.conftest import REPORT, snapshot
from aman.cases.models import Case
from aman.core.text import clean_user_text
from aman.intake.validation import MAX_DESCRIPTION, MAX_ITEM_LENGTH, MAX_ITEMS, MAX_MESSAGE

pytestmark = pytest.mark.django_db

RLO = "\u202e"
SCRIPT = "<script>alert(1)</script>"
HYPOTHESIS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def _at(fields: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = fields
    for key in path:
        node = node[key]
    return node


def assert_rejected(response: Any, path: tuple[str, ...], code: str, *, status: int = 400) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == "invalid"
    assert body["message"]
    errors = _at(body["fields"], path)
    assert isinstance(errors, list) and errors, body
    assert code in [e["code"] for e in errors], body
    assert all(e["message"] for e in errors)


# POST /api/v1/reports: every field ---------------------------------------------------------------

REPORT_CASES: list[tuple[str, Any, tuple[str, ...], str]] = [
    # category
    ("category", "x" * 10_000, ("category",), "invalid_choice"),
    ("category", 1, ("category",), "invalid_choice"),
    ("category", ["other"], ("category",), "invalid_choice"),
    ("category", {"a": 1}, ("category",), "invalid_choice"),
    ("category", None, ("category",), "null"),
    ("category", "", ("category",), "invalid_choice"),
    ("category", SCRIPT, ("category",), "invalid_choice"),
    ("category", "other" + RLO, ("category",), "invalid_choice"),
    ("category", "other\x00", ("category",), "invalid_choice"),
    # platforms
    ("platforms", "tiktok", ("platforms",), "not_a_list"),
    ("platforms", None, ("platforms",), "null"),
    ("platforms", ["myspace"], ("platforms", "0"), "invalid_choice"),
    ("platforms", [1], ("platforms", "0"), "invalid_choice"),
    ("platforms", [SCRIPT], ("platforms", "0"), "invalid_choice"),
    ("platforms", ["tiktok" + RLO], ("platforms", "0"), "invalid_choice"),
    ("platforms", ["tiktok"] * 10, ("platforms",), "max_length"),
    # items
    ("items", "https://example.org/a", ("items",), "not_a_list"),
    ("items", None, ("items",), "null"),
    ("items", [123], ("items", "0"), "invalid"),
    ("items", [None], ("items", "0"), "null"),
    ("items", [""], ("items", "0"), "blank"),
    ("items", ["   "], ("items", "0"), "blank"),
    ("items", [SCRIPT], ("items",), "invalid_item"),
    ("items", ["javascript:alert(1)"], ("items",), "invalid_item"),
    ("items", ["https://example.org/" + RLO + "gpj.exe"], ("items", "0"), "invalid_characters"),
    ("items", ["@name\x00"], ("items", "0"), "null_characters_not_allowed"),
    ("items", ["https://example.org/" + "a" * MAX_ITEM_LENGTH], ("items",), "too_long"),
    ("items", [f"@user{i}" for i in range(MAX_ITEMS + 1)], ("items",), "too_many"),
    # description
    ("description", "x" * (MAX_DESCRIPTION + 1), ("description",), "too_long"),
    ("description", 12, ("description",), "invalid"),
    ("description", ["text"], ("description",), "invalid"),
    ("description", {"text": "x"}, ("description",), "invalid"),
    ("description", True, ("description",), "invalid"),
    ("description", None, ("description",), "null"),
    ("description", "", ("description",), "blank"),
    ("description", "  \n ", ("description",), "blank"),
    ("description", RLO + "\u200b\x07", ("description",), "blank"),
    ("description", "before\x00after", ("description",), "null_characters_not_allowed"),
    # affected, age_band
    ("affected", "everyone", ("affected",), "invalid_choice"),
    ("affected", SCRIPT, ("affected",), "invalid_choice"),
    ("affected", None, ("affected",), "null"),
    ("age_band", 12, ("age_band",), "invalid_choice"),
    ("age_band", "", ("age_band",), "invalid_choice"),
    ("age_band", "13_17" + RLO, ("age_band",), "invalid_choice"),
    # in_danger_now
    ("in_danger_now", "yes", ("in_danger_now",), "invalid"),
    ("in_danger_now", 1, ("in_danger_now",), "invalid"),
    ("in_danger_now", "true", ("in_danger_now",), "invalid"),
    ("in_danger_now", None, ("in_danger_now",), "null"),
    ("in_danger_now", [], ("in_danger_now",), "invalid"),
    # contact
    ("contact", "email", ("contact", "non_field_errors"), "invalid"),
    ("contact", None, ("contact",), "null"),
    ("contact", {"method": "fax"}, ("contact", "method"), "invalid_choice"),
    ("contact", {"method": "email", "value": "not-an-address"}, ("contact", "value"), "invalid_email"),
    ("contact", {"method": "email", "value": SCRIPT + "@example.org"}, ("contact", "value"), "invalid_email"),
    ("contact", {"method": "email", "value": ""}, ("contact", "value"), "invalid_email"),
    ("contact", {"method": "email", "value": "a" * 250 + "@example.org"}, ("contact", "value"), "max_length"),
    ("contact", {"method": "email", "value": "a" + RLO + "@example.org"}, ("contact", "value"), "invalid_characters"),
    ("contact", {"method": "phone", "value": "+964" + RLO + "7701234567"}, ("contact", "value"), "invalid_characters"),
    ("contact", {"method": "phone", "value": "+964770\x00"}, ("contact", "value"), "null_characters_not_allowed"),
    ("contact", {"method": "phone", "value": "call me"}, ("contact", "value"), "invalid_phone"),
    ("contact", {"method": "phone", "value": 9647701234567}, ("contact", "value"), "invalid"),
    ("contact", {"method": "none", "value": "someone@example.org"}, ("contact", "value"), "not_allowed"),
    ("contact", {"method": "none", "extra": 1}, ("contact", "extra"), "unknown_field"),
    # consent
    ("consent", [], ("consent", "non_field_errors"), "invalid"),
    ("consent", {"platform": "yes"}, ("consent", "platform"), "invalid"),
    ("consent", {"police": 1}, ("consent", "police"), "invalid"),
    ("consent", {"hotline": None}, ("consent", "hotline"), "null"),
    ("consent", {"platfrom": True}, ("consent", "platfrom"), "unknown_field"),
    # language
    ("language", "de", ("language",), "invalid_choice"),
    ("language", 5, ("language",), "invalid_choice"),
    ("language", "ar" + RLO, ("language",), "invalid_choice"),
    # a field the API does not know (e.g. a misspelt consent) is an error, not silently dropped
    ("consent_police", True, ("consent_police",), "unknown_field"),
    (SCRIPT, "x", (SCRIPT,), "unknown_field"),
]


@pytest.mark.parametrize(
    ("field", "value", "path", "code"), REPORT_CASES, ids=[f"{c[0][:20]}-{i}" for i, c in enumerate(REPORT_CASES)]
)
def test_report_field_rejected(api: APIClient, field: str, value: Any, path: tuple[str, ...], code: str) -> None:
    before = snapshot()
    raw = json.dumps({**REPORT, field: value})  # ASCII-escaped, as a hostile client may send it
    response = api.generic("POST", "/api/v1/reports", raw, content_type="application/json")
    assert_rejected(response, path, code)
    assert snapshot() == before


@pytest.mark.parametrize("field", ["category", "description", "affected", "age_band"])
def test_report_required_field_missing(api: APIClient, field: str) -> None:
    before = snapshot()
    body = {k: v for k, v in REPORT.items() if k != field}
    assert_rejected(api.post("/api/v1/reports", body, format="json"), (field,), "required")
    assert snapshot() == before


def test_every_error_is_reported_at_once(api: APIClient) -> None:
    body = {"category": "nope", "description": "", "affected": 1, "age_band": None, "items": [SCRIPT]}
    fields = api.post("/api/v1/reports", body, format="json").json()["fields"]
    assert set(fields) == {"category", "description", "affected", "age_band", "items"}


def test_free_text_keeps_html_as_inert_text_and_drops_bidi_overrides(api: APIClient) -> None:
    description = f"He wrote {SCRIPT} and <b>this</b> " + RLO + "gnp.exe"
    response = api.post("/api/v1/reports", {**REPORT, "description": description}, format="json")
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    case = Case.objects.get(reference=response.json()["reference"])
    assert case.description == f"He wrote {SCRIPT} and <b>this</b> gnp.exe"
    assert RLO not in case.description


def test_the_largest_valid_report_fits_even_fully_escaped(api: APIClient) -> None:
    handles = [f"@{'ح' * 60}{i:02d}" for i in range(MAX_ITEMS)]
    body = {**REPORT, "description": "ع" * MAX_DESCRIPTION, "items": handles}
    raw = json.dumps(body, ensure_ascii=True)
    assert len(raw) > 30_000
    response = api.generic("POST", "/api/v1/reports", raw, content_type="application/json")
    assert response.status_code == 201, response.content
    case = Case.objects.get(reference=response.json()["reference"])
    assert len(case.description) == MAX_DESCRIPTION
    assert case.items.count() == MAX_ITEMS


def test_items_are_deduplicated_and_normalised(api: APIClient) -> None:
    items = ["example.org/x", "https://example.org/x", "name", "@name"]
    response = api.post("/api/v1/reports", {**REPORT, "items": items}, format="json")
    case = Case.objects.get(reference=response.json()["reference"])
    assert list(case.items.values_list("value", flat=True)) == ["https://example.org/x", "@name"]


# Bodies ------------------------------------------------------------------------------------------

JSON = "application/json"
UNSUPPORTED = "unsupported_media_type"
BODY_CASES: list[tuple[str, bytes, str, int, str]] = [
    ("not json", b"{category: other", "application/json", 400, "malformed"),
    ("truncated", json.dumps(REPORT).encode()[:-5], "application/json", 400, "malformed"),
    ("invalid utf-8", b'{"description": "\xff\xfe"}', "application/json", 400, "malformed"),
    ("NaN", b'{"category": NaN}', "application/json", 400, "malformed"),
    ("lone surrogate", b'{"description": "a \\ud800 b"}', "application/json", 400, "malformed"),
    ("lone surrogate in a choice", b'{"category": "\\udfff"}', "application/json", 400, "malformed"),
    ("lone surrogate in a key", b'{"\\ud800": 1}', "application/json", 400, "malformed"),
    ("deep nesting", b"[" * 5000 + b"]" * 5000, "application/json", 400, "malformed"),
    ("huge", json.dumps({**REPORT, "description": "x" * MAX_BODY_BYTES}).encode(), JSON, 413, "too_large"),
    ("form encoded", b"category=other&description=x", "application/x-www-form-urlencoded", 415, UNSUPPORTED),
    ("multipart", b"--x\r\n\r\n--x--", "multipart/form-data; boundary=x", 415, "unsupported_media_type"),
    ("text", json.dumps(REPORT).encode(), "text/plain", 415, "unsupported_media_type"),
    ("xml", b"<report/>", "application/xml", 415, "unsupported_media_type"),
]


@pytest.mark.parametrize(("name", "raw", "content_type", "status", "code"), BODY_CASES, ids=[c[0] for c in BODY_CASES])
def test_hostile_body(api: APIClient, name: str, raw: bytes, content_type: str, status: int, code: str) -> None:
    before = snapshot()
    response = api.generic("POST", "/api/v1/reports", raw, content_type=content_type)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert response.json()["fields"] == {}
    assert snapshot() == before


@pytest.mark.parametrize(
    ("payload", "code"),
    [([], "invalid"), ([REPORT], "invalid"), ("report", "invalid"), (42, "invalid"), (None, "null")],
)
def test_a_body_that_is_not_an_object(api: APIClient, payload: Any, code: str) -> None:
    before = snapshot()
    response = api.generic("POST", "/api/v1/reports", json.dumps(payload), content_type="application/json")
    assert_rejected(response, ("non_field_errors",), code)
    assert snapshot() == before


def test_an_empty_body_lists_the_required_fields(api: APIClient) -> None:
    response = api.generic("POST", "/api/v1/reports", b"", content_type="application/json")
    assert response.status_code == 400
    assert {f for f, errs in response.json()["fields"].items() if errs[0]["code"] == "required"} == {
        "category",
        "description",
        "affected",
        "age_band",
    }


def test_many_unknown_fields_are_reported_briefly(api: APIClient) -> None:
    body = {**REPORT, **{f"j{i}": i for i in range(2000)}}
    response = api.post("/api/v1/reports", body, format="json")
    assert response.status_code == 400
    assert len(response.json()["fields"]) <= 10
    assert Case.objects.count() == 0


# Follow-up endpoints ----------------------------------------------------------------------------

FOLLOW_UP_CASES: list[tuple[str, str, dict[str, Any], tuple[str, ...], str]] = [
    ("post", "", {"message": ""}, ("message",), "blank"),
    ("post", "", {"message": RLO}, ("message",), "blank"),
    ("post", "", {"message": "x" * (MAX_MESSAGE + 1)}, ("message",), "too_long"),
    ("post", "", {"message": ["hi"]}, ("message",), "invalid"),
    ("post", "", {"message": None}, ("message",), "null"),
    ("post", "", {"message": "a\x00b"}, ("message",), "null_characters_not_allowed"),
    ("post", "", {}, ("message",), "required"),
    ("post", "", {"message": "hi", "code": "x"}, ("code",), "unknown_field"),
    ("post", "/items", {"items": []}, ("items",), "empty"),
    ("post", "/items", {"items": [SCRIPT]}, ("items",), "invalid_item"),
    ("post", "/items", {"items": ["@a" + RLO]}, ("items", "0"), "invalid_characters"),
    ("post", "/items", {"items": "@someone"}, ("items",), "not_a_list"),
    ("post", "/items", {"items": [f"@u{i}" for i in range(MAX_ITEMS + 1)]}, ("items",), "too_many"),
    ("put", "/consent", {"platform": "on", "police": True, "hotline": True}, ("platform",), "invalid"),
    ("put", "/consent", {"platform": True, "police": 0, "hotline": True}, ("police",), "invalid"),
    ("put", "/consent", {"platform": True, "police": True, "hotline": None}, ("hotline",), "null"),
]


@pytest.mark.parametrize(("method", "suffix", "body", "path", "code"), FOLLOW_UP_CASES)
def test_follow_up_field_rejected(
    api: APIClient, report: dict[str, Any], method: str, suffix: str, body: dict[str, Any], path: Any, code: str
) -> None:
    api.credentials(HTTP_X_FOLLOW_UP_CODE=report["follow_up_code"])
    before = snapshot()
    response = getattr(api, method)(f"/api/v1/reports/{report['reference']}{suffix}", body, format="json")
    assert_rejected(response, path, code)
    assert snapshot() == before


@pytest.mark.parametrize("suffix", ["", "/items"])
def test_follow_up_hostile_bodies(api: APIClient, report: dict[str, Any], suffix: str) -> None:
    api.credentials(HTTP_X_FOLLOW_UP_CODE=report["follow_up_code"])
    path = f"/api/v1/reports/{report['reference']}{suffix}"
    before = snapshot()
    assert api.generic("POST", path, b"{oops", content_type="application/json").json()["code"] == "malformed"
    assert api.generic("POST", path, b"message=hi", content_type="text/plain").status_code == 415
    huge = json.dumps({"message": "x" * MAX_BODY_BYTES})
    assert api.generic("POST", path, huge, content_type="application/json").status_code == 413
    assert snapshot() == before


# Property-based: free text ------------------------------------------------------------------------

HIDDEN = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\ufeff\x00\x07\x1b\r\n\t "
free_text = st.text(
    alphabet=st.one_of(st.sampled_from(HIDDEN + "<>&\"'/"), st.characters(codec="utf-8")), min_size=0, max_size=40
)


@HYPOTHESIS
@given(text=free_text)
def test_any_description_is_stored_cleaned_or_refused_with_a_known_code(api: APIClient, text: str) -> None:
    cache.clear()
    count = Case.objects.count()
    response = api.post("/api/v1/reports", {**REPORT, "description": text}, format="json")
    cleaned = clean_user_text(text)
    if "\x00" in text:
        assert_rejected(response, ("description",), "null_characters_not_allowed")
    elif not cleaned:
        assert_rejected(response, ("description",), "blank")
    else:
        assert response.status_code == 201, response.content
        assert Case.objects.get(reference=response.json()["reference"]).description == cleaned
        return
    assert Case.objects.count() == count


@HYPOTHESIS
@given(item=st.text(alphabet=st.one_of(st.sampled_from(HIDDEN + "@:/.<>"), st.characters(codec="utf-8")), max_size=30))
def test_any_item_is_a_link_a_handle_or_a_coded_error(api: APIClient, item: str) -> None:
    cache.clear()
    response = api.post("/api/v1/reports", {**REPORT, "items": [item]}, format="json")
    if response.status_code == 201:
        values = list(Case.objects.get(reference=response.json()["reference"]).items.values_list("value", flat=True))
        assert len(values) == 1
        assert values[0].startswith(("https://", "http://", "@"))
        assert clean_user_text(values[0]) == values[0]
    else:
        assert response.status_code == 400
        errors = response.json()["fields"]["items"]
        codes = {e["code"] for e in (errors if isinstance(errors, list) else errors["0"])}
        assert codes <= {
            "blank",
            "empty",
            "invalid_item",
            "invalid_url",
            "invalid_characters",
            "null_characters_not_allowed",
            "too_long",
        }


Factory = Callable[..., dict[str, Any]]
