"""Role × view matrix over every console view of aman.checks.

A denied request changes nothing and writes no audit event.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from aman.accounts.models import Role
from aman.accounts.tests.factories import UserFactory
from aman.audit.models import AuditEvent
from aman.cases import services as case_services
from aman.cases.tests.factories import submit_report
from aman.checks.models import ApiKey, CaseAlert, LabelledExample, SupervisorDuty, TriageSuggestion
from aman.checks.services import apikey_create, triage_suggest_for_text

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "no_role", "inactive", "programme_manager", "trainer", "agent", "other_agent", "supervisor",
         "admin"]  # fmt: skip
STAFF = {"agent", "other_agent", "supervisor", "admin"}
HOLDER = {"other_agent", "supervisor", "admin"}  # the case is held by other_agent: agent cannot reach it
SELF_HARM = "I want to end my life tonight, I cannot go on anymore. She is 14 and in danger now."


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    users = {
        "no_role": UserFactory(role="", username="norole"),
        "inactive": UserFactory(role=Role.ADMIN, username="gone", is_active=False),
        "programme_manager": UserFactory(role=Role.PROGRAMME_MANAGER, username="manager"),
        "trainer": UserFactory(role=Role.TRAINER, username="trainer"),
        "agent": UserFactory(role=Role.AGENT, username="agent"),
        "other_agent": UserFactory(role=Role.AGENT, username="agent_b"),
        "supervisor": UserFactory(role=Role.SUPERVISOR, username="supervisor"),
        "admin": UserFactory(role=Role.ADMIN, username="admin"),
    }
    case = submit_report(description=SELF_HARM).case
    case_services.case_assign(case=case, assignee=users["other_agent"], acting_user=users["supervisor"])
    suggestion = triage_suggest_for_text(case=case, text=SELF_HARM, source="report")
    assert suggestion is not None
    alert = CaseAlert.objects.get(case=case)
    key = apikey_create(name="App", allowed_origins=["https://a.example"], acting_user=users["admin"]).api_key
    return {"users": users, "case": case, "suggestion": suggestion, "alert": alert, "key": key}


def _snapshot(world: dict[str, Any]) -> dict[str, Any]:
    case = world["case"]
    case.refresh_from_db()
    return {
        "case": (case.category, case.urgency, case.status, case.self_harm),
        "suggestions": list(TriageSuggestion.objects.values_list("state", flat=True)),
        "alerts": list(CaseAlert.objects.values_list("resolved_at", flat=True)),
        "keys": list(ApiKey.objects.values_list("name", "allowed_origins", "revoked_at")),
        "duty": list(SupervisorDuty.objects.values_list("user_id", "on_duty")),
        "examples": LabelledExample.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


Request = Callable[[Client, dict[str, Any]], Any]
VIEWS: dict[str, tuple[Request, set[str]]] = {
    "integrations": (lambda c, w: c.get("/console/integrations/"), {"admin"}),
    "integration_create": (
        lambda c, w: c.post("/console/integrations/", {"name": "New", "allowed_origins": "", "retention_days": 30}),
        {"admin"},
    ),
    "integration": (lambda c, w: c.get(f"/console/integrations/{w['key'].pk}/"), {"admin"}),
    "integration_edit": (
        lambda c, w: c.post(f"/console/integrations/{w['key'].pk}/", {"allowed_origins": "*", "retention_days": 3}),
        {"admin"},
    ),
    "integration_revoke": (lambda c, w: c.post(f"/console/integrations/{w['key'].pk}/revoke/"), {"admin"}),
    "duty": (lambda c, w: c.post("/console/duty/", {"on_duty": "1"}), {"supervisor", "admin"}),
    "suggestion_confirm": (lambda c, w: c.post(f"/console/suggestions/{w['suggestion'].pk}/confirm/"), HOLDER),
    "suggestion_correct": (
        lambda c, w: c.post(
            f"/console/suggestions/{w['suggestion'].pk}/correct/", {"category": "other", "urgency": "low"}
        ),
        HOLDER,
    ),
    "alert_dismiss": (lambda c, w: c.post(f"/console/alerts/{w['alert'].pk}/dismiss/"), HOLDER),
    "moderation": (lambda c, w: c.get("/console/moderation/"), STAFF),
    "moderation_run": (lambda c, w: c.post("/console/moderation/", {"comments": "you idiot\nthanks"}), STAFF),
    "moderation_export": (lambda c, w: c.get("/console/moderation/export.csv"), STAFF),
}
READ_ONLY = {"integrations", "integration", "moderation", "moderation_export"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_checks_matrix(world: dict[str, Any], role: str, view: str) -> None:
    request, allowed = VIEWS[view]
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    before = _snapshot(world)
    response = request(client, world)
    if role in allowed:
        assert response.status_code in (200, 302), (view, role, response.status_code)
        if response.status_code == 302:
            assert "/accounts/sign-in/" not in response["Location"]
        if view not in READ_ONLY:
            assert _snapshot(world) != before, "an allowed action changes something and is audited"
        return
    if role in {"anonymous", "inactive"}:
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    else:
        assert response.status_code in (403, 404), (view, role, response.status_code)
    assert _snapshot(world) == before


def test_public_demo_and_widget_need_no_account(db: Any) -> None:
    client = Client()
    assert client.get("/checks/demo/").status_code == 200
    assert client.get("/checks/widget.js").status_code == 200
