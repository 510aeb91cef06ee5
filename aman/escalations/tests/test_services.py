from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from aman.audit.events import EventType
from aman.audit.models import AuditEvent
from aman.audit.services import audit_chain_verify
from aman.cases.states import Status
from aman.escalations import errors, services
from aman.escalations.models import DeliveryAttempt, Escalation, EscalationStatus, Partner
from aman.escalations.seed import PARTNERS
from aman.escalations.tests.factories import consented_case, partner

pytestmark = pytest.mark.django_db


def _events(case: Any, event: EventType) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(case=case, event_type=event))


def _create(case: Any, user: Any, target: Partner, **kw: Any) -> Escalation:
    data: dict[str, Any] = {
        "policy_category": "harassment_bullying",
        "explanation": "The account posts insults about a 15-year-old every day (synthetic test).",
        "item_ids": [i.pk for i in case.items.all()],
    }
    data.update(kw)
    return services.escalation_create(case=case, partner=target, acting_user=user, **data)


def test_registry_is_seeded_with_fictional_contacts() -> None:
    slugs = set(Partner.objects.values_list("slug", flat=True))
    assert {p["slug"] for p in PARTNERS} <= slugs
    assert {"tiktok", "meta", "snapchat", "x", "youtube", "telegram", "community-police", "stopncii"} <= slugs
    for p in Partner.objects.exclude(email_to=""):
        assert all(a.endswith("example.org") for a in p.email_list), p.email_to
    police = Partner.objects.get(slug="community-police")
    assert police.consent_field == "consent_police" and police.response_hours_for("critical") == 4
    assert police.response_hours_for("low") == police.response_hours == 48


# --- the consent gate -------------------------------------------------------------------------


def test_no_consent_is_refused_for_an_agent(agent: Any) -> None:
    case = consented_case(consent_platform=False)
    with pytest.raises(errors.ConsentMissing):
        _create(case, agent, partner())
    with pytest.raises(errors.OverrideNotAllowed):
        _create(case, agent, partner(), override_reason="I think it is urgent")
    assert not Escalation.objects.exists()
    assert not _events(case, EventType.ESCALATION_CREATED)


def test_supervisor_override_needs_a_reason_and_is_audited(supervisor: Any) -> None:
    case = consented_case(consent_platform=False)
    with pytest.raises(errors.OverrideReasonRequired):
        _create(case, supervisor, partner(), override_reason="   \u202e ")
    escalation = _create(case, supervisor, partner(), override_reason="A child is in danger now.")
    assert escalation.override_reason == "A child is in danger now." and escalation.overridden_by == supervisor
    (event,) = _events(case, EventType.ESCALATION_CONSENT_OVERRIDDEN)
    assert event.data["reason"] == "A child is in danger now." and event.actor == supervisor
    assert audit_chain_verify().ok


def test_consent_withdrawn_after_drafting_blocks_sending(agent: Any) -> None:
    case = consented_case()
    escalation = _create(case, agent, partner())
    case.consent_platform = False
    case.save()
    with pytest.raises(errors.ConsentMissing):
        services.escalation_send(escalation=escalation, acting_user=agent)
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.DRAFT


def test_consent_withdrawn_while_queued_fails_the_delivery(agent: Any) -> None:
    case = consented_case()
    escalation = _create(case, agent, partner())
    services.escalation_send(escalation=escalation, acting_user=agent)  # on_commit not run: stays queued
    case.consent_platform = False
    case.save()
    assert services.escalation_deliver(escalation_id=escalation.pk) == "skipped"
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.FAILED and "consent" in escalation.last_error
    assert len(mail.outbox) == 0


# --- police -----------------------------------------------------------------------------------


def test_police_hand_off_waits_for_a_supervisor(
    agent: Any, supervisor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = consented_case(triaged_by=agent)
    police = Partner.objects.get(slug="community-police")
    escalation = _create(case, agent, police)
    with django_capture_on_commit_callbacks(execute=True):
        escalation = services.escalation_send(escalation=escalation, acting_user=agent)
    assert escalation.status == EscalationStatus.AWAITING_APPROVAL and len(mail.outbox) == 0
    with pytest.raises(errors.ApprovalNotAllowed):
        services.escalation_approve(escalation=escalation, acting_user=agent)
    with django_capture_on_commit_callbacks(execute=True):
        services.escalation_approve(escalation=escalation, acting_user=supervisor)
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.SENT and escalation.approved_by == supervisor
    (message,) = mail.outbox
    assert message.to == ["cyber-unit@police.example.org"]
    names = [a[0] for a in message.attachments]
    assert names == [f"{case.reference}-E{escalation.pk}.pdf"]
    assert _events(case, EventType.ESCALATION_APPROVAL_REQUESTED) and _events(case, EventType.ESCALATION_APPROVED)
    case.refresh_from_db()
    assert case.status == Status.ESCALATED


def test_police_pdf_carries_no_contact_unless_a_supervisor_ticks_it(agent: Any, supervisor: Any) -> None:
    from aman.core.tests.pdfcheck import pdf_text
    from aman.escalations.payload import outbound_build

    case = consented_case(contact_method="email", contact_value="reporter-test@example.org", description="Synthetic.")
    police = Partner.objects.get(slug="community-police")
    plain = _create(case, agent, police)
    outbound = outbound_build(plain, acting_user=agent)
    assert "case_facts" in outbound.data and "reporter_contact" not in outbound.data["case_facts"]
    assert "reporter-test@example.org" not in pdf_text(outbound.attachments[0].content)
    with pytest.raises(errors.ApprovalNotAllowed):
        _create(case, agent, police, include_contact=True, contact_reason="needed")
    with pytest.raises(errors.ContactReasonRequired):
        _create(case, supervisor, police, include_contact=True)
    with_contact = _create(case, supervisor, police, include_contact=True, contact_reason="The unit must call back.")
    outbound = outbound_build(with_contact, acting_user=supervisor)
    assert outbound.data["case_facts"]["reporter_contact"]["value"] == "reporter-test@example.org"
    assert "reporter-test@example.org" in pdf_text(outbound.attachments[0].content)
    assert _events(case, EventType.ESCALATION_CONTACT_INCLUDED)


# --- the notice -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "good_faith"),
    [
        ("en", "bona fide belief"),
        ("fr", "bonne foi"),
        ("ar", "حسن نية"),
        ("ckb", "نیەتپاکی"),
    ],
)
def test_notice_has_the_article_16_fields_in_the_partner_language(agent: Any, language: str, good_faith: str) -> None:
    case = consented_case()
    target = partner(languages=language)
    escalation = _create(case, agent, target)
    text = escalation.notice_text
    assert escalation.language == language
    assert good_faith in text
    assert "The account posts insults" in text  # why
    assert "https://instagram.com/p/abc123" in text and "@bully_account" in text  # exact location
    assert "helpline@example.org" in text  # notifier (the helpline)
    assert (
        f"{case.reference}-E{escalation.pk}" in text
        and f"{case.reference}-E{escalation.pk}" in escalation.notice_subject
    )


def test_csam_notice_leaves_the_notifier_out_and_refuses_files(agent: Any) -> None:
    case = consented_case(category="child_sexual_exploitation")
    hotline = Partner.objects.get(slug="child-abuse-hotline")
    escalation = _create(case, agent, hotline, policy_category="child_sexual_exploitation")
    assert "helpline@example.org" not in escalation.notice_text
    assert "Withheld" in escalation.notice_text
    assert escalation.partner_policy == "Child sexual abuse material"


def test_hostile_text_is_cleaned_and_ids_of_other_cases_refused(agent: Any) -> None:
    case = consented_case()
    other = consented_case()
    with pytest.raises(errors.InvalidChoice):
        _create(case, agent, partner(), item_ids=[other.items.first().pk])  # type: ignore[union-attr]
    with pytest.raises(errors.ExplanationRequired):
        _create(case, agent, partner(), explanation="\x00 \u202e ")
    with pytest.raises(errors.NothingToReport):
        _create(case, agent, partner(), item_ids=[])
    with pytest.raises(errors.InvalidChoice):
        _create(case, agent, partner(), policy_category="<script>")
    escalation = _create(case, agent, partner(), explanation="<script>alert(1)</script>\u202e\x00 real reason")
    assert "\x00" not in escalation.notice_text and "\u202e" not in escalation.notice_text
    assert "<script>alert(1)</script>" in escalation.notice_text  # plain text, escaped where shown


def test_inactive_partner_refused(agent: Any) -> None:
    with pytest.raises(errors.PartnerInactive):
        _create(consented_case(), agent, partner(active=False))


# --- the clock --------------------------------------------------------------------------------


def _sent(case: Any, user: Any, target: Partner, capture: Any) -> Escalation:
    escalation = _create(case, user, target)
    with capture(execute=True):
        services.escalation_send(escalation=escalation, acting_user=user)
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.SENT
    return escalation


def test_clock_per_partner_and_urgency_then_reminder_and_breach_once(
    agent: Any, supervisor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    supervisor.email = "huda@example.org"
    supervisor.save()
    agent.email = "salma@example.org"
    agent.save()
    case = consented_case(triaged_by=agent)
    target = partner(response_hours=24, response_hours_by_urgency={case.urgency: 6})
    escalation = _sent(case, agent, target, django_capture_on_commit_callbacks)
    assert escalation.due_at - escalation.sent_at == timedelta(hours=6)  # type: ignore[operator]
    mail.outbox.clear()
    now = timezone.now()
    assert services.escalation_mark_breaches(now=now) == {"reminded": 0, "breached": 0}
    assert services.escalation_mark_breaches(now=now + timedelta(hours=3)) == {"reminded": 1, "breached": 0}
    assert [m.to for m in mail.outbox] == [["salma@example.org"]]
    later = now + timedelta(hours=7)
    assert services.escalation_mark_breaches(now=later) == {"reminded": 0, "breached": 1}
    assert services.escalation_mark_breaches(now=later + timedelta(minutes=1)) == {"reminded": 0, "breached": 0}
    assert len(_events(case, EventType.ESCALATION_BREACHED)) == 1
    assert [m.to for m in mail.outbox][1:] == [["huda@example.org"]]
    assert "Partner test-platform" in mail.outbox[1].subject


def test_outcomes_and_time_to_action(agent: Any, django_capture_on_commit_callbacks: Any) -> None:
    case = consented_case(triaged_by=agent)
    escalation = _sent(case, agent, partner(), django_capture_on_commit_callbacks)
    with pytest.raises(errors.InvalidChoice):
        services.escalation_outcome_record(escalation=escalation, acting_user=agent, outcome="deleted-all")
    escalation = services.escalation_outcome_record(
        escalation=escalation, acting_user=agent, outcome="more_info", partner_reference="TT-123"
    )
    assert escalation.status == EscalationStatus.ACKNOWLEDGED and escalation.clock_running
    Escalation.objects.filter(pk=escalation.pk).update(sent_at=timezone.now() - timedelta(hours=6))
    escalation.refresh_from_db()
    acted = escalation.sent_at + timedelta(hours=5)  # type: ignore[operator]
    escalation = services.escalation_outcome_record(
        escalation=escalation, acting_user=agent, outcome="removed", actioned_at=acted, note="Removed under policy 4."
    )
    assert escalation.status == EscalationStatus.CLOSED and escalation.time_to_action == timedelta(hours=5)
    assert escalation.partner_reference == "TT-123"
    (event,) = [e for e in _events(case, EventType.ESCALATION_OUTCOME_RECORDED) if e.data["outcome"] == "removed"]
    assert event.data["hours_to_action"] == 5.0
    with pytest.raises(errors.WrongState):
        services.escalation_outcome_record(escalation=escalation, acting_user=agent, outcome="declined")
    assert services.escalation_mark_breaches(now=timezone.now() + timedelta(days=3))["breached"] == 0


def test_manual_channel_agent_records_the_reference(agent: Any) -> None:
    case = consented_case(triaged_by=agent)
    tiktok = Partner.objects.get(slug="tiktok")
    escalation = _create(case, agent, tiktok)
    services.escalation_send(escalation=escalation, acting_user=agent)
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.QUEUED
    assert services.escalation_resend_stuck(now=timezone.now() + timedelta(hours=1)) == 0  # never auto-sent
    escalation = services.escalation_mark_sent(escalation=escalation, acting_user=agent, partner_reference=" TT-998 ")
    assert escalation.status == EscalationStatus.ACKNOWLEDGED and escalation.partner_reference == "TT-998"
    assert escalation.due_at is not None
    (attempt,) = DeliveryAttempt.objects.filter(escalation=escalation)
    assert attempt.result == DeliveryAttempt.Result.MANUAL
    case.refresh_from_db()
    assert case.status == Status.ESCALATED


def test_retention_purge_blanks_the_notice(agent: Any) -> None:
    from aman.cases.retention import case_purge_reporter_data

    case = consented_case()
    escalation = _create(case, agent, partner())
    case_purge_reporter_data(case_id=case.pk)
    escalation.refresh_from_db()
    assert escalation.notice_text == "" and escalation.explanation == "" and escalation.items == []
