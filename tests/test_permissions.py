"""Role × view matrix over every console view and the reporter's pages.

Each denied request must change nothing and write no audit event.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.test import Client

from aman.accounts.models import Role, User
from aman.accounts.tests.factories import UserFactory
from aman.audit.models import AuditEvent
from aman.cases import services
from aman.cases.models import Case
from aman.cases.tests.factories import submit_report

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "reporter",
    "no_role",
    "inactive",
    "programme_manager",
    "trainer",
    "agent",
    "other_agent",
    "supervisor",
    "admin",
]


def _snapshot(case: Case) -> dict[str, Any]:
    case.refresh_from_db()
    return {
        "case": model_to_dict(case),
        "messages": case.messages.count(),
        "notes": case.notes.count(),
        "users": list(User.objects.order_by("id").values_list("username", "role", "is_active")),
        "audit": AuditEvent.objects.count(),
    }


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
    sub = submit_report()
    # The case belongs to the other agent: our agent must not reach it.
    services.case_assign(case=sub.case, assignee=users["other_agent"], acting_user=users["supervisor"])
    return {"users": users, "case": sub.case, "code": sub.follow_up_code, "target": users["no_role"]}


def _client(world: dict[str, Any], role: str) -> Client:
    client = Client()
    if role == "reporter":
        client.post("/follow-up/", {"reference": world["case"].reference, "code": world["code"]})
    elif role != "anonymous":
        client.force_login(world["users"][role])
    return client


Request = Callable[[Client, dict[str, Any]], Any]

CONSOLE: dict[str, tuple[Request, set[str]]] = {
    # name: (request, roles allowed)
    "queue": (lambda c, w: c.get("/console/"), {"agent", "other_agent", "supervisor", "admin"}),
    "case": (lambda c, w: c.get(f"/console/cases/{w['case'].reference}/"), {"other_agent", "supervisor", "admin"}),
    "triage": (
        lambda c, w: c.post(
            f"/console/cases/{w['case'].reference}/triage/",
            {"category": "sextortion", "urgency": "critical", "minor_involved": "on"},
        ),
        {"other_agent", "supervisor", "admin"},
    ),
    "assign_take": (
        lambda c, w: c.post(f"/console/cases/{w['case'].reference}/assign/", {"take": "1"}),
        {"other_agent", "supervisor", "admin"},  # the holder re-takes it; our agent cannot reach the case
    ),
    "transition": (
        lambda c, w: c.post(f"/console/cases/{w['case'].reference}/status/", {"status": "closed"}),
        {"other_agent", "supervisor", "admin"},
    ),
    "message": (
        lambda c, w: c.post(f"/console/cases/{w['case'].reference}/messages/", {"message-body": "hello"}),
        {"other_agent", "supervisor", "admin"},
    ),
    "note": (
        lambda c, w: c.post(f"/console/cases/{w['case'].reference}/notes/", {"note-body": "internal"}),
        {"other_agent", "supervisor", "admin"},
    ),
    "contact": (
        lambda c, w: c.post(f"/console/cases/{w['case'].reference}/contact/"),
        {"other_agent", "supervisor", "admin"},
    ),
    "audit": (lambda c, w: c.get("/console/audit/"), {"supervisor", "admin"}),
    "audit_csv": (lambda c, w: c.get("/console/audit/?format=csv"), {"supervisor", "admin"}),
    "users": (lambda c, w: c.get("/accounts/users/"), {"admin"}),
    "user_create": (
        lambda c, w: c.post(
            "/accounts/users/",
            {"username": "newagent", "role": "agent", "password": "a-long-enough-pass-2026"},
        ),
        {"admin"},
    ),
    "user_edit": (
        lambda c, w: c.post(f"/accounts/users/{w['target'].pk}/", {"role": "admin", "is_active": "on"}),
        {"admin"},
    ),
    "settings": (lambda c, w: c.get("/accounts/settings/"), {"admin"}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", sorted(CONSOLE))
def test_console_matrix(world: dict[str, Any], role: str, view: str) -> None:
    request, allowed = CONSOLE[view]
    client = _client(world, role)
    before = _snapshot(world["case"])
    response = request(client, world)
    if role in allowed:
        assert response.status_code in (200, 302), (view, role, response.status_code)
        if response.status_code == 302:
            assert "/accounts/sign-in/" not in response["Location"]
        if request is not CONSOLE["queue"][0] and view not in {"users", "settings"}:
            assert AuditEvent.objects.count() > before["audit"], "allowed actions and views are audited"
        return
    if role in {"anonymous", "reporter", "inactive"}:
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    elif view in {"case", "triage", "assign_take", "transition", "message", "note", "contact"} and role in {
        "agent",
    }:
        assert response.status_code == 404  # the case is out of this agent's reach: it does not exist for them
    else:
        assert response.status_code in (403, 404), (view, role, response.status_code)
    assert _snapshot(world["case"]) == before


REPORTER_PAGES: dict[str, Request] = {
    "case": lambda c, w: c.get("/follow-up/case/"),
    "reply": lambda c, w: c.post("/follow-up/case/reply/", {"message": "hi"}),
    "links": lambda c, w: c.post("/follow-up/case/links/", {"items": "@someone"}),
    "consent": lambda c, w: c.post("/follow-up/case/consent/", {"consent_police": "on"}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(REPORTER_PAGES))
def test_reporter_pages_need_the_code_even_for_staff(world: dict[str, Any], role: str, page: str) -> None:
    client = _client(world, role)
    before = _snapshot(world["case"])
    response = REPORTER_PAGES[page](client, world)
    if role == "reporter":
        assert response.status_code in (200, 302)
        assert "/follow-up/" not in response.get("Location", "/follow-up/case/").replace("/follow-up/case/", "")
        return
    assert response.status_code == 302 and response["Location"].endswith("/follow-up/")
    assert _snapshot(world["case"]) == before


def test_admin_cannot_demote_themselves(world: dict[str, Any]) -> None:
    admin = world["users"]["admin"]
    client = _client(world, "admin")
    client.post(f"/accounts/users/{admin.pk}/", {"role": "agent", "is_active": ""})
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN and admin.is_active
