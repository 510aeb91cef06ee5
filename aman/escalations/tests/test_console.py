from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from aman.audit.events import EventType
from aman.audit.models import AuditEvent
from aman.escalations.models import Escalation, EscalationStatus, Partner
from aman.escalations.tests.factories import consented_case, partner

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script>\u202e\u200f " + "ق" * 10  # HTML, bidi overrides, Arabic


def _client(user: Any, language: str = "ar") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["aman_lang"] = language
    return client


def _new(client: Client, case: Any, target: Partner, **extra: Any) -> Any:
    data = {
        "partner": target.pk,
        "policy_category": "harassment_bullying",
        "items": [i.pk for i in case.items.all()],
        "explanation": "Insults every day against a child (synthetic).",
        **extra,
    }
    return client.post(f"/console/cases/{case.reference}/escalations/new", data)


def test_agent_drafts_previews_and_sends_by_email(agent: Any, django_capture_on_commit_callbacks: Any) -> None:
    case = consented_case(triaged_by=agent)
    target = partner()
    client = _client(agent)
    page = client.get(f"/console/cases/{case.reference}/escalations/new")
    assert page.status_code == 200 and target.name in page.content.decode()
    response = _new(client, case, target)
    escalation = Escalation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/console/escalations/{escalation.pk}/"
    preview = client.get(response["Location"]).content.decode()
    assert escalation.notice_text.splitlines()[0] in preview and "bona fide" in preview
    assert len(mail.outbox) == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/console/escalations/{escalation.pk}/send")
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.SENT
    (message,) = mail.outbox
    assert message.body == escalation.notice_text  # exactly what was previewed
    case_page = client.get(f"/console/cases/{case.reference}/").content.decode()
    assert f"{case.reference}-E{escalation.pk}" in case_page and 'data-testid="clock-remaining"' in case_page
    assert "/escalations/new" in case_page
    lists = client.get("/console/escalations/").content.decode()
    assert f"{case.reference}-E{escalation.pk}" in lists


def test_form_without_consent_shows_a_translated_refusal(agent: Any) -> None:
    case = consented_case(consent_platform=False)
    response = _new(_client(agent, "fr"), case, partner())
    assert response.status_code == 400
    assert "Seul un superviseur" in response.content.decode() or "superviseur" in response.content.decode()
    assert not Escalation.objects.exists()


def test_hostile_and_oversized_input_is_refused_or_cleaned(agent: Any) -> None:
    case = consented_case()
    client = _client(agent)
    assert _new(client, case, partner(), explanation="").status_code == 400
    assert _new(client, case, partner(), explanation="x" * 9000).status_code == 400
    assert _new(client, case, partner(), partner="999999").status_code == 400
    assert _new(client, case, partner(), items=["abc"]).status_code == 400
    assert _new(client, case, partner(), policy_category="\x00").status_code == 400
    nul = _new(client, case, partner(), explanation="real reason\x00")  # Django refuses NUL, with a message
    assert nul.status_code == 400 and 'class="error"' in nul.content.decode()
    assert not Escalation.objects.exists()
    response = _new(client, case, partner(), explanation=HOSTILE)
    assert response.status_code == 302
    escalation = Escalation.objects.get()
    assert "\u202e" not in escalation.explanation and "ق" * 10 in escalation.explanation
    page = client.get(response["Location"]).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_outcome_form_validation_and_failed_send_retry(agent: Any, django_capture_on_commit_callbacks: Any) -> None:
    case = consented_case(triaged_by=agent)
    target = partner(email_to="nobody@example.org")
    client = _client(agent)
    _new(client, case, target)
    escalation = Escalation.objects.get()
    Partner.objects.filter(pk=target.pk).update(email_to="")  # misconfigured after drafting
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/console/escalations/{escalation.pk}/send")
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.FAILED
    assert 'data-testid="failed"' in client.get(f"/console/escalations/{escalation.pk}/").content.decode()
    failed_list = client.get("/console/escalations/").content.decode()
    assert f"{case.reference}-E{escalation.pk}" in failed_list.split('id="failed"')[1].split("</section>")[0]
    Partner.objects.filter(pk=target.pk).update(email_to="flagger@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/console/escalations/{escalation.pk}/retry")
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.SENT
    assert client.post(f"/console/escalations/{escalation.pk}/outcome", {}).status_code == 400
    bad = client.post(f"/console/escalations/{escalation.pk}/outcome", {"outcome": "<b>", "partner_reference": "x"})
    assert bad.status_code == 400
    client.post(
        f"/console/escalations/{escalation.pk}/outcome",
        {"outcome": "removed", "partner_reference": "REF-1" + HOSTILE, "note": HOSTILE},
    )
    escalation.refresh_from_db()
    assert escalation.outcome == "removed" and "\u202e" not in escalation.partner_reference


def test_supervisor_approves_a_police_hand_off_from_the_list(
    agent: Any, supervisor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = consented_case(triaged_by=agent)
    police = Partner.objects.get(slug="community-police")
    _new(_client(agent), case, police, policy_category="harassment_bullying")
    escalation = Escalation.objects.get()
    _client(agent).post(f"/console/escalations/{escalation.pk}/send")
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.AWAITING_APPROVAL
    sup = _client(supervisor)
    assert f"{case.reference}-E{escalation.pk}" in sup.get("/console/escalations/").content.decode()
    assert _client(agent).post(f"/console/escalations/{escalation.pk}/approve").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        sup.post(f"/console/escalations/{escalation.pk}/approve")
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.SENT and escalation.approved_by == supervisor


def test_partner_admin_crud_and_validation(admin_user: Any) -> None:
    client = _client(admin_user)
    assert "TikTok" in client.get("/console/partners/").content.decode()
    base = {
        "name": "Demo platform",
        "slug": "demo-platform",
        "kind": "platform",
        "channel": "webhook",
        "endpoint_url": "https://api.example.org/notices",
        "languages": "ar,en",
        "response_hours": "24",
        "response_hours_by_urgency": '{"critical": 2}',
        "policy_map": '{"impersonation": ["Fake account"]}',
        "consent_field": "consent_platform",
        "max_attachment_mb": "10",
        "active": "on",
        "webhook_secret": "s3cret-value",
    }
    for bad in [
        {"languages": "de"},
        {"response_hours_by_urgency": '{"urgentest": 2}'},
        {"policy_map": '{"not_a_category": ["x"]}'},
        {"policy_map": "[1, 2]"},
        {"endpoint_url": "javascript:alert(1)"},
        {"email_to": "not an address"},
        {"webhook_secret_env": "A B;rm"},
        {"name": "\x00"},
    ]:
        assert client.post("/console/partners/new", {**base, **bad}).status_code == 400, bad
    assert not Partner.objects.filter(slug="demo-platform").exists()
    response = client.post("/console/partners/new", base)
    assert response.status_code == 302
    created = Partner.objects.get(slug="demo-platform")
    assert created.webhook_secret_encrypted and "s3cret" not in created.webhook_secret_encrypted
    from aman.escalations.services import partner_webhook_secret

    assert partner_webhook_secret(partner=created) == "s3cret-value"
    event = AuditEvent.objects.filter(event_type=EventType.PARTNER_SAVED).last()
    assert event is not None and "s3cret" not in str(event.data)
    client.post(f"/console/partners/{created.pk}/", {**base, "webhook_secret": "", "response_hours": "12"})
    created.refresh_from_db()
    assert created.response_hours == 12 and partner_webhook_secret(partner=created) == "s3cret-value"


def test_response_report_and_csv(supervisor: Any, agent: Any, django_capture_on_commit_callbacks: Any) -> None:
    from aman.escalations import services

    case = consented_case(triaged_by=agent)
    target = partner(name="=HYPERLINK(evil)")
    for outcome in ["removed", "declined"]:
        escalation = services.escalation_create(
            case=case,
            partner=target,
            policy_category="harassment_bullying",
            explanation="x",
            item_ids=[case.items.first().pk],  # type: ignore[union-attr]
            acting_user=agent,
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.escalation_send(escalation=escalation, acting_user=agent)
        escalation.refresh_from_db()
        services.escalation_outcome_record(escalation=escalation, acting_user=agent, outcome=outcome)
    client = _client(supervisor)
    assert client.get("/console/escalations/report/").status_code == 200
    response = client.get("/console/escalations/report/?format=csv")
    text = response.content.decode("utf-8-sig")
    row = next(line for line in text.splitlines() if "HYPERLINK" in line)
    assert row.startswith("'=HYPERLINK") and ",2,2," in row and "50.0" in row
    assert AuditEvent.objects.filter(event_type=EventType.ESCALATION_REPORT_EXPORTED).exists()
