import pytest
from django.test import Client

from aman.audit.events import EventType
from aman.audit.models import AuditEvent
from aman.cases.models import Case
from aman.cases.states import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(agent) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(agent)
    client.cookies["aman_lang"] = "en"  # assertions below read English labels
    return client


def test_queue_lists_cases_with_counts_and_the_case_page_is_audited(console: Client, case: Case, agent) -> None:  # type: ignore[no-untyped-def]
    html = console.get("/console/?queue=unassigned").content.decode()
    assert case.reference in html
    assert 'data-queue="unassigned"' in html
    html = console.get(f"/console/cases/{case.reference}/").content.decode()
    assert case.description in html
    assert AuditEvent.objects.filter(case=case, event_type=EventType.CASE_VIEWED, actor=agent).count() == 1


def test_an_agent_works_a_case_end_to_end(console: Client, case: Case) -> None:
    url = f"/console/cases/{case.reference}"
    assert console.post(f"{url}/assign/", {"take": "1"}).status_code == 302
    assert console.post(f"{url}/triage/", {"category": "harassment_bullying", "urgency": "high"}).status_code == 302
    assert console.post(f"{url}/status/", {"status": "in_progress"}).status_code == 302
    assert console.post(f"{url}/messages/", {"message-body": "We are on it"}).status_code == 302
    assert console.post(f"{url}/notes/", {"note-body": "Checked the handle"}).status_code == 302
    response = console.post(f"{url}/status/", {"status": "resolved"}, follow=True)
    assert "Choose an outcome" in response.content.decode()
    assert console.post(f"{url}/status/", {"status": "resolved", "outcome": "content_removed"}).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.RESOLVED and case.outcome == "content_removed"
    timeline = console.get(f"{url}/").content.decode()
    assert "Case triaged" in timeline or "triag" in timeline.lower()


def test_a_forbidden_transition_explains_and_changes_nothing(console: Client, case: Case) -> None:
    response = console.post(f"/console/cases/{case.reference}/status/", {"status": "escalated"}, follow=True)
    assert "not allowed" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.NEW


@pytest.mark.parametrize("body", ["", "   ", "x" * 20001, "\x00", "<script>alert(1)</script>", "\u202e\u202e"])
def test_hostile_messages_and_notes(console: Client, case: Case, body: str) -> None:
    for prefix, path in (("message", "messages"), ("note", "notes")):
        response = console.post(f"/console/cases/{case.reference}/{path}/", {f"{prefix}-body": body})
        html = response.content.decode()
        assert "<script>alert(1)</script>" not in html
        if response.status_code == 302:
            stored = case.messages.last() if prefix == "message" else case.notes.last()
            assert stored is not None and "\x00" not in stored.body and "<script>" in stored.body
        else:
            assert response.status_code == 400


@pytest.mark.parametrize("field", ["category", "urgency"])
@pytest.mark.parametrize("value", ["", "nonsense", "x" * 5000, "<b>"])
def test_hostile_triage(console: Client, case: Case, field: str, value: str) -> None:
    data = {"category": "other", "urgency": "low", field: value}
    assert console.post(f"/console/cases/{case.reference}/triage/", data).status_code == 400
    case.refresh_from_db()
    assert case.status == Status.NEW


@pytest.mark.parametrize("q", ["", "x" * 1000, "%", "_", "' OR 1=1", "\x00", "<script>"])
def test_hostile_search_and_filters(console: Client, case: Case, q: str) -> None:
    response = console.get("/console/", {"q": q, "queue": "bogus", "category": "<x>", "page": "-1"})
    assert response.status_code == 200
