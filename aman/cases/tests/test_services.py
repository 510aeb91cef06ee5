from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from aman.audit.events import EventType
from aman.audit.models import AuditEvent
from aman.cases import errors, services
from aman.cases.models import Case, SlaPolicy
from aman.cases.retention import retention_purge
from aman.cases.states import Status
from aman.cases.tests.factories import case_factory, submit_report
from aman.core.crypto import decrypt_text

pytestmark = pytest.mark.django_db


def _triage(case: Case, user, **changes: object) -> Case:  # type: ignore[no-untyped-def]
    data = {
        "category": case.category,
        "urgency": case.urgency,
        "minor_involved": case.minor_involved,
        "imminent_danger": case.imminent_danger,
        "self_harm": case.self_harm,
    }
    data.update(changes)
    return services.case_triage(case=case, acting_user=user, **data)  # type: ignore[arg-type]


def test_triage_records_what_changed_and_moves_new_to_triaged(agent) -> None:  # type: ignore[no-untyped-def]
    case = case_factory(category="not_sure")
    case = _triage(case, agent, category="sextortion", urgency="critical", imminent_danger=True)
    assert case.status == Status.TRIAGED and case.urgency_rank == 0
    event = AuditEvent.objects.filter(case=case, event_type=EventType.CASE_TRIAGED).get()
    assert event.data["changes"]["category"] == ["not_sure", "sextortion"]
    assert event.data["changes"]["urgency"] == ["medium", "critical"]


def test_changing_urgency_recomputes_sla_from_when_the_report_arrived(agent) -> None:  # type: ignore[no-untyped-def]
    SlaPolicy.objects.create(urgency="critical", first_response_minutes=15, resolution_minutes=600)
    case = case_factory()
    case = _triage(case, agent, urgency="critical")
    assert case.first_response_due == case.created_at + timedelta(minutes=15)
    assert case.resolution_due == case.created_at + timedelta(minutes=600)


def test_agents_take_and_release_only_their_own_cases(agent, other_agent, supervisor) -> None:  # type: ignore[no-untyped-def]
    case = case_factory()
    with pytest.raises(errors.AssignmentNotAllowed):
        services.case_assign(case=case, assignee=other_agent, acting_user=agent)
    services.case_assign(case=case, assignee=agent, acting_user=agent)
    case.refresh_from_db()
    assert case.assignee == agent
    with pytest.raises(errors.AssignmentNotAllowed):
        services.case_assign(case=case, assignee=None, acting_user=other_agent)
    services.case_assign(case=case, assignee=other_agent, acting_user=supervisor)
    case.refresh_from_db()
    assert case.assignee == other_agent


def test_the_first_message_counts_as_first_response(agent) -> None:  # type: ignore[no-untyped-def]
    case = case_factory()
    services.case_message_send(case=case, body="Hello", acting_user=agent)
    services.case_message_send(case=case, body="Again", acting_user=agent)
    case.refresh_from_db()
    first = case.messages.order_by("id").first()
    assert first is not None and case.first_responded_at == first.created_at


def test_notes_and_messages_are_cleaned(agent) -> None:  # type: ignore[no-untyped-def]
    case = case_factory()
    note = services.case_note_add(case=case, body="  check \u202eevidence\x00 ", acting_user=agent)
    assert note.body == "check evidence"


def test_sla_breaches_are_recorded_once(agent) -> None:  # type: ignore[no-untyped-def]
    case = case_factory()
    later = timezone.now() + timedelta(days=30)
    assert services.sla_mark_breaches(now=later) == 2  # first response and resolution
    assert services.sla_mark_breaches(now=later) == 0
    case.refresh_from_db()
    assert case.first_response_breached_at and case.resolution_breached_at
    assert AuditEvent.objects.filter(case=case, event_type=EventType.CASE_SLA_BREACHED).count() == 2


def test_sla_ignores_answered_and_closed_cases(agent) -> None:  # type: ignore[no-untyped-def]
    case = case_factory()
    services.case_message_send(case=case, body="Hello", acting_user=agent)
    later = timezone.now() + timedelta(hours=10)
    assert services.sla_mark_breaches(now=later) == 0


def test_contact_reveal_is_audited(agent) -> None:  # type: ignore[no-untyped-def]
    case = submit_report(contact_method="phone", contact_value="+9647701234567").case
    assert services.case_contact_reveal(case=case, acting_user=agent) == ("phone", "+9647701234567")
    assert AuditEvent.objects.filter(case=case, event_type=EventType.CASE_CONTACT_VIEWED, actor=agent).exists()


def _close(case: Case, user, days_ago: int) -> None:  # type: ignore[no-untyped-def]
    services.case_triage(
        case=case,
        category="other",
        urgency="low",
        minor_involved=False,
        imminent_danger=False,
        self_harm=False,
        acting_user=user,
    )
    services.case_message_send(case=case, body="Advice", acting_user=user)
    services.case_note_add(case=case, body="internal", acting_user=user)
    services.case_transition(case=case, to_status=Status.RESOLVED, acting_user=user, outcome="advice_given")
    services.case_transition(case=case, to_status=Status.CLOSED, acting_user=user)
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=days_ago))


@override_settings(AMAN_RETENTION_DAYS=90)
def test_retention_purges_people_data_and_keeps_statistics(agent) -> None:  # type: ignore[no-untyped-def]
    old = submit_report(contact_method="email", contact_value="a@example.org").case
    recent = case_factory()
    _close(old, agent, days_ago=120)
    _close(recent, agent, days_ago=10)
    assert retention_purge() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.purged_at and old.description == "" and old.contact_encrypted == ""
    assert old.items.count() == 0 and old.messages.count() == 0 and old.notes.count() == 0
    assert old.category == "other" and old.outcome == "advice_given" and old.platforms  # statistics survive
    assert recent.purged_at is None and recent.description
    assert retention_purge() == 0
    call_command("audit_verify")


def test_contact_key_rotation_re_encrypts_under_the_new_key(settings) -> None:  # type: ignore[no-untyped-def]
    from cryptography.fernet import Fernet

    case = submit_report(contact_method="email", contact_value="rotate@example.org").case
    old_key = settings.AMAN_CONTACT_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.AMAN_CONTACT_KEYS = [new_key, old_key]
    call_command("rotate_contact_keys")
    case.refresh_from_db()
    settings.AMAN_CONTACT_KEYS = [new_key]  # the old key is retired
    assert decrypt_text(case.contact_encrypted) == "email:rotate@example.org"
    assert AuditEvent.objects.filter(event_type=EventType.CONTACT_KEYS_ROTATED).exists()


def test_only_finished_cases_can_be_reopened(agent) -> None:  # type: ignore[no-untyped-def]
    case = case_factory()
    with pytest.raises(errors.TransitionNotAllowed):
        services.case_reopen(case=case, acting_user=agent, reason="why not")
    case.refresh_from_db()
    assert case.status == Status.NEW


@pytest.mark.parametrize(("category", "urgency"), [("nonsense", "low"), ("other", "urgent!"), ("", "")])
def test_triage_refuses_unknown_codes(agent, category: str, urgency: str) -> None:  # type: ignore[no-untyped-def]
    case = case_factory()
    with pytest.raises(errors.InvalidChoice):
        _triage(case, agent, category=category, urgency=urgency)
