"""Role × view matrix over every escalations page. A denied request changes nothing and writes no
audit event. The case belongs to another agent, so our agent may not reach it (404)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from aman.accounts.models import Role
from aman.accounts.tests.factories import UserFactory
from aman.audit.models import AuditEvent
from aman.cases import services as case_services
from aman.escalations import services
from aman.escalations.models import DeliveryAttempt, Escalation, LinkCheck, OutcomeStatement, Partner, PartnerToken
from aman.escalations.tests.factories import consented_case, partner

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "no_role",
    "inactive",
    "programme_manager",
    "trainer",
    "agent",
    "other_agent",
    "supervisor",
    "admin",
]
HOLDERS = {"other_agent", "supervisor", "admin"}
SUPERVISORS = {"supervisor", "admin"}
STAFF = {"agent", "other_agent", "supervisor", "admin"}


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    users = {
        "no_role": UserFactory(role="", username="norole"),
        "inactive": UserFactory(role=Role.SUPERVISOR, username="gone", is_active=False),
        "programme_manager": UserFactory(role=Role.PROGRAMME_MANAGER, username="manager"),
        "trainer": UserFactory(role=Role.TRAINER, username="trainer"),
        "agent": UserFactory(role=Role.AGENT, username="agent"),
        "other_agent": UserFactory(role=Role.AGENT, username="agent_b"),
        "supervisor": UserFactory(role=Role.SUPERVISOR, username="supervisor"),
        "admin": UserFactory(role=Role.ADMIN, username="admin"),
    }
    holder = users["other_agent"]
    case = consented_case(triaged_by=holder)
    case_services.case_assign(case=case, assignee=holder, acting_user=users["supervisor"])
    platform = partner()
    item_ids = [i.pk for i in case.items.all()]

    def draft(target: Partner) -> Escalation:
        return services.escalation_create(
            case=case,
            partner=target,
            policy_category="harassment_bullying",
            explanation="Synthetic reason.",
            item_ids=item_ids,
            acting_user=holder,
        )

    e = {"draft": draft(platform)}
    e["failed"] = draft(platform)
    Escalation.objects.filter(pk=e["failed"].pk).update(status="failed", last_error="HTTP 500")
    e["police"] = draft(Partner.objects.get(slug="community-police"))
    services.escalation_send(escalation=e["police"], acting_user=holder)
    e["manual"] = draft(Partner.objects.get(slug="tiktok"))
    services.escalation_send(escalation=e["manual"], acting_user=holder)
    e["sent"] = draft(Partner.objects.get(slug="youtube"))
    services.escalation_send(escalation=e["sent"], acting_user=holder)
    services.escalation_mark_sent(escalation=e["sent"], acting_user=holder)
    from aman.escalations.tokens import partner_token_create

    token = partner_token_create(partner=platform, label="matrix", acting_user=users["admin"]).token
    return {"users": users, "case": case, "e": e, "partner": platform, "token": token}


def _snapshot() -> dict[str, Any]:
    return {
        "escalations": list(Escalation.objects.order_by("id").values()),
        "partners": list(Partner.objects.order_by("id").values()),
        "deliveries": DeliveryAttempt.objects.count(),
        "audit": AuditEvent.objects.count(),
        "tokens": list(PartnerToken.objects.order_by("id").values()),
        "statements": OutcomeStatement.objects.count(),
        "link_checks": LinkCheck.objects.count(),
    }


def _client(world: dict[str, Any], role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


Request = Callable[[Client, dict[str, Any]], Any]


def _e(w: dict[str, Any], name: str) -> str:
    return f"/console/escalations/{w['e'][name].pk}/"


PARTNER_POST = {
    "name": "Matrix partner",
    "slug": "matrix-partner",
    "kind": "platform",
    "channel": "email",
    "email_to": "matrix@example.org",
    "languages": "en",
    "response_hours": "24",
    "response_hours_by_urgency": "{}",
    "policy_map": "{}",
    "consent_field": "consent_platform",
    "max_attachment_mb": "10",
}

VIEWS: dict[str, tuple[Request, set[str], bool]] = {
    # name: (request, roles allowed, writes an audit event when allowed)
    "list": (lambda c, w: c.get("/console/escalations/"), STAFF, False),
    "report": (lambda c, w: c.get("/console/escalations/report/"), SUPERVISORS, False),
    "report_csv": (lambda c, w: c.get("/console/escalations/report/?format=csv"), SUPERVISORS, True),
    "new_form": (lambda c, w: c.get(f"/console/cases/{w['case'].reference}/escalations/new"), HOLDERS, False),
    "new_post": (
        lambda c, w: c.post(
            f"/console/cases/{w['case'].reference}/escalations/new",
            {
                "partner": w["partner"].pk,
                "policy_category": "harassment_bullying",
                "items": [i.pk for i in w["case"].items.all()],
                "explanation": "Matrix reason.",
            },
        ),
        HOLDERS,
        True,
    ),
    "detail": (lambda c, w: c.get(_e(w, "draft")), HOLDERS, False),
    "send": (lambda c, w: c.post(_e(w, "draft") + "send"), HOLDERS, True),
    "cancel": (lambda c, w: c.post(_e(w, "draft") + "cancel", {"reason": "duplicate"}), HOLDERS, True),
    "retry": (lambda c, w: c.post(_e(w, "failed") + "retry"), HOLDERS, True),
    "approve": (lambda c, w: c.post(_e(w, "police") + "approve"), SUPERVISORS, True),
    "manual_sent": (lambda c, w: c.post(_e(w, "manual") + "sent", {"partner_reference": "TT-1"}), HOLDERS, True),
    "outcome": (lambda c, w: c.post(_e(w, "sent") + "outcome", {"outcome": "removed"}), HOLDERS, True),
    "pdf": (lambda c, w: c.get(_e(w, "sent") + "pdf"), HOLDERS, True),
    "recheck": (lambda c, w: c.post(_e(w, "sent") + "recheck"), HOLDERS, False),
    "transparency": (lambda c, w: c.get("/console/escalations/transparency/"), SUPERVISORS, False),
    "transparency_csv": (lambda c, w: c.get("/console/escalations/transparency/?format=csv"), SUPERVISORS, True),
    "transparency_pdf": (lambda c, w: c.get("/console/escalations/transparency/?format=pdf"), SUPERVISORS, True),
    "token_new": (
        lambda c, w: c.post(f"/console/partners/{w['partner'].pk}/tokens/new", {"label": "x"}),
        {"admin"},
        True,
    ),
    "token_revoke": (
        lambda c, w: c.post(f"/console/partners/{w['partner'].pk}/tokens/{w['token'].pk}/revoke"),
        {"admin"},
        True,
    ),
    "partners": (lambda c, w: c.get("/console/partners/"), {"admin"}, False),
    "partner_form": (lambda c, w: c.get(f"/console/partners/{w['partner'].pk}/"), {"admin"}, False),
    "partner_new": (lambda c, w: c.post("/console/partners/new", PARTNER_POST), {"admin"}, True),
    "partner_edit": (
        lambda c, w: c.post(f"/console/partners/{w['partner'].pk}/", {**PARTNER_POST, "slug": w["partner"].slug}),
        {"admin"},
        True,
    ),
}
CASE_BOUND = {"new_form", "new_post", "detail", "send", "cancel", "retry", "manual_sent", "outcome", "pdf", "recheck"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_escalations_matrix(world: dict[str, Any], role: str, view: str) -> None:
    request, allowed, audited = VIEWS[view]
    client = _client(world, role)
    before = _snapshot()
    response = request(client, world)
    if role in allowed:
        assert response.status_code in (200, 302), (view, role, response.status_code)
        if response.status_code == 302:
            assert "/accounts/sign-in/" not in response["Location"]
        if audited:
            assert AuditEvent.objects.count() > before["audit"], (view, role)
        return
    if role in {"anonymous", "inactive"}:
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    elif role == "agent" and view in CASE_BOUND:
        assert response.status_code == 404, (view, role, response.status_code)
    else:
        assert response.status_code in (403, 404), (view, role, response.status_code)
    assert _snapshot() == before
