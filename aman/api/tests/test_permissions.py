"""Role × endpoint matrix. A denied request changes nothing and writes no audit event.

The case under test is assigned to ``agent``: ``other_agent`` may not see it (404, as if it did
not exist), supervisors and admins see everything, inactive users and users without a role are
refused before any case is read, and reporters reach only their own case, with its code.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from rest_framework.test import APIClient

from aman.accounts.models import User
from aman.api.tests.conftest import REPORT, snapshot
from aman.cases import services
from aman.cases.models import Case
from aman.cases.states import Status

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reporter", "agent", "other_agent", "supervisor", "admin", "inactive", "norole"]


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    body: dict[str, Any] | None = None
    ok: int = 200
    scoped: bool = True  # about one case: other agents get 404
    audit_only: bool = False
    prepare: Callable[[Case, dict[str, User]], None] | None = field(default=None, compare=False)


def _close(case: Case, staff: dict[str, User]) -> None:
    services.case_transition(case=case, to_status=Status.CLOSED, acting_user=staff["supervisor"])


STAFF_ENDPOINTS = [
    Endpoint("queues", "get", "/api/v1/queues", scoped=False),
    Endpoint("case-list", "get", "/api/v1/cases", scoped=False),
    Endpoint("case-detail", "get", "/api/v1/cases/{ref}"),
    Endpoint("triage", "post", "/api/v1/cases/{ref}/triage", {"category": "other", "urgency": "low"}),
    Endpoint("assign", "post", "/api/v1/cases/{ref}/assign", {"assignee": "api-agent"}),
    Endpoint("transition", "post", "/api/v1/cases/{ref}/transition", {"status": "triaged"}),
    Endpoint("reopen", "post", "/api/v1/cases/{ref}/reopen", {"reason": "More abuse"}, prepare=_close),
    Endpoint("notes", "post", "/api/v1/cases/{ref}/notes", {"body": "A note"}, ok=201),
    Endpoint("messages", "post", "/api/v1/cases/{ref}/messages", {"body": "Hello"}, ok=201),
    Endpoint("audit", "get", "/api/v1/audit", scoped=False, audit_only=True),
]


def expected_status(endpoint: Endpoint, role: str) -> int:
    if role in ("anonymous", "reporter", "inactive"):
        return 401
    if role == "norole":
        return 403
    if endpoint.audit_only:
        return endpoint.ok if role in ("supervisor", "admin") else 403
    if role == "other_agent" and endpoint.scoped:
        return 404
    return endpoint.ok


@pytest.fixture
def setup(api: APIClient, staff: dict[str, User]) -> dict[str, Any]:
    body = api.post("/api/v1/reports", REPORT, format="json").json()
    case = Case.objects.get(reference=body["reference"])
    services.case_assign(case=case, assignee=staff["agent"], acting_user=staff["supervisor"])
    return {"case": case, "code": body["follow_up_code"], "staff": staff}


def client_for(role: str, setup: dict[str, Any], as_user: Callable[[User | None], APIClient]) -> APIClient:
    if role == "anonymous":
        return APIClient()
    if role == "reporter":
        api = APIClient()
        api.credentials(HTTP_X_FOLLOW_UP_CODE=setup["code"])
        return api
    return as_user(setup["staff"][role])


def _request(api: APIClient, endpoint: Endpoint, reference: str) -> Any:
    path = endpoint.path.format(ref=reference)
    if endpoint.body is None:
        return getattr(api, endpoint.method)(path)
    return getattr(api, endpoint.method)(path, endpoint.body, format="json")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", STAFF_ENDPOINTS, ids=[e.name for e in STAFF_ENDPOINTS])
def test_staff_endpoint_matrix(
    endpoint: Endpoint, role: str, setup: dict[str, Any], as_user: Callable[[User | None], APIClient]
) -> None:
    case: Case = setup["case"]
    if endpoint.prepare:
        endpoint.prepare(case, setup["staff"])
    api = client_for(role, setup, as_user)
    expected = expected_status(endpoint, role)
    before = snapshot()

    response = _request(api, endpoint, case.reference)

    assert response.status_code == expected, (role, endpoint.name, response.content)
    body = response.json()
    if expected >= 400:
        assert set(body) == {"code", "message", "fields"}
        assert body["code"] == {401: "not_authenticated", 403: "permission_denied", 404: "not_found"}[expected]
        assert snapshot() == before, "a denied request changed something or wrote an audit event"
    if endpoint.name == "case-list" and expected == 200:
        visible = {c["reference"] for c in body["results"]}
        assert (case.reference in visible) is (role != "other_agent")
    if endpoint.name == "queues" and expected == 200:
        counts = {q["code"]: q["count"] for q in body}
        assert counts["all"] == (0 if role == "other_agent" else 1)


@pytest.mark.parametrize("role", ["inactive", "norole", "agent", "other_agent"])
def test_session_users_follow_the_same_rules(role: str, setup: dict[str, Any]) -> None:
    api = APIClient()
    api.force_login(setup["staff"][role])
    case: Case = setup["case"]
    before = snapshot()

    detail = api.get(f"/api/v1/cases/{case.reference}")
    note = api.post(f"/api/v1/cases/{case.reference}/notes", {"body": "x"}, format="json")

    expected = {"inactive": 401, "norole": 403, "agent": None, "other_agent": 404}[role]
    if expected is None:
        assert (detail.status_code, note.status_code) == (200, 201)
    else:
        assert (detail.status_code, note.status_code) == (expected, expected)
        assert snapshot() == before


def test_a_bad_token_is_refused(setup: dict[str, Any]) -> None:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    before = snapshot()
    response = api.get("/api/v1/queues")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert snapshot() == before


REPORTER_ENDPOINTS = [
    Endpoint("report-detail", "get", "/api/v1/reports/{ref}"),
    Endpoint("report-reply", "post", "/api/v1/reports/{ref}", {"message": "Thank you"}, ok=201),
    Endpoint("report-items", "post", "/api/v1/reports/{ref}/items", {"items": ["@another"]}, ok=201),
    Endpoint(
        "report-consent", "put", "/api/v1/reports/{ref}/consent", {"platform": True, "police": True, "hotline": True}
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", REPORTER_ENDPOINTS, ids=[e.name for e in REPORTER_ENDPOINTS])
def test_reporter_endpoint_matrix(
    endpoint: Endpoint, role: str, setup: dict[str, Any], as_user: Callable[[User | None], APIClient]
) -> None:
    """Only the code opens a report: staff tokens and sessions do not (staff use the staff endpoints)."""
    api = client_for(role, setup, as_user)
    expected = endpoint.ok if role == "reporter" else 404
    before = snapshot()

    response = _request(api, endpoint, setup["case"].reference)

    assert response.status_code == expected, (role, endpoint.name, response.content)
    if expected == 404:
        assert response.json()["code"] == "not_found"
        assert snapshot() == before


def test_a_reporter_code_opens_only_its_own_report(setup: dict[str, Any], api: APIClient) -> None:
    other = api.post("/api/v1/reports", REPORT, format="json").json()
    reporter = APIClient()
    reporter.credentials(HTTP_X_FOLLOW_UP_CODE=setup["code"])

    before_cases = snapshot()[:4]
    response = reporter.get(f"/api/v1/reports/{other['reference']}")
    assert response.status_code == 404
    assert snapshot()[:4] == before_cases


@pytest.mark.parametrize("role", ROLES)
def test_anyone_may_submit_a_report(
    role: str, setup: dict[str, Any], as_user: Callable[[User | None], APIClient]
) -> None:
    api = client_for(role, setup, as_user)
    response = api.post("/api/v1/reports", REPORT, format="json")
    assert response.status_code == 201
    assert Case.objects.get(reference=response.json()["reference"]).source == "api"
