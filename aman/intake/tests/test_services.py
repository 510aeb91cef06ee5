import pytest
from django.test import override_settings

from aman.audit.events import EventType
from aman.audit.models import AuditEvent
from aman.cases.choices import AgeBand, HarmCategory, Urgency
from aman.cases.models import Case, Message
from aman.cases.states import Status
from aman.cases.tests.factories import submit_report
from aman.core.crypto import decrypt_text
from aman.intake import services
from aman.intake.codes import REFERENCE_PATTERN

pytestmark = pytest.mark.django_db


def test_submit_stores_the_report_and_returns_a_one_time_code() -> None:
    sub = submit_report(contact_method="email", contact_value="reporter@example.org")
    case = Case.objects.get(pk=sub.case.pk)
    assert REFERENCE_PATTERN.match(case.reference)
    assert sub.follow_up_code and sub.follow_up_code not in case.follow_up_hash
    assert len(case.follow_up_hash) == 64
    assert case.status == Status.NEW
    assert case.items.count() == 2
    # contact details are encrypted at rest and readable with the key
    assert "reporter@example.org" not in case.contact_encrypted
    assert decrypt_text(case.contact_encrypted) == "email:reporter@example.org"
    assert AuditEvent.objects.filter(case=case, event_type=EventType.REPORT_SUBMITTED).count() == 1
    assert case.first_response_due and case.resolution_due


@pytest.mark.parametrize(
    ("overrides", "urgency"),
    [
        ({"category": HarmCategory.HARASSMENT_BULLYING, "age_band": AgeBand.ADULT}, Urgency.MEDIUM),
        ({"category": HarmCategory.SEXTORTION, "age_band": AgeBand.ADULT}, Urgency.HIGH),
        ({"category": HarmCategory.SEXTORTION, "age_band": AgeBand.TEEN}, Urgency.CRITICAL),
        ({"category": HarmCategory.SELF_HARM, "age_band": AgeBand.ADULT}, Urgency.CRITICAL),
        ({"category": HarmCategory.OTHER, "age_band": AgeBand.ADULT, "in_danger_now": True}, Urgency.CRITICAL),
        ({"category": HarmCategory.MALICIOUS_REPORTING, "age_band": AgeBand.ADULT}, Urgency.LOW),
    ],
)
def test_initial_urgency_follows_the_domain_rules(overrides: dict[str, object], urgency: str) -> None:
    case = submit_report(**overrides).case
    assert case.urgency == urgency


def test_minor_and_danger_flags_are_set_from_the_report() -> None:
    case = submit_report(age_band=AgeBand.UNDER_13, in_danger_now=True, category=HarmCategory.SELF_HARM).case
    assert case.minor_involved and case.imminent_danger and case.self_harm


def test_idempotency_key_stores_one_case_and_replays_the_code() -> None:
    data = dict(category="other", description="Question about privacy settings", affected="me", age_band="18_plus")
    a = services.report_submit(data=services.ReportInput(**data), idempotency_key="retry-123")
    b = services.report_submit(data=services.ReportInput(**data), idempotency_key="retry-123")
    assert a.case.pk == b.case.pk
    assert b.replayed and b.follow_up_code == a.follow_up_code
    assert Case.objects.count() == 1


def test_follow_up_with_the_right_code_opens_the_case() -> None:
    sub = submit_report()
    case = services.followup_authenticate(reference=sub.case.reference, code=sub.follow_up_code, client_token="t1")
    assert case == sub.case
    loose = services.followup_authenticate(
        reference=sub.case.reference.lower(), code=sub.follow_up_code.replace("-", " ").lower(), client_token="t1"
    )
    assert loose == sub.case


@override_settings(AMAN_FOLLOW_UP_MAX_ATTEMPTS=3)
def test_wrong_codes_are_rate_limited_even_when_the_code_becomes_right() -> None:
    sub = submit_report()
    for _ in range(3):
        assert services.followup_authenticate(reference=sub.case.reference, code="WRONG", client_token="t") is None
    # blocked now: even the right code is refused until the window passes
    assert (
        services.followup_authenticate(reference=sub.case.reference, code=sub.follow_up_code, client_token="t2") is None
    )


@override_settings(AMAN_FOLLOW_UP_MAX_ATTEMPTS=3)
def test_a_client_guessing_across_many_references_is_slowed_down() -> None:
    sub = submit_report()
    for i in range(12):
        services.followup_authenticate(reference=f"AMN-2222-22{i:02d}"[:13], code="X", client_token="guesser")
    assert (
        services.followup_authenticate(reference=sub.case.reference, code=sub.follow_up_code, client_token="guesser")
        is None
    )
    assert (
        services.followup_authenticate(reference=sub.case.reference, code=sub.follow_up_code, client_token="other")
        == sub.case
    )


def test_reporter_reply_brings_a_waiting_case_back_and_reopens_a_closed_one(agent) -> None:  # type: ignore[no-untyped-def]
    from aman.cases import services as case_services

    case = submit_report().case
    case_services.case_triage(
        case=case,
        category="harassment_bullying",
        urgency="medium",
        minor_involved=True,
        imminent_danger=False,
        self_harm=False,
        acting_user=agent,
    )
    case_services.case_message_send(case=case, body="Can you send the link?", acting_user=agent, wait_for_reply=True)
    case.refresh_from_db()
    assert case.status == Status.WAITING
    services.reporter_reply(case=case, body="Here it is")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    case_services.case_transition(case=case, to_status=Status.RESOLVED, acting_user=agent, outcome="advice_given")
    case_services.case_transition(case=case, to_status=Status.CLOSED, acting_user=agent)
    services.reporter_reply(case=case, body="It started again")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.outcome == ""
    assert Message.objects.filter(case=case, direction="from_reporter").count() == 2
    assert AuditEvent.objects.filter(case=case, event_type=EventType.CASE_REOPENED).exists()


def test_consent_changes_are_recorded() -> None:
    case = submit_report().case
    assert not (case.consent_platform or case.consent_police or case.consent_hotline)
    services.reporter_consent_update(case=case, platform=True, police=False, hotline=True)
    case.refresh_from_db()
    assert case.consent_platform and case.consent_hotline and not case.consent_police
    event = AuditEvent.objects.get(case=case, event_type=EventType.REPORTER_CHANGED_CONSENT)
    assert event.data["changes"] == {"platform": [False, True], "hotline": [False, True]}


def test_reporter_can_add_links_and_they_become_searchable() -> None:
    case = submit_report().case
    services.reporter_items_add(case=case, items=[("handle", "@another_fake")])
    case.refresh_from_db()
    assert "@another_fake" in case.search_text
