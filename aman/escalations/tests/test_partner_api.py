"""The partner API: tokens made in the console (shown once, kept as a keyed hash), scoped to one
partner; malformed, oversized and hostile input; wrong, revoked and foreign tokens; replays."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from aman.audit.events import EventType
from aman.audit.models import AuditEvent
from aman.escalations import services
from aman.escalations.models import Escalation, OutcomeStatement, Partner, PartnerToken
from aman.escalations.tests.factories import consented_case, draft_escalation
from aman.escalations.tokens import partner_token_create, partner_token_revoke, token_digest

pytestmark = pytest.mark.django_db

BASE = "/api/v1/partner/escalations"


def _sent_to(slug: str, agent: Any) -> Escalation:
    target = Partner.objects.get(slug=slug)
    case = consented_case(triaged_by=agent)
    escalation = draft_escalation(case=case, target=target, agent=agent)
    services.escalation_send(escalation=escalation, acting_user=agent)
    escalation.refresh_from_db()
    if target.channel == "manual":  # TikTok in the seed: a web form, sent by hand
        escalation = services.escalation_mark_sent(escalation=escalation, acting_user=agent)
    else:  # Meta in the seed: e-mail (Django's test outbox), delivered by the task's service
        assert services.escalation_deliver(escalation_id=escalation.pk) == "sent"
        escalation.refresh_from_db()
    assert escalation.sent_at is not None
    return escalation


def _ref(escalation: Escalation) -> str:
    return f"{escalation.case.reference}-E{escalation.pk}"


def _api(secret: str = "", language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if secret:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def world(agent: Any, admin_user: Any) -> dict[str, Any]:
    tiktok, meta = Partner.objects.get(slug="tiktok"), Partner.objects.get(slug="meta")
    return {
        "tiktok": partner_token_create(partner=tiktok, label="TikTok T&S", acting_user=admin_user).secret,
        "meta": partner_token_create(partner=meta, label="Meta", acting_user=admin_user).secret,
        "tt": _sent_to("tiktok", agent),
        "mt": _sent_to("meta", agent),
    }


def _answer(client: APIClient, reference: str, body: dict[str, Any], key: str | None = None) -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key if key is not None else str(uuid.uuid4())}
    return client.post(f"{BASE}/{reference}/outcome", body, format="json", **headers)


def test_token_is_kept_only_as_a_keyed_hash(world: dict[str, Any]) -> None:
    for row in PartnerToken.objects.values():
        assert world["tiktok"] not in str(row) and world["meta"] not in str(row)
    token = PartnerToken.objects.get(partner__slug="tiktok")
    assert token.key_hash == token_digest(world["tiktok"]) and world["tiktok"].startswith(f"amanpt_{token.prefix}_")
    events = AuditEvent.objects.filter(event_type=EventType.PARTNER_SAVED)
    assert events.count() == 2 and all(world["tiktok"] not in str(e.data) for e in events)


def test_a_partner_reads_only_its_own(world: dict[str, Any]) -> None:
    tiktok = _api(world["tiktok"])
    listed = tiktok.get(BASE)
    assert listed.status_code == 200 and listed["Cache-Control"] == "no-store"
    assert [e["reference"] for e in listed.json()["results"]] == [_ref(world["tt"])]
    assert listed.json()["next_since"] is None
    one = tiktok.get(f"{BASE}/{_ref(world['tt'])}")
    assert one.status_code == 200 and one.json()["notice_text"] and "statements" in one.json()
    foreign = tiktok.get(f"{BASE}/{_ref(world['mt'])}")
    unknown = tiktok.get(f"{BASE}/{world['mt'].case.reference}-E999999")
    garbage = tiktok.get(f"{BASE}/nothing-like-a-reference")
    assert foreign.status_code == unknown.status_code == garbage.status_code == 404
    assert foreign.json() == unknown.json() == garbage.json()
    answered = _answer(tiktok, _ref(world["mt"]), {"outcome": "removed"})
    assert answered.status_code == 404 and answered.json() == unknown.json()
    world["mt"].refresh_from_db()
    assert world["mt"].outcome == "" and not OutcomeStatement.objects.exists()


def test_since_pages_on(world: dict[str, Any], agent: Any) -> None:
    second = _sent_to("tiktok", agent)
    tiktok = _api(world["tiktok"])
    page = tiktok.get(BASE, {"limit": 1}).json()
    assert [e["reference"] for e in page["results"]] == [_ref(world["tt"])] and page["next_since"]
    page = tiktok.get(BASE, {"limit": 1, "since": page["next_since"]}).json()
    assert [e["reference"] for e in page["results"]] == [_ref(second)] and page["next_since"] is None
    bad = tiktok.get(BASE, {"since": "yesterday", "limit": 100000})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"since", "limit"}


def test_answer_with_a_statement_of_reasons_is_idempotent(world: dict[str, Any]) -> None:
    tiktok = _api(world["tiktok"])
    body = {
        "outcome": "account_suspended",
        "partner_reference": "TT-CASE-5",
        "scope": "Worldwide, 30 days",
        "facts": "Repeated bullying reported by a trusted flagger.",
        "ground": "incompatible",
        "ground_reference": "Community Guidelines: Harassment",
        "automated_detection": "no",
        "automated_decision": "no",
        "redress": "In-app appeal within 180 days.",
    }
    key = "replay-key-0123456789"
    first = _answer(tiktok, _ref(world["tt"]), body, key)
    assert first.status_code == 201, first.json()
    assert first.json()["status"] == "closed" and first.json()["outcome"] == "account_suspended"
    again = _answer(tiktok, _ref(world["tt"]), body, key)
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert OutcomeStatement.objects.count() == 1
    (statement,) = OutcomeStatement.objects.all()
    assert statement.source == "partner_api" and statement.token is not None and statement.recorded_by is None
    event = AuditEvent.objects.filter(event_type=EventType.ESCALATION_OUTCOME_RECORDED).get()
    assert event.actor_label == "partner:tiktok" and event.data["via"] == "partner_api"
    reused = _answer(tiktok, _ref(world["tt"]), {**body, "outcome": "declined"}, key)
    assert reused.status_code == 409 and reused.json()["code"] == "idempotency_key_reused"
    # A new key for an answer the closed escalation cannot take: a clear error, nothing recorded.
    late = _answer(tiktok, _ref(world["tt"]), {"outcome": "removed"})
    assert late.status_code == 400 and late.json()["code"] == "wrong_state"
    assert OutcomeStatement.objects.count() == 1


def test_wrong_revoked_and_missing_tokens(world: dict[str, Any], admin_user: Any) -> None:
    reference = _ref(world["tt"])
    assert _api().get(BASE).status_code == 401
    assert _api("amanpt_nope_" + "x" * 40).get(BASE).status_code == 401
    assert _api("x" * 5000).get(BASE).status_code == 401
    wrong_scheme = APIClient(HTTP_AUTHORIZATION=f"Token {world['tiktok']}")
    assert wrong_scheme.get(BASE).status_code == 401
    tiktok_token = PartnerToken.objects.get(partner__slug="tiktok")
    partner_token_revoke(token=tiktok_token, acting_user=admin_user)
    assert _api(world["tiktok"]).get(BASE).status_code == 401
    assert _answer(_api(world["tiktok"]), reference, {"outcome": "removed"}).status_code == 401
    Partner.objects.filter(slug="meta").update(active=False)  # an inactive partner's tokens stop too
    assert _api(world["meta"]).get(BASE).status_code == 401
    assert not OutcomeStatement.objects.exists()


def test_staff_sessions_do_not_open_the_partner_api(world: dict[str, Any], supervisor: Any) -> None:
    client = APIClient()
    client.force_login(supervisor)
    assert client.get(BASE).status_code in (401, 403)


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({}, "outcome", "required"),
        ({"outcome": "nuked"}, "outcome", "invalid_choice"),
        ({"outcome": 5}, "outcome", "invalid"),
        ({"outcome": "removed", "ground": "vibes"}, "ground", "invalid_choice"),
        ({"outcome": "removed", "decided_at": "not a date"}, "decided_at", "invalid"),
        ({"outcome": "removed", "facts": "x" * 5000}, "facts", "too_long"),
        ({"outcome": "removed", "facts": ["a", "b"]}, "facts", "invalid"),
        ({"outcome": "removed", "partner_reference": "A\u202eB"}, "partner_reference", "invalid_characters"),
        ({"outcome": "removed", "surprise": 1}, "surprise", "unknown_field"),
    ],
)
def test_malformed_answers_are_refused_in_the_callers_language(
    world: dict[str, Any], body: dict[str, Any], field: str, code: str
) -> None:
    response = _answer(_api(world["tiktok"], "fr"), _ref(world["tt"]), body)
    assert response.status_code == 400, response.json()
    assert response.json()["fields"][field][0]["code"] == code
    assert not OutcomeStatement.objects.exists()


def test_hostile_bodies(world: dict[str, Any]) -> None:
    tiktok = _api(world["tiktok"], "ar")
    url = f"{BASE}/{_ref(world['tt'])}/outcome"
    key = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    too_big = tiktok.post(
        url, b'{"outcome":"removed","facts":"' + b"x" * 200_000 + b'"}', content_type="application/json", **key
    )
    assert too_big.status_code == 413
    deep = tiktok.post(url, b"[" * 100_000 + b"]" * 100_000, content_type="application/json", **key)
    assert deep.status_code in (400, 413)
    assert tiktok.post(url, b"{not json", content_type="application/json", **key).status_code == 400
    assert tiktok.post(url, b'{"outcome": NaN}', content_type="application/json", **key).status_code == 400
    assert tiktok.post(url, b'["removed"]', content_type="application/json", **key).status_code == 400
    assert tiktok.post(url, b'{"outcome":"\\ud800"}', content_type="application/json", **key).status_code == 400
    assert (
        tiktok.post(url, "outcome=removed", content_type="application/x-www-form-urlencoded", **key).status_code == 415
    )
    no_key = tiktok.post(url, {"outcome": "removed"}, format="json")
    assert no_key.status_code == 400 and no_key.json()["fields"]["Idempotency-Key"][0]["code"] == (
        "invalid_idempotency_key"
    )
    short_key = _answer(tiktok, _ref(world["tt"]), {"outcome": "removed"}, key="short")
    assert short_key.status_code == 400
    assert not OutcomeStatement.objects.exists()


def test_admin_makes_a_token_once_and_revokes_it(admin_user: Any) -> None:
    meta = Partner.objects.get(slug="meta")
    client = Client()
    client.force_login(admin_user)
    page = client.post(f"/console/partners/{meta.pk}/tokens/new", {"label": "Meta trust & safety"})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store, private"
    html = page.content.decode()
    token = PartnerToken.objects.get(partner=meta)
    secret = html.split('data-testid="new-token"')[1].split('<code dir="ltr">')[1].split("</code>")[0]
    assert secret.startswith(f"amanpt_{token.prefix}_") and token.key_hash == token_digest(secret)
    again = client.get(f"/console/partners/{meta.pk}/").content.decode()
    assert secret not in again and token.prefix in again
    assert _api(secret).get(BASE).status_code == 200
    client.post(f"/console/partners/{meta.pk}/tokens/{token.pk}/revoke")
    assert _api(secret).get(BASE).status_code == 401
    other = Partner.objects.get(slug="tiktok")
    assert client.post(f"/console/partners/{other.pk}/tokens/{token.pk}/revoke").status_code == 404
