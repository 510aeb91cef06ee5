"""Staff endpoints: queues, lists, the case page, and every operation on a case."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from aman.accounts.models import User
from aman.api.tests.conftest import snapshot
from aman.audit.events import EventType
from aman.audit.models import AuditEvent
from aman.cases import services
from aman.cases.models import Case
from aman.cases.states import Status

pytestmark = pytest.mark.django_db

AsUser = Callable[[User | None], APIClient]
Submit = Callable[..., dict[str, Any]]


@pytest.fixture
def case(report: dict[str, Any]) -> Case:
    return Case.objects.get(reference=report["reference"])


def test_queue_counts(as_user: AsUser, staff: dict[str, User], submit: Submit) -> None:
    mine, theirs, _unassigned = (Case.objects.get(reference=submit()["reference"]) for _ in range(3))
    services.case_assign(case=mine, assignee=staff["agent"], acting_user=staff["supervisor"])
    services.case_assign(case=theirs, assignee=staff["other_agent"], acting_user=staff["supervisor"])

    agent = {q["code"]: q["count"] for q in as_user(staff["agent"]).get("/api/v1/queues").json()}
    supervisor = {q["code"]: q["count"] for q in as_user(staff["supervisor"]).get("/api/v1/queues").json()}

    assert agent["unassigned"] == 1 and agent["mine"] == 1 and agent["all"] == 2
    assert supervisor["unassigned"] == 1 and supervisor["mine"] == 0 and supervisor["all"] == 3
    rows = as_user(staff["agent"]).get("/api/v1/queues").json()
    assert [r["code"] for r in rows][:3] == ["unassigned", "mine", "urgent"]
    assert all(r["label"] for r in rows)


def test_agent_lists_unassigned_and_own_cases_only(as_user: AsUser, staff: dict[str, User], submit: Submit) -> None:
    mine, theirs, unassigned = (Case.objects.get(reference=submit()["reference"]) for _ in range(3))
    services.case_assign(case=mine, assignee=staff["agent"], acting_user=staff["supervisor"])
    services.case_assign(case=theirs, assignee=staff["other_agent"], acting_user=staff["supervisor"])

    body = as_user(staff["agent"]).get("/api/v1/cases").json()

    assert body["count"] == 2
    assert {c["reference"] for c in body["results"]} == {mine.reference, unassigned.reference}
    assert {c["assignee"] for c in body["results"]} == {"api-agent", None}
    supervisor = as_user(staff["supervisor"]).get("/api/v1/cases").json()
    assert supervisor["count"] == 3


def test_list_filters_and_search(as_user: AsUser, staff: dict[str, User], submit: Submit) -> None:
    scam = submit(category="scam_fraud", platforms=["telegram"], description="رسالة احتيال من حساب مزيف")
    submit(category="impersonation", platforms=["facebook"], description="A fake profile uses my photos.")
    api = as_user(staff["supervisor"])

    def refs(query: str) -> set[str]:
        response = api.get(f"/api/v1/cases?{query}")
        assert response.status_code == 200, response.content
        return {c["reference"] for c in response.json()["results"]}

    assert refs("category=scam_fraud") == {scam["reference"]}
    assert refs("platform=telegram") == {scam["reference"]}
    assert refs("q=احتيال") == {scam["reference"]}
    assert refs("q=أحتيال") == {scam["reference"]}  # Arabic letter variants are normalised
    assert refs(f"q={scam['reference'].lower()}") == {scam["reference"]}
    assert refs("status=closed") == set()
    assert refs("urgency=medium&queue=unassigned") >= {scam["reference"]}
    assert refs("queue=closed") == set()


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ("queue=everything", "queue", "invalid_choice"),
        ("category=<script>", "category", "invalid_choice"),
        ("platform=myspace", "platform", "invalid_choice"),
        ("status=deleted", "status", "invalid_choice"),
        ("urgency=%E2%80%AEhigh", "urgency", "invalid_choice"),
        ("q=a%00b", "q", "null_characters_not_allowed"),
        ("q=" + "x" * 201, "q", "max_length"),
        ("categroy=other", "categroy", "unknown_field"),
    ],
)
def test_list_refuses_bad_filters(as_user: AsUser, staff: dict[str, User], query: str, field: str, code: str) -> None:
    response = as_user(staff["agent"]).get(f"/api/v1/cases?{query}")
    assert response.status_code == 400
    assert response.json()["fields"][field][0]["code"] == code


def test_list_pagination_is_bounded(as_user: AsUser, staff: dict[str, User], submit: Submit) -> None:
    for _ in range(3):
        submit()
    body = as_user(staff["agent"]).get("/api/v1/cases?limit=2").json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert len(as_user(staff["agent"]).get("/api/v1/cases?limit=100000").json()["results"]) == 3


def test_list_query_count_does_not_grow_with_cases(as_user: AsUser, staff: dict[str, User], submit: Submit) -> None:
    api = as_user(staff["supervisor"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/v1/cases").status_code == 200
            assert api.get("/api/v1/queues").status_code == 200
        return len(ctx.captured_queries)

    first = submit()
    services.case_assign(
        case=Case.objects.get(reference=first["reference"]), assignee=staff["agent"], acting_user=staff["supervisor"]
    )
    few = queries()
    for _ in range(8):
        submit()
    # Constant: the list and its count, and one plain COUNT per queue (eight, each on its own index).
    assert queries() == few <= 12


def test_case_detail(as_user: AsUser, staff: dict[str, User], case: Case) -> None:
    services.case_note_add(case=case, body="Synthetic internal note", acting_user=staff["agent"])
    services.case_message_send(case=case, body="Hello from the helpline", acting_user=staff["agent"])

    response = as_user(staff["agent"]).get(f"/api/v1/cases/{case.reference}")

    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == case.reference
    assert body["description"] == case.description
    assert body["consent"]["platform"] is True
    assert body["contact_method"] == "email"
    assert "reporter@example.org" not in response.content.decode()
    assert not {"contact", "contact_value", "contact_encrypted", "follow_up_hash", "intake_key_hash"} & set(body)
    assert [n["body"] for n in body["notes"]] == ["Synthetic internal note"]
    assert [(m["direction"], m["author"]) for m in body["messages"]] == [("to_reporter", "api-agent")]
    assert {i["value"] for i in body["items"]} == {"https://instagram.com/p/synthetic1", "@synthetic_bully"}
    assert [e["event_type"] for e in body["timeline"]] == [
        EventType.REPORT_SUBMITTED,
        EventType.CASE_NOTE_ADDED,
        EventType.CASE_MESSAGE_SENT,
    ]
    assert sorted(body["allowed_transitions"]) == ["closed", "triaged"]
    assert response["Cache-Control"] == "no-store"
    viewed = AuditEvent.objects.filter(case=case, event_type=EventType.CASE_VIEWED)
    assert [e.actor_id for e in viewed] == [staff["agent"].pk]


def test_case_detail_accepts_a_loose_reference(as_user: AsUser, staff: dict[str, User], case: Case) -> None:
    loose = case.reference.lower().replace("-", "")
    assert as_user(staff["agent"]).get(f"/api/v1/cases/{loose}").json()["reference"] == case.reference


@pytest.mark.parametrize("reference", ["AMN-2222-3333", "nothing", "AMN-2222-333%00", "%E2%80%AE", "x" * 300])
def test_unknown_or_malformed_reference_is_404(as_user: AsUser, staff: dict[str, User], reference: str) -> None:
    before = snapshot()
    response = as_user(staff["admin"]).get(f"/api/v1/cases/{reference}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert snapshot() == before


def test_triage(as_user: AsUser, staff: dict[str, User], case: Case) -> None:
    response = as_user(staff["agent"]).post(
        f"/api/v1/cases/{case.reference}/triage",
        {"category": "sextortion", "urgency": "critical", "minor_involved": True},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "triaged"
    case.refresh_from_db()
    assert (case.category, case.urgency, case.minor_involved, case.imminent_danger) == (
        "sextortion",
        "critical",
        True,
        False,
    )
    assert case.reported_category == "harassment_bullying"
    event = AuditEvent.objects.get(case=case, event_type=EventType.CASE_TRIAGED)
    assert event.actor_id == staff["agent"].pk


def test_assign_take_release_and_supervisor_assigns_anyone(as_user: AsUser, staff: dict[str, User], case: Case) -> None:
    agent = as_user(staff["agent"])
    url = f"/api/v1/cases/{case.reference}/assign"

    assert agent.post(url, {"assignee": "api-agent"}, format="json").json()["assignee"] == "api-agent"
    assert agent.post(url, {"assignee": None}, format="json").json()["assignee"] is None
    assert as_user(staff["supervisor"]).post(url, {"assignee": "api-agent-2"}, format="json").status_code == 200
    case.refresh_from_db()
    assert case.assignee == staff["other_agent"]
    assert AuditEvent.objects.filter(case=case, event_type=EventType.CASE_ASSIGNED).count() == 3


def test_agent_cannot_assign_someone_else(as_user: AsUser, staff: dict[str, User], case: Case) -> None:
    before = snapshot()
    response = as_user(staff["agent"]).post(
        f"/api/v1/cases/{case.reference}/assign", {"assignee": "api-agent-2"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "assignment_not_allowed"
    assert snapshot() == before


@pytest.mark.parametrize(
    ("assignee", "status", "code"),
    [("api-nobody", 400, "unknown_user"), ("api-inactive", 400, None), ("api-norole", 400, None)],
)
def test_assign_to_someone_who_is_not_staff(
    as_user: AsUser, staff: dict[str, User], case: Case, assignee: str, status: int, code: str | None
) -> None:
    before = snapshot()
    response = as_user(staff["supervisor"]).post(
        f"/api/v1/cases/{case.reference}/assign", {"assignee": assignee}, format="json"
    )
    assert response.status_code == status
    if code:
        assert response.json()["fields"]["assignee"][0]["code"] == code
    else:
        assert response.json()["code"] == "assignment_not_allowed"
    assert snapshot() == before


def test_transitions_through_the_life_of_a_case(as_user: AsUser, staff: dict[str, User], case: Case) -> None:
    api = as_user(staff["agent"])
    url = f"/api/v1/cases/{case.reference}/transition"

    def move(**body: Any) -> Any:
        return api.post(url, body, format="json")

    assert move(status="triaged").json()["status"] == "triaged"
    assert move(status="in_progress").json()["status"] == "in_progress"
    no_outcome = move(status="resolved")
    assert (no_outcome.status_code, no_outcome.json()["code"]) == (400, "outcome_required")
    resolved = move(status="resolved", outcome="advice_given", outcome_note="Synthetic note")
    assert resolved.json()["status"] == "resolved"
    assert resolved.json()["outcome"] == "advice_given"
    not_allowed = move(status="waiting")
    assert (not_allowed.status_code, not_allowed.json()["code"]) == (400, "transition_not_allowed")
    assert move(status="closed").json()["status"] == "closed"
    no_reason = move(status="in_progress")
    assert (no_reason.status_code, no_reason.json()["code"]) == (400, "reason_required")
    assert move(status="in_progress", reason="The reporter wrote again").json()["status"] == "in_progress"
    types = list(AuditEvent.objects.filter(case=case).values_list("event_type", flat=True))
    assert types.count(EventType.CASE_STATUS_CHANGED) == 4  # triaged, in progress, resolved, closed
    assert types.count(EventType.CASE_REOPENED) == 1


def test_reopen(as_user: AsUser, staff: dict[str, User], case: Case) -> None:
    services.case_transition(case=case, to_status=Status.CLOSED, acting_user=staff["supervisor"])
    api = as_user(staff["agent"])
    url = f"/api/v1/cases/{case.reference}/reopen"

    before = snapshot()
    missing = api.post(url, {"reason": "   "}, format="json")
    assert missing.json()["fields"]["reason"][0]["code"] == "blank"
    assert snapshot() == before

    response = api.post(url, {"reason": "New threats arrived"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "in_progress"
    event = AuditEvent.objects.get(case=case, event_type=EventType.CASE_REOPENED)
    assert event.data["reason"] == "New threats arrived"


def test_reopen_an_open_case_is_refused(as_user: AsUser, staff: dict[str, User], case: Case) -> None:
    services.case_triage(
        case=case,
        category=case.category,
        urgency=case.urgency,
        minor_involved=False,
        imminent_danger=False,
        self_harm=False,
        acting_user=staff["agent"],
    )
    before = snapshot()
    response = as_user(staff["agent"]).post(f"/api/v1/cases/{case.reference}/reopen", {"reason": "x"}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "transition_not_allowed")
    assert snapshot() == before


def test_note(as_user: AsUser, staff: dict[str, User], case: Case) -> None:
    response = as_user(staff["agent"]).post(
        f"/api/v1/cases/{case.reference}/notes", {"body": "Checked the profile <b>twice</b>\u202e"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["body"] == "Checked the profile <b>twice</b>"
    assert response.json()["author"] == "api-agent"
    assert case.notes.get().body == "Checked the profile <b>twice</b>"


def test_message_to_the_reporter_and_wait(
    as_user: AsUser, staff: dict[str, User], case: Case, report: dict[str, Any]
) -> None:
    services.case_transition(case=case, to_status=Status.TRIAGED, acting_user=staff["agent"])
    response = as_user(staff["agent"]).post(
        f"/api/v1/cases/{case.reference}/messages",
        {"body": "Please send the link.", "wait_for_reply": True},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["direction"] == "to_reporter"
    case.refresh_from_db()
    assert case.status == Status.WAITING
    assert case.first_responded_at is not None
    # The reporter reads it with the code.
    reporter = APIClient()
    reporter.credentials(HTTP_X_FOLLOW_UP_CODE=report["follow_up_code"])
    seen = reporter.get(f"/api/v1/reports/{case.reference}").json()
    assert [m["body"] for m in seen["messages"]] == ["Please send the link."]
    assert seen["status"] == "waiting"


STAFF_HOSTILE = [
    ("triage", {"category": "other", "urgency": "urgent"}, ("urgency",), "invalid_choice"),
    ("triage", {"category": "<script>", "urgency": "low"}, ("category",), "invalid_choice"),
    ("triage", {"urgency": "low"}, ("category",), "required"),
    ("triage", {"category": "other", "urgency": "low", "self_harm": "yes"}, ("self_harm",), "invalid"),
    ("triage", {"category": "other", "urgency": "low", "status": "closed"}, ("status",), "unknown_field"),
    ("assign", {}, ("assignee",), "required"),
    ("assign", {"assignee": 7}, ("assignee",), "invalid"),
    ("assign", {"assignee": "api-agent\u202e"}, ("assignee",), "invalid_characters"),
    ("assign", {"assignee": "api\x00agent"}, ("assignee",), "null_characters_not_allowed"),
    ("assign", {"assignee": "x" * 151}, ("assignee",), "max_length"),
    ("transition", {"status": "deleted"}, ("status",), "invalid_choice"),
    ("transition", {"status": "resolved", "outcome": "shrug"}, ("outcome",), "invalid_choice"),
    ("transition", {"status": "triaged", "reason": ["x"]}, ("reason",), "invalid"),
    ("transition", {"status": "triaged", "outcome_note": "x" * 5001}, ("outcome_note",), "too_long"),
    ("reopen", {}, ("reason",), "required"),
    ("reopen", {"reason": "\u202e\u200b"}, ("reason",), "blank"),
    ("reopen", {"reason": "a\x00"}, ("reason",), "null_characters_not_allowed"),
    ("notes", {"body": ""}, ("body",), "blank"),
    ("notes", {"body": "x" * 5001}, ("body",), "too_long"),
    ("notes", {"body": None}, ("body",), "null"),
    ("notes", {"body": {"html": "<b>"}}, ("body",), "invalid"),
    ("messages", {"body": "hi", "wait_for_reply": "true"}, ("wait_for_reply",), "invalid"),
    ("messages", {"body": "\x00"}, ("body",), "null_characters_not_allowed"),
    ("messages", {"body": 5}, ("body",), "invalid"),
]


@pytest.mark.parametrize(("action", "body", "path", "code"), STAFF_HOSTILE)
def test_staff_operations_refuse_bad_input(
    as_user: AsUser, staff: dict[str, User], case: Case, action: str, body: dict[str, Any], path: Any, code: str
) -> None:
    before = snapshot()
    response = as_user(staff["supervisor"]).post(f"/api/v1/cases/{case.reference}/{action}", body, format="json")
    assert response.status_code == 400, response.content
    node = response.json()["fields"]
    for key in path:
        node = node[key]
    assert code in [e["code"] for e in node]
    assert snapshot() == before


@pytest.mark.parametrize("action", ["triage", "assign", "transition", "reopen", "notes", "messages"])
def test_staff_operations_refuse_bad_bodies(as_user: AsUser, staff: dict[str, User], case: Case, action: str) -> None:
    api = as_user(staff["supervisor"])
    url = f"/api/v1/cases/{case.reference}/{action}"
    before = snapshot()
    assert api.generic("POST", url, b"{nope", content_type="application/json").json()["code"] == "malformed"
    assert api.generic("POST", url, b"body=x", content_type="application/x-www-form-urlencoded").status_code == 415
    huge = '{"body": "' + "x" * 140_000 + '"}'
    assert api.generic("POST", url, huge, content_type="application/json").status_code == 413
    assert api.generic("POST", url, b"[]", content_type="application/json").status_code == 400
    assert snapshot() == before


def test_audit_log_for_supervisors(as_user: AsUser, staff: dict[str, User], case: Case) -> None:
    api = as_user(staff["supervisor"])
    response = api.get(f"/api/v1/audit?case={case.reference.lower()}")

    assert response.status_code == 200
    body = response.json()
    assert [e["event_type"] for e in body["results"]] == [EventType.REPORT_SUBMITTED]
    assert body["results"][0]["case"] == case.reference
    assert len(body["results"][0]["hash"]) == 64
    viewed = AuditEvent.objects.filter(event_type=EventType.AUDIT_VIEWED).get()
    assert viewed.actor_id == staff["supervisor"].pk
    assert viewed.data == {"filters": {"case": case.reference.lower()}}
    by_type = api.get("/api/v1/audit?event_type=audit.viewed").json()
    assert by_type["count"] == 1
    bad = api.get("/api/v1/audit?event_type=nope")
    assert bad.status_code == 400


def test_session_authentication_needs_csrf_for_writes(staff: dict[str, User], case: Case) -> None:
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(staff["agent"])
    assert api.get("/api/v1/queues").status_code == 200

    before = snapshot()
    refused = api.post(f"/api/v1/cases/{case.reference}/notes", {"body": "x"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert snapshot() == before


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    q=st.text(
        alphabet=st.one_of(st.sampled_from("\x00\u202e\u200b%_\\'\"@أإآىة"), st.characters(exclude_categories=("Cs",))),
        max_size=30,
    )
)
def test_any_search_text_is_answered_or_refused_never_crashes(
    as_user: AsUser, staff: dict[str, User], case: Case, q: str
) -> None:
    response = as_user(staff["agent"]).get("/api/v1/cases", {"q": q})
    if "\x00" in q:
        assert response.status_code == 400
        assert response.json()["fields"]["q"][0]["code"] == "null_characters_not_allowed"
    else:
        assert response.status_code == 200, response.content
        assert response.json()["count"] in (0, 1)
