"""The Art. 17 outcome set: statements of reasons, appeals, the form's translated validation, and
the migration that maps the old outcomes."""

from __future__ import annotations

import importlib
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from aman.escalations import errors, services
from aman.escalations.models import (
    Escalation,
    EscalationOutcome,
    EscalationStatus,
    OutcomeStatement,
)
from aman.escalations.services import StatementInput
from aman.escalations.tests.factories import consented_case, draft_escalation, partner

pytestmark = pytest.mark.django_db


def _sent(agent: Any, capture: Any) -> Escalation:
    case = consented_case(triaged_by=agent)
    escalation = draft_escalation(case=case, target=partner(), agent=agent)
    with capture(execute=True):
        services.escalation_send(escalation=escalation, acting_user=agent)
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.SENT
    return escalation


def test_the_outcome_set_covers_art17_decisions() -> None:
    assert {
        "removed",
        "disabled",
        "restricted",
        "age_restricted",
        "account_suspended",
        "account_terminated",
        "declined",
        "no_response",
        "appealed",
        "more_info",
    } == set(EscalationOutcome.values)


def test_a_decision_with_its_statement_then_an_appeal_restarts_the_clock(
    agent: Any, django_capture_on_commit_callbacks: Any
) -> None:
    escalation = _sent(agent, django_capture_on_commit_callbacks)
    with pytest.raises(errors.GroundReferenceRequired):
        services.escalation_outcome_record(
            escalation=escalation,
            acting_user=agent,
            outcome="declined",
            statement=StatementInput(ground="incompatible"),
        )
    Escalation.objects.filter(pk=escalation.pk).update(sent_at=timezone.now() - timedelta(hours=3))
    escalation.refresh_from_db()
    decided = escalation.sent_at + timedelta(minutes=90)  # type: ignore[operator]
    escalation = services.escalation_outcome_record(
        escalation=escalation,
        acting_user=agent,
        outcome="declined",
        partner_reference="META-77",
        actioned_at=decided,
        statement=StatementInput(
            scope="Worldwide, permanent",
            facts="Reviewed after a trusted flagger notice.",
            ground="incompatible",
            ground_reference="Community Standards: Bullying",
            ground_explanation="No violation found.",
            automated_detection="no",
            automated_decision="partly",
            redress="Internal complaint within 6 months; out-of-court dispute settlement.",
        ),
    )
    assert escalation.status == EscalationStatus.CLOSED and escalation.actioned_at == decided
    assert escalation.time_to_action == timedelta(minutes=90)
    (first,) = OutcomeStatement.objects.filter(escalation=escalation)
    assert (first.ground, first.automated_decision, first.decided_at) == ("incompatible", "partly", decided)
    with pytest.raises(errors.WrongState):  # a closed decision takes an appeal, nothing else
        services.escalation_outcome_record(escalation=escalation, acting_user=agent, outcome="removed")
    escalation = services.escalation_outcome_record(escalation=escalation, acting_user=agent, outcome="appealed")
    assert escalation.status == EscalationStatus.ACKNOWLEDGED and escalation.clock_running
    assert escalation.due_at is not None and escalation.due_at > timezone.now() + timedelta(hours=23)
    assert escalation.breached_at is None
    escalation = services.escalation_outcome_record(
        escalation=escalation,
        acting_user=agent,
        outcome="removed",
        statement=StatementInput(ground="illegal", ground_reference="Penal code art. 9 (synthetic)"),
    )
    assert escalation.status == EscalationStatus.CLOSED and escalation.outcome == "removed"
    assert list(OutcomeStatement.objects.filter(escalation=escalation).values_list("outcome", flat=True)) == [
        "declined",
        "appealed",
        "removed",
    ]


def test_bad_choices_and_dates_are_refused(agent: Any, django_capture_on_commit_callbacks: Any) -> None:
    escalation = _sent(agent, django_capture_on_commit_callbacks)
    with pytest.raises(errors.InvalidChoice):
        services.escalation_outcome_record(
            escalation=escalation, acting_user=agent, outcome="removed", statement=StatementInput(ground="vibes")
        )
    with pytest.raises(errors.DecisionDateInvalid):
        services.escalation_outcome_record(
            escalation=escalation,
            acting_user=agent,
            outcome="removed",
            actioned_at=escalation.sent_at - timedelta(days=1),  # type: ignore[operator]
        )
    assert not OutcomeStatement.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Name the law or the part of the terms and conditions the partner relied on."),
        ("fr", "Indiquez la loi ou la partie des conditions générales sur laquelle le partenaire s’est appuyé."),
    ],
)
def test_the_form_explains_what_is_missing_in_the_reader_language(
    agent: Any, django_capture_on_commit_callbacks: Any, language: str, expected: str
) -> None:
    escalation = _sent(agent, django_capture_on_commit_callbacks)
    client = Client()
    client.cookies["aman_lang"] = language
    client.force_login(agent)
    url = f"/console/escalations/{escalation.pk}/outcome"
    response = client.post(url, {"outcome": "removed", "ground": "illegal"})
    assert response.status_code == 400
    assert expected in response.content.decode()
    future = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"outcome": "removed", "actioned_at": future})
    assert response.status_code == 400
    response = client.post(url, {"outcome": "removed", "ground": "nonsense", "scope": "x" * 700})
    assert response.status_code == 400
    assert not OutcomeStatement.objects.exists()
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.SENT
    ok = client.post(
        url,
        {
            "outcome": "age_restricted",
            "ground": "incompatible",
            "ground_reference": "Terms §4",
            "automated_detection": "yes",
            "note": "Visible to adults only.",
            "redress": "Appeal in the app.",
        },
    )
    assert ok.status_code == 302
    page = client.get(f"/console/escalations/{escalation.pk}/").content.decode()
    assert 'data-testid="statement"' in page and "Terms §4" in page


def test_migration_maps_old_outcomes(agent: Any, django_capture_on_commit_callbacks: Any) -> None:
    migration = importlib.import_module("aman.escalations.migrations.0004_map_outcomes_to_art17")
    old = _sent(agent, django_capture_on_commit_callbacks)
    Escalation.objects.filter(pk=old.pk).update(
        outcome="rejected", outcome_note="Old free-text reasons.", status="closed", actioned_at=timezone.now()
    )
    migration.forwards(apps, None)
    old.refresh_from_db()
    assert old.outcome == "declined"
    (statement,) = OutcomeStatement.objects.filter(escalation=old)
    assert (statement.source, statement.facts, statement.outcome) == ("migrated", "Old free-text reasons.", "declined")
    migration.forwards(apps, None)  # twice is harmless
    assert OutcomeStatement.objects.filter(escalation=old).count() == 1
    migration.backwards(apps, None)
    old.refresh_from_db()
    assert old.outcome == "rejected" and not OutcomeStatement.objects.filter(escalation=old).exists()
