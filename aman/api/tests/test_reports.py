"""The reporter's endpoints: submit, replay, read, reply, add links, change consent."""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from aman.api.tests.conftest import REPORT, snapshot
from aman.audit.events import EventType
from aman.audit.models import AuditEvent
from aman.cases.models import Case, Message
from aman.cases.states import REPORTER_STATUS, Status
from aman.core.crypto import decrypt_text
from aman.intake.codes import REFERENCE_PATTERN, normalize_code

pytestmark = pytest.mark.django_db

Submit = Callable[..., dict[str, Any]]


def reporter(api: APIClient, code: str) -> APIClient:
    api.credentials(HTTP_X_FOLLOW_UP_CODE=code)
    return api


# Submitting -----------------------------------------------------------------------------------


def test_submit_stores_the_report_and_answers_with_reference_and_code(api: APIClient) -> None:
    response = api.post("/api/v1/reports", REPORT, format="json", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"reference", "follow_up_code", "status"}
    assert REFERENCE_PATTERN.match(body["reference"])
    assert normalize_code(body["follow_up_code"]) == body["follow_up_code"]
    assert body["status"] == "new"
    assert response["Cache-Control"] == "no-store"

    case = Case.objects.get(reference=body["reference"])
    assert case.source == "api"
    assert case.language == "fr"  # from Accept-Language
    assert case.category == case.reported_category == "harassment_bullying"
    assert case.platform_list == ["instagram", "tiktok"]
    assert sorted(case.items.values_list("kind", "value")) == [
        ("handle", "@synthetic_bully"),
        ("url", "https://instagram.com/p/synthetic1"),
    ]
    assert case.contact_method == "email"
    assert decrypt_text(case.contact_encrypted) == "email:reporter@example.org"
    assert "reporter@example.org" not in case.contact_encrypted
    assert (case.consent_platform, case.consent_police, case.consent_hotline) == (True, False, False)
    assert AuditEvent.objects.filter(case=case, event_type=EventType.REPORT_SUBMITTED).count() == 1


def test_submit_minimal_report_defaults_to_no_contact_no_consent_and_arabic(api: APIClient) -> None:
    minimal = {k: REPORT[k] for k in ("category", "description", "affected", "age_band")}

    response = api.post("/api/v1/reports", minimal, format="json")

    assert response.status_code == 201
    case = Case.objects.get(reference=response.json()["reference"])
    assert case.language == "ar"
    assert case.contact_method == "none"
    assert case.contact_encrypted == "" or decrypt_text(case.contact_encrypted) == ""
    assert not (case.consent_platform or case.consent_police or case.consent_hotline)
    assert case.items.count() == 0


def test_explicit_language_wins_over_accept_language(api: APIClient) -> None:
    response = api.post("/api/v1/reports", {**REPORT, "language": "ckb"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert Case.objects.get(reference=response.json()["reference"]).language == "ckb"


def test_phone_contact_is_normalised_by_the_shared_validator(api: APIClient) -> None:
    contact = {"method": "phone", "value": "+964 ٧٧٠ 123-4567"}
    response = api.post("/api/v1/reports", {**REPORT, "contact": contact}, format="json")
    assert response.status_code == 201
    case = Case.objects.get(reference=response.json()["reference"])
    assert decrypt_text(case.contact_encrypted) == "phone:+9647701234567"


def test_a_minor_in_a_sextortion_case_makes_it_critical(api: APIClient) -> None:
    response = api.post("/api/v1/reports", {**REPORT, "category": "sextortion", "age_band": "13_17"}, format="json")
    case = Case.objects.get(reference=response.json()["reference"])
    assert (case.urgency, case.minor_involved) == ("critical", True)


def test_report_endpoint_needs_no_csrf_token_even_with_a_session_cookie(api: APIClient, staff: Any) -> None:
    csrf_client = APIClient(enforce_csrf_checks=True)
    csrf_client.force_login(staff["agent"])  # a stray session cookie must not make the public endpoint demand CSRF
    response = csrf_client.post("/api/v1/reports", REPORT, format="json")
    assert response.status_code == 201


# Idempotency ---------------------------------------------------------------------------------


def test_replay_with_the_same_key_stores_exactly_one_case(api: APIClient) -> None:
    key = str(uuid.uuid4())
    first = api.post("/api/v1/reports", REPORT, format="json", HTTP_IDEMPOTENCY_KEY=key)
    second = api.post("/api/v1/reports", REPORT, format="json", HTTP_IDEMPOTENCY_KEY=key)
    third = api.post("/api/v1/reports", REPORT, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert first.status_code == 201
    assert second.status_code == third.status_code == 200
    assert second.json() == third.json() == first.json()
    assert Case.objects.count() == 1
    assert AuditEvent.objects.filter(event_type=EventType.REPORT_SUBMITTED).count() == 1


def test_replay_after_the_cached_code_expired_answers_null_code(api: APIClient) -> None:
    from django.core.cache import cache

    key = str(uuid.uuid4())
    first = api.post("/api/v1/reports", REPORT, format="json", HTTP_IDEMPOTENCY_KEY=key).json()
    replay_keys = [k.split(":", 2)[2] for k in list(cache._cache) if "intake-replay:" in k]  # type: ignore[attr-defined]
    assert len(replay_keys) == 1
    cache.delete(replay_keys[0])  # as if the 24 hours had passed

    again = api.post("/api/v1/reports", REPORT, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert again.status_code == 200
    assert again.json() == {"reference": first["reference"], "follow_up_code": None, "status": "new"}
    assert Case.objects.count() == 1


def test_same_key_with_a_different_body_does_not_reveal_the_first_case(api: APIClient) -> None:
    key = str(uuid.uuid4())
    first = api.post("/api/v1/reports", REPORT, format="json", HTTP_IDEMPOTENCY_KEY=key).json()
    other = {**REPORT, "description": "An attacker who guessed the key but not the report."}

    response = api.post("/api/v1/reports", other, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == 201
    assert response.json()["reference"] != first["reference"]
    assert response.json()["follow_up_code"] != first["follow_up_code"]
    assert Case.objects.count() == 2


def test_different_keys_store_different_cases(api: APIClient) -> None:
    a = api.post("/api/v1/reports", REPORT, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    b = api.post("/api/v1/reports", REPORT, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    assert a.json()["reference"] != b.json()["reference"]
    assert Case.objects.count() == 2


@pytest.mark.parametrize("key", ["short", "x" * 201, "has space in it 123", "ключ-ключ-ключ-ключ", "a\tb" * 8])
def test_a_weak_or_malformed_idempotency_key_is_refused(api: APIClient, key: str) -> None:
    response = api.post("/api/v1/reports", REPORT, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert response.json()["fields"]["Idempotency-Key"][0]["code"] == "invalid_idempotency_key"
    assert Case.objects.count() == 0


# Rate limit ------------------------------------------------------------------------------------


@override_settings(AMAN_REPORT_RATE="3/hour")
def test_reports_are_rate_limited_per_connection_token(api: APIClient) -> None:
    statuses = [api.post("/api/v1/reports", REPORT, format="json").status_code for _ in range(4)]

    assert statuses == [201, 201, 201, 429]
    limited = api.post("/api/v1/reports", REPORT, format="json")
    assert limited.json()["code"] == "rate_limited"
    assert limited.json()["message"]
    assert int(limited["Retry-After"]) > 0
    assert Case.objects.count() == 3
    # Another connection (another address, so another client token) is not affected.
    other = APIClient(REMOTE_ADDR="198.51.100.7")
    assert other.post("/api/v1/reports", REPORT, format="json").status_code == 201


@override_settings(AMAN_REPORT_RATE="2/hour")
def test_the_throttle_uses_the_client_token_not_the_address(api: APIClient) -> None:
    from aman.api.base import ReportRateThrottle

    seen: list[str] = []
    original = ReportRateThrottle.get_ident

    def spy(self: ReportRateThrottle, request: Any) -> str:
        ident = original(self, request)
        seen.append(ident)
        return ident

    ReportRateThrottle.get_ident = spy  # type: ignore[method-assign]
    try:
        api.post("/api/v1/reports", REPORT, format="json", REMOTE_ADDR="203.0.113.9")
    finally:
        ReportRateThrottle.get_ident = original  # type: ignore[method-assign]
    assert len(seen) == 1
    assert "203.0.113.9" not in seen[0]
    assert len(seen[0]) == 24  # the privacy middleware's keyed token


@override_settings(AMAN_REPORT_RATE="2/hour")
def test_portal_and_api_share_one_budget_per_connection(api: APIClient) -> None:
    from django.test import Client

    portal = Client()
    assert api.post("/api/v1/reports", REPORT, format="json").status_code == 201
    page = portal.post("/report/", {"category": "other", "description": "x", "affected": "me", "age_band": "18_plus"})
    assert page.status_code == 200
    assert Case.objects.filter(source="portal").count() == 1
    assert api.post("/api/v1/reports", REPORT, format="json").status_code == 429


# Following up ----------------------------------------------------------------------------------


def test_reporter_reads_status_messages_items_and_consent(api: APIClient, report: dict[str, Any], staff: Any) -> None:
    case = Case.objects.get(reference=report["reference"])
    Message.objects.create(
        case=case, direction=Message.Direction.TO_REPORTER, body="Synthetic reply", author=staff["agent"]
    )

    response = reporter(api, report["follow_up_code"]).get(f"/api/v1/reports/{report['reference']}")

    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == report["reference"]
    assert body["status"] == "new"
    assert body["status_text"] == str(REPORTER_STATUS[Status.NEW])
    assert [(m["direction"], m["body"]) for m in body["messages"]] == [("to_reporter", "Synthetic reply")]
    assert "author" not in body["messages"][0]
    assert {i["value"] for i in body["items"]} == {"https://instagram.com/p/synthetic1", "@synthetic_bully"}
    assert body["consent"] | {"updated_at": None} == {
        "platform": True,
        "police": False,
        "hotline": False,
        "updated_at": None,
    }
    assert "contact" not in body and "description" not in body and "notes" not in body
    assert response["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(case=case, event_type=EventType.REPORTER_VIEWED).count() == 1


def test_reference_and_code_are_accepted_in_loose_forms(api: APIClient, report: dict[str, Any]) -> None:
    loose_reference = report["reference"].lower().replace("-", "")
    loose_code = report["follow_up_code"].replace("-", " ").lower()
    response = reporter(api, loose_code).get(f"/api/v1/reports/{loose_reference}")
    assert response.status_code == 200
    assert response.json()["reference"] == report["reference"]


def test_reporter_reply_is_stored_and_brings_a_waiting_case_back(
    api: APIClient, report: dict[str, Any], as_user: Any, staff: Any
) -> None:
    agent = as_user(staff["agent"])
    ref = report["reference"]
    agent.post(f"/api/v1/cases/{ref}/triage", {"category": "harassment_bullying", "urgency": "medium"}, format="json")
    agent.post(
        f"/api/v1/cases/{ref}/messages", {"body": "Can you send the link?", "wait_for_reply": True}, format="json"
    )
    assert Case.objects.get(reference=ref).status == Status.WAITING

    response = reporter(api, report["follow_up_code"]).post(
        f"/api/v1/reports/{ref}", {"message": "Here it is."}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["direction"] == "from_reporter"
    assert response.json()["body"] == "Here it is."
    case = Case.objects.get(reference=ref)
    assert case.status == Status.IN_PROGRESS
    assert case.messages.filter(direction="from_reporter").get().body == "Here it is."


def test_reporter_adds_items(api: APIClient, report: dict[str, Any]) -> None:
    ref = report["reference"]
    response = reporter(api, report["follow_up_code"]).post(
        f"/api/v1/reports/{ref}/items", {"items": ["tiktok.com/@fake_profile", "another_handle"]}, format="json"
    )

    assert response.status_code == 201
    values = [i["value"] for i in response.json()]
    assert "https://tiktok.com/@fake_profile" in values
    assert "@another_handle" in values
    assert Case.objects.get(reference=ref).items.count() == 4
    assert "another_handle" in Case.objects.get(reference=ref).search_text


def test_reporter_changes_consent(api: APIClient, report: dict[str, Any]) -> None:
    ref = report["reference"]
    response = reporter(api, report["follow_up_code"]).put(
        f"/api/v1/reports/{ref}/consent", {"platform": False, "police": True, "hotline": True}, format="json"
    )

    assert response.status_code == 200
    assert {k: response.json()[k] for k in ("platform", "police", "hotline")} == {
        "platform": False,
        "police": True,
        "hotline": True,
    }
    case = Case.objects.get(reference=ref)
    assert (case.consent_platform, case.consent_police, case.consent_hotline) == (False, True, True)
    event = AuditEvent.objects.get(case=case, event_type=EventType.REPORTER_CHANGED_CONSENT)
    assert event.data["changes"] == {"platform": [True, False], "police": [False, True], "hotline": [False, True]}


def test_consent_update_needs_all_three_answers(api: APIClient, report: dict[str, Any]) -> None:
    before = snapshot()
    response = reporter(api, report["follow_up_code"]).put(
        f"/api/v1/reports/{report['reference']}/consent", {"police": True}, format="json"
    )
    assert response.status_code == 400
    assert {f: response.json()["fields"][f][0]["code"] for f in ("platform", "hotline")} == {
        "platform": "required",
        "hotline": "required",
    }
    assert snapshot() == before


# Wrong codes ----------------------------------------------------------------------------------

FOLLOW_UP_PATHS = [
    ("get", "/api/v1/reports/{ref}", None),
    ("post", "/api/v1/reports/{ref}", {"message": "hello"}),
    ("post", "/api/v1/reports/{ref}/items", {"items": ["@someone"]}),
    ("put", "/api/v1/reports/{ref}/consent", {"platform": True, "police": True, "hotline": True}),
]


def _call(api: APIClient, method: str, path: str, body: Any) -> Any:
    return getattr(api, method)(path, body, format="json") if body is not None else getattr(api, method)(path)


@pytest.mark.parametrize(("method", "path", "body"), FOLLOW_UP_PATHS)
def test_a_wrong_code_an_unknown_reference_and_no_code_get_the_same_404(
    api: APIClient, report: dict[str, Any], method: str, path: str, body: Any
) -> None:
    wrong_code = "2222-3333-4444-5555"
    unknown = "AMN-2222-3333"
    before = snapshot()

    answers = [
        _call(reporter(APIClient(), wrong_code), method, path.format(ref=report["reference"]), body),
        _call(reporter(APIClient(), wrong_code), method, path.format(ref=unknown), body),
        _call(reporter(APIClient(), report["follow_up_code"]), method, path.format(ref=unknown), body),
        _call(APIClient(), method, path.format(ref=report["reference"]), body),
        _call(reporter(APIClient(), wrong_code), method, path.format(ref="not-a-reference"), body),
    ]

    assert {a.status_code for a in answers} == {404}
    assert len({a.content for a in answers}) == 1
    assert answers[0].json()["code"] == "not_found"
    assert answers[0].json()["message"]
    cases, items, messages, notes, _audit = snapshot()
    assert (cases, items, messages, notes) == before[:4]
    # The only thing written is the failed-code record on the real case (for the audit log).
    new_events = AuditEvent.objects.order_by("sequence")[before[4] :]
    assert {e.event_type for e in new_events} <= {EventType.FOLLOW_UP_FAILED}


@override_settings(AMAN_FOLLOW_UP_MAX_ATTEMPTS=3)
def test_wrong_codes_are_rate_limited_then_even_the_right_code_is_refused(
    api: APIClient, report: dict[str, Any]
) -> None:
    ref = report["reference"]
    for _ in range(3):
        assert reporter(APIClient(), "2222-3333-4444-5555").get(f"/api/v1/reports/{ref}").status_code == 404

    blocked = reporter(APIClient(), report["follow_up_code"]).get(f"/api/v1/reports/{ref}")

    assert blocked.status_code == 404
    unknown = reporter(APIClient(), "2222-3333-4444-5555").get("/api/v1/reports/AMN-2222-3333")
    assert blocked.content == unknown.content
    assert not AuditEvent.objects.filter(event_type=EventType.REPORTER_VIEWED).exists()


@override_settings(AMAN_FOLLOW_UP_MAX_ATTEMPTS=3)
def test_guessing_across_references_is_limited_per_connection(api: APIClient, submit: Submit) -> None:
    target = submit()
    # 4 × limit failures from one connection, spread over unknown references.
    for i in range(12):
        reporter(api, "2222-3333-4444-5555").get(f"/api/v1/reports/AMN-2222-33{'ABCDEFGHJKMN'[i]}3")

    same_connection = reporter(api, target["follow_up_code"]).get(f"/api/v1/reports/{target['reference']}")
    other_connection = reporter(APIClient(REMOTE_ADDR="198.51.100.8"), target["follow_up_code"]).get(
        f"/api/v1/reports/{target['reference']}"
    )

    assert same_connection.status_code == 404
    assert other_connection.status_code == 200
