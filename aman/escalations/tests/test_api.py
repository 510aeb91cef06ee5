from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from aman.accounts.models import Role
from aman.accounts.tests.factories import UserFactory
from aman.audit.models import AuditEvent
from aman.cases import services as case_services
from aman.escalations.models import Escalation
from aman.escalations.tests.factories import consented_case, partner

pytestmark = pytest.mark.django_db


def _api(user: Any = None, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_authenticate(user)
    return client


def _body(case: Any, **extra: Any) -> dict[str, Any]:
    return {
        "partner": "test-platform",
        "category": "harassment_bullying",
        "items": [i.pk for i in case.items.all()],
        "explanation": "Daily insults against a child (synthetic).",
        **extra,
    }


def test_create_list_send_and_record_the_answer(agent: Any, django_capture_on_commit_callbacks: Any) -> None:
    partner()
    case = consented_case(triaged_by=agent)
    api = _api(agent)
    created = api.post(f"/api/v1/cases/{case.reference}/escalations", _body(case), format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["status"] == "draft" and "bona fide" in data["notice_text"] and data["without_consent"] is False
    listed = api.get(f"/api/v1/cases/{case.reference}/escalations").json()
    assert [e["id"] for e in listed] == [data["id"]]
    with django_capture_on_commit_callbacks(execute=True):
        sent = api.post(f"/api/v1/escalations/{data['id']}/send", {}, format="json")
    assert sent.status_code == 200 and sent.json()["status"] == "queued"
    detail = api.get(f"/api/v1/escalations/{data['id']}").json()
    assert detail["status"] == "sent" and detail["deliveries"][0]["result"] == "delivered"
    answer = api.post(
        f"/api/v1/escalations/{data['id']}/outcome", {"outcome": "removed", "partner_reference": "P-1"}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["status"] == "closed"
    assert answer.json()["partner_reference"] == "P-1"


def test_consent_gate_and_errors_are_stable_and_translated(agent: Any, supervisor: Any) -> None:
    partner()
    case = consented_case(consent_platform=False)
    refused = _api(agent, "fr").post(f"/api/v1/cases/{case.reference}/escalations", _body(case), format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "consent_missing"
    assert "superviseur" in refused.json()["message"]
    no_reason = _api(supervisor).post(f"/api/v1/cases/{case.reference}/escalations", _body(case), format="json")
    assert no_reason.json()["code"] == "override_reason_required"
    ok = _api(supervisor).post(
        f"/api/v1/cases/{case.reference}/escalations", _body(case, override_reason="Child in danger."), format="json"
    )
    assert ok.status_code == 201 and ok.json()["without_consent"] is True


@pytest.mark.parametrize(
    "extra",
    [
        {"surprise": 1},
        {"items": "1"},
        {"items": [-1]},
        {"explanation": ""},
        {"explanation": "x\x00"},
        {"explanation": "x" * 5000},
        {"category": "<script>"},
        {"include_contact": "yes"},
        {"partner_reference": 3},
    ],
)
def test_hostile_input_is_refused_and_nothing_is_written(agent: Any, extra: dict[str, Any]) -> None:
    partner()
    case = consented_case()
    before = AuditEvent.objects.count()
    response = _api(agent).post(f"/api/v1/cases/{case.reference}/escalations", _body(case, **extra), format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert not Escalation.objects.exists() and AuditEvent.objects.count() == before


def test_scoping_and_roles(agent: Any, other_agent: Any, supervisor: Any) -> None:
    partner()
    case = consented_case()
    case_services.case_assign(case=case, assignee=other_agent, acting_user=supervisor)
    created = _api(other_agent).post(f"/api/v1/cases/{case.reference}/escalations", _body(case), format="json")
    escalation_id = created.json()["id"]
    assert _api(agent).get(f"/api/v1/escalations/{escalation_id}").status_code == 404
    assert _api(agent).post(f"/api/v1/escalations/{escalation_id}/send", {}, format="json").status_code == 404
    assert _api(agent).get(f"/api/v1/cases/{case.reference}/escalations").status_code == 404
    trainer = UserFactory(role=Role.TRAINER, username="trainer")
    assert _api(trainer).get(f"/api/v1/escalations/{escalation_id}").status_code == 403
    assert _api().get(f"/api/v1/escalations/{escalation_id}").status_code == 401
    assert _api(supervisor).get(f"/api/v1/escalations/{escalation_id}").status_code == 200
    unknown_partner = _api(other_agent).post(
        f"/api/v1/cases/{case.reference}/escalations", _body(case, partner="nobody"), format="json"
    )
    assert unknown_partner.status_code == 404


def test_outcome_must_be_a_known_code(agent: Any) -> None:
    partner()
    case = consented_case()
    created = _api(agent).post(f"/api/v1/cases/{case.reference}/escalations", _body(case), format="json").json()
    bad = _api(agent).post(f"/api/v1/escalations/{created['id']}/outcome", {"outcome": "deleted"}, format="json")
    assert bad.status_code == 400 and bad.json()["fields"]["outcome"][0]["code"] == "invalid_choice"
