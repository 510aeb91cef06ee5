"""Every (from, to) pair goes through the service: allowed ones succeed, the rest are refused."""

import itertools

import pytest

from aman.audit.models import AuditEvent
from aman.cases import errors
from aman.cases.models import Case
from aman.cases.services import case_transition
from aman.cases.states import REOPEN_FROM, TRANSITIONS, Status
from aman.cases.tests.factories import case_factory

pytestmark = pytest.mark.django_db

PAIRS = list(itertools.product(Status.values, Status.values))


def _case_in(status: str) -> Case:
    case = case_factory()
    Case.objects.filter(pk=case.pk).update(
        status=status, outcome="advice_given" if status in (Status.RESOLVED, Status.CLOSED) else ""
    )
    case.refresh_from_db()
    return case


@pytest.mark.parametrize(("from_status", "to_status"), PAIRS)
def test_transition_table_is_enforced(agent, from_status: str, to_status: str) -> None:  # type: ignore[no-untyped-def]
    case = _case_in(from_status)
    before = AuditEvent.objects.count()
    allowed = to_status in TRANSITIONS[from_status]
    kwargs = {"outcome": "advice_given", "reason": "new evidence"}
    if allowed:
        case_transition(case=case, to_status=to_status, acting_user=agent, **kwargs)
        case.refresh_from_db()
        assert case.status == to_status
        assert AuditEvent.objects.count() == before + 1
    else:
        with pytest.raises(errors.TransitionNotAllowed):
            case_transition(case=case, to_status=to_status, acting_user=agent, **kwargs)
        case.refresh_from_db()
        assert case.status == from_status
        assert AuditEvent.objects.count() == before


def test_resolving_needs_an_outcome(agent) -> None:  # type: ignore[no-untyped-def]
    case = _case_in(Status.IN_PROGRESS)
    with pytest.raises(errors.OutcomeRequired):
        case_transition(case=case, to_status=Status.RESOLVED, acting_user=agent)
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS


@pytest.mark.parametrize("from_status", sorted(REOPEN_FROM))
def test_reopening_needs_a_reason_and_is_audited_as_a_reopen(agent, from_status: str) -> None:  # type: ignore[no-untyped-def]
    case = _case_in(from_status)
    with pytest.raises(errors.ReasonRequired):
        case_transition(case=case, to_status=Status.IN_PROGRESS, acting_user=agent, reason="   ")
    case_transition(case=case, to_status=Status.IN_PROGRESS, acting_user=agent, reason="The account came back")
    event = AuditEvent.objects.filter(case=case).latest("sequence")
    assert event.event_type == "case.reopened"
    assert event.data["reason"] == "The account came back"
    case.refresh_from_db()
    assert case.outcome == "" and case.closed_at is None and case.resolved_at is None


def test_the_database_refuses_a_resolved_case_without_outcome() -> None:
    from django.db import IntegrityError, transaction

    case = case_factory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status=Status.RESOLVED, outcome="")
