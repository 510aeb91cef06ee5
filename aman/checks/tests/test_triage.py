"""Triage suggestions on new reports: never applied silently, confirmed or corrected in one click,
corrections kept as labelled examples, critical flags first in the queue with supervisors alerted."""

import json
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from aman.audit.models import AuditEvent
from aman.cases.selectors import CaseFilters, case_queue
from aman.checks.models import CaseAlert, LabelledExample, SupervisorDuty, TriageSuggestion
from aman.checks.services import duty_set, suggestion_confirm, triage_suggest_for_text

pytestmark = pytest.mark.django_db

SELF_HARM_AR = "أختي عمرها ١٤ سنة كتبت أنها تريد أن تنتحر الليلة وأنها لا تريد أن تعيش بعد الآن"
SEXTORTION = "Someone threatens to publish my private photos unless I pay 500 dollars by tomorrow."


def test_a_new_report_gets_a_suggestion_that_changes_nothing_by_itself(submit: Any) -> None:
    case = submit(description=SEXTORTION, category="not_sure").case
    suggestion = TriageSuggestion.objects.get(case=case)
    assert suggestion.state == "pending" and suggestion.source == "report"
    assert suggestion.category == "sextortion"
    assert suggestion.model_version
    case.refresh_from_db()
    assert case.category == "not_sure" and case.status == "new"  # never applied silently
    event = AuditEvent.objects.get(event_type="case.triage_suggested", case=case)
    assert "photos" not in json.dumps(event.data)


def test_classifier_failure_never_loses_the_report(monkeypatch: pytest.MonkeyPatch, submit: Any) -> None:
    def broken() -> Any:
        raise RuntimeError("model files missing")

    monkeypatch.setattr("aman.checks.services.triage.load_default", broken)
    submission = submit(description=SEXTORTION)
    assert submission.case.pk and submission.follow_up_code
    assert not TriageSuggestion.objects.exists()


def test_queue_failure_never_loses_the_report(monkeypatch: pytest.MonkeyPatch, submit: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("broker down")

    monkeypatch.setattr("aman.checks.tasks.triage_suggest_task.delay", broken)
    submission = submit(description=SEXTORTION)
    assert submission.case.pk and not TriageSuggestion.objects.exists()


def test_same_text_is_suggested_once(case: Any) -> None:
    first = triage_suggest_for_text(case=case, text="hello there, my account was hacked", source="evidence")
    again = triage_suggest_for_text(case=case, text="hello there, my account was hacked", source="evidence")
    assert first is not None and first.pk == again.pk  # type: ignore[union-attr]
    assert triage_suggest_for_text(case=case, text="   ", source="evidence") is None
    with pytest.raises(ValueError, match="source"):
        triage_suggest_for_text(case=case, text="x", source="chat")


def test_confirm_in_one_click_applies_through_case_triage(agent: Any, submit: Any) -> None:
    case = submit(description=SEXTORTION, category="not_sure").case
    suggestion = TriageSuggestion.objects.get(case=case)
    client = Client()
    client.force_login(agent)
    page = client.get(f"/console/cases/{case.reference}/")
    assert b'data-testid="triage-suggestion"' in page.content
    response = client.post(f"/console/suggestions/{suggestion.pk}/confirm/")
    assert response.status_code == 302
    case.refresh_from_db()
    suggestion.refresh_from_db()
    assert case.category == suggestion.category and case.urgency == suggestion.urgency
    assert case.status == "triaged"
    assert suggestion.state == "confirmed" and suggestion.decided_by == agent
    assert AuditEvent.objects.filter(event_type="case.triaged", case=case, actor=agent).exists()
    assert LabelledExample.objects.get().source == "triage_confirmed"
    # A second click does nothing more.
    client.post(f"/console/suggestions/{suggestion.pk}/confirm/")
    assert AuditEvent.objects.filter(event_type="case.triage_suggestion_confirmed").count() == 1


def test_correction_is_stored_as_a_labelled_example_and_exported(agent: Any, submit: Any) -> None:
    case = submit(description=SEXTORTION, category="not_sure").case
    suggestion = TriageSuggestion.objects.get(case=case)
    client = Client()
    client.force_login(agent)
    response = client.post(
        f"/console/suggestions/{suggestion.pk}/correct/",
        {"category": "scam_fraud", "urgency": "medium", "minor_involved": "on"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.category, case.urgency, case.minor_involved) == ("scam_fraud", "medium", True)
    example = LabelledExample.objects.get()
    assert example.source == "triage_corrected"
    assert example.labels == {"category": "scam_fraud", "urgency": "medium", "flags": ["minor_involved"]}
    assert example.suggested["category"] == "sextortion"
    out = StringIO()
    call_command("checks_export_examples", stdout=out)
    line = json.loads(out.getvalue().splitlines()[0])
    assert line["text"] == SEXTORTION and line["category"] == "scam_fraud" and line["source"] == "triage_corrected"


def test_invalid_correction_changes_nothing(agent: Any, submit: Any) -> None:
    case = submit(description=SEXTORTION, category="not_sure").case
    suggestion = TriageSuggestion.objects.get(case=case)
    client = Client()
    client.force_login(agent)
    client.post(f"/console/suggestions/{suggestion.pk}/correct/", {"category": "<script>", "urgency": "x"})
    case.refresh_from_db()
    suggestion.refresh_from_db()
    assert case.category == "not_sure" and suggestion.state == "pending"


def test_critical_flag_goes_first_and_alerts_the_supervisor_on_duty(supervisor: Any, agent: Any, submit: Any) -> None:
    supervisor.email = "sup@example.org"
    supervisor.save()
    duty_set(user=supervisor, on_duty=True, acting_user=supervisor)
    older = submit(description="Someone insults me in the comments every day.", category="harassment_bullying")
    urgent = submit(description=SELF_HARM_AR, category="other", age_band="unknown").case
    suggestion = TriageSuggestion.objects.get(case=urgent)
    assert suggestion.is_critical
    alert = CaseAlert.objects.get(case=urgent)
    assert alert.resolved_at is None
    # First in the queue, before the older case, without any change to its triage.
    first = case_queue(user=agent, filters=CaseFilters()).first()
    assert first is not None and first.pk == urgent.pk
    assert older.case.pk != urgent.pk
    # The agent sees why it is first: a marker on its row, and only on its row.
    agent_client = Client()
    agent_client.force_login(agent)
    queue = agent_client.get("/console/").content.decode()
    assert queue.count('data-testid="needs-attention"') == 1
    marked_row = queue[
        queue.index('data-testid="needs-attention"') - 400 : queue.index('data-testid="needs-attention"')
    ]
    assert urgent.reference in marked_row and older.case.reference not in marked_row
    urgent.refresh_from_db()
    assert urgent.status == "new"
    # The supervisor on duty got an e-mail without the report's words, and sees it in the header.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sup@example.org"]
    assert urgent.reference in mail.outbox[0].subject
    assert "تنتحر" not in mail.outbox[0].body
    client = Client()
    client.force_login(supervisor)
    page = client.get("/console/")
    assert b'data-testid="header-alerts"' in page.content and urgent.reference.encode() in page.content
    # Confirming (a person looked) resolves the alert: the case returns to its normal place.
    suggestion_confirm(suggestion=suggestion, acting_user=agent)
    alert.refresh_from_db()
    assert alert.resolved_at is not None
    assert 'data-testid="needs-attention"' not in agent_client.get("/console/").content.decode()
    urgent.refresh_from_db()
    assert urgent.urgency == "critical"
    assert any(getattr(urgent, flag) for flag in suggestion.flags)


def test_no_email_to_supervisors_off_duty(supervisor: Any, submit: Any) -> None:
    supervisor.email = "sup@example.org"
    supervisor.save()
    submit(description=SELF_HARM_AR, category="other")
    assert mail.outbox == []
    assert CaseAlert.objects.count() == 1


def test_dismissing_the_alert(agent: Any, submit: Any) -> None:
    case = submit(description=SELF_HARM_AR, category="other").case
    alert = CaseAlert.objects.get(case=case)
    client = Client()
    client.force_login(agent)
    client.post(f"/console/alerts/{alert.pk}/dismiss/")
    alert.refresh_from_db()
    assert alert.resolved_by == agent
    assert TriageSuggestion.objects.get(case=case).state == "pending"


def test_duty_toggle(supervisor: Any, agent: Any) -> None:
    client = Client()
    client.force_login(supervisor)
    client.post("/console/duty/", {"on_duty": "1"})
    assert SupervisorDuty.objects.get(user=supervisor).on_duty
    client.post("/console/duty/", {"on_duty": "0"})
    assert not SupervisorDuty.objects.get(user=supervisor).on_duty
    agent_client = Client()
    agent_client.force_login(agent)
    assert agent_client.post("/console/duty/", {"on_duty": "1"}).status_code == 403
    assert not SupervisorDuty.objects.filter(user=agent).exists()
