"""Everything staff can do to a case. Each write is one transaction ending in an audit event."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from aman.accounts.models import HELPLINE_ROLES, User
from aman.audit.events import EventType
from aman.audit.services import audit_record
from aman.cases import errors
from aman.cases.choices import URGENCY_RANK, HarmCategory, Outcome, Urgency
from aman.cases.models import Case, Message, Note
from aman.cases.search import case_search_text
from aman.cases.sla import sla_apply
from aman.cases.states import NEEDS_OUTCOME, REOPEN_FROM, Status, can_transition
from aman.core.crypto import decrypt_text
from aman.core.text import clean_user_text


def _check_not_purged(case: Case) -> None:
    if case.purged_at is not None:
        raise errors.CasePurged()


def _set_status(case: Case, to_status: str, *, now: datetime) -> None:
    case.status = to_status
    if to_status == Status.RESOLVED:
        case.resolved_at = now
    elif to_status == Status.CLOSED:
        case.closed_at = now
    else:
        case.resolved_at = None
        case.closed_at = None


@transaction.atomic
def case_triage(
    *,
    case: Case,
    category: str,
    urgency: str,
    minor_involved: bool,
    imminent_danger: bool,
    self_harm: bool,
    acting_user: User,
) -> Case:
    _check_not_purged(case)
    if category not in HarmCategory.values or urgency not in Urgency.values:
        raise errors.InvalidChoice()
    case = Case.objects.select_for_update().get(pk=case.pk)
    before = {
        "category": case.category,
        "urgency": case.urgency,
        "minor_involved": case.minor_involved,
        "imminent_danger": case.imminent_danger,
        "self_harm": case.self_harm,
        "status": case.status,
    }
    case.category = category
    if urgency != case.urgency:
        case.urgency = urgency
        case.urgency_rank = URGENCY_RANK[Urgency(urgency)]
        sla_apply(case=case, received_at=case.created_at)
    case.minor_involved = minor_involved
    case.imminent_danger = imminent_danger
    case.self_harm = self_harm
    if case.status == Status.NEW:
        case.status = Status.TRIAGED
    case.save()
    after = {
        "category": case.category,
        "urgency": case.urgency,
        "minor_involved": case.minor_involved,
        "imminent_danger": case.imminent_danger,
        "self_harm": case.self_harm,
        "status": case.status,
    }
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    audit_record(event_type=EventType.CASE_TRIAGED, actor=acting_user, case=case, data={"changes": changes})
    return case


@transaction.atomic
def case_assign(*, case: Case, assignee: User | None, acting_user: User) -> Case:
    """Agents take or release their own cases; supervisors and admins assign anyone."""
    if not acting_user.can_see_all_cases:
        own = assignee is not None and assignee.pk == acting_user.pk
        releasing = assignee is None and case.assignee_id == acting_user.pk
        if not (own or releasing):
            raise errors.AssignmentNotAllowed()
    if assignee is not None and not assignee.is_helpline_staff:
        raise errors.AssigneeNotStaff()
    case = Case.objects.select_for_update().get(pk=case.pk)
    previous = case.assignee.get_username() if case.assignee else None
    case.assignee = assignee
    case.save(update_fields=["assignee", "updated_at"])
    audit_record(
        event_type=EventType.CASE_ASSIGNED,
        actor=acting_user,
        case=case,
        data={"from": previous, "to": assignee.get_username() if assignee else None},
    )
    return case


@transaction.atomic
def case_transition(
    *, case: Case, to_status: str, acting_user: User, outcome: str = "", outcome_note: str = "", reason: str = ""
) -> Case:
    """Move a case along the state machine (states.TRANSITIONS is the only source of truth)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    from_status = case.status
    if not can_transition(from_status, to_status):
        raise errors.TransitionNotAllowed()
    reopening = from_status in REOPEN_FROM and to_status not in REOPEN_FROM
    reason = clean_user_text(reason)
    if reopening and not reason:
        raise errors.ReasonRequired()
    if reopening:
        _check_not_purged(case)
    now = timezone.now()
    if to_status in NEEDS_OUTCOME:
        if outcome not in Outcome.values:
            raise errors.OutcomeRequired()
        case.outcome = outcome
        case.outcome_note = clean_user_text(outcome_note)
    elif reopening:
        case.outcome = ""
    _set_status(case, to_status, now=now)
    case.save()
    data: dict[str, Any] = {"from": from_status, "to": to_status}
    if outcome and to_status in NEEDS_OUTCOME:
        data["outcome"] = outcome
    if reopening:
        data["reason"] = reason
    event = EventType.CASE_REOPENED if reopening else EventType.CASE_STATUS_CHANGED
    audit_record(event_type=event, actor=acting_user, case=case, data=data)
    return case


def case_reopen(*, case: Case, acting_user: User, reason: str) -> Case:
    """Reopen a resolved or closed case; an open case cannot be reopened."""
    if case.status not in REOPEN_FROM:
        raise errors.TransitionNotAllowed()
    return case_transition(case=case, to_status=Status.IN_PROGRESS, acting_user=acting_user, reason=reason)


@transaction.atomic
def case_note_add(*, case: Case, body: str, acting_user: User) -> Note:
    _check_not_purged(case)
    note = Note.objects.create(case=case, body=clean_user_text(body), author=acting_user)
    audit_record(event_type=EventType.CASE_NOTE_ADDED, actor=acting_user, case=case, data={"note_id": note.pk})
    return note


@transaction.atomic
def case_message_send(*, case: Case, body: str, acting_user: User, wait_for_reply: bool = False) -> Message:
    """Write to the reporter; they read it with their follow-up code. Counts as the first response."""
    _check_not_purged(case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    message = Message.objects.create(
        case=case, direction=Message.Direction.TO_REPORTER, body=clean_user_text(body), author=acting_user
    )
    fields = ["updated_at"]
    if case.first_responded_at is None:
        case.first_responded_at = message.created_at
        fields.append("first_responded_at")
    case.save(update_fields=fields)
    audit_record(event_type=EventType.CASE_MESSAGE_SENT, actor=acting_user, case=case, data={"message_id": message.pk})
    if wait_for_reply and can_transition(case.status, Status.WAITING):
        case_transition(case=case, to_status=Status.WAITING, acting_user=acting_user)
    return message


def case_contact_reveal(*, case: Case, acting_user: User) -> tuple[str, str]:
    """Decrypt the reporter's contact details for one staff member, and audit that they looked."""
    _check_not_purged(case)
    audit_record(event_type=EventType.CASE_CONTACT_VIEWED, actor=acting_user, case=case)
    method, _sep, value = decrypt_text(case.contact_encrypted).partition(":")
    return method, value


def case_view_record(*, case: Case, acting_user: User) -> None:
    audit_record(event_type=EventType.CASE_VIEWED, actor=acting_user, case=case)


def case_refresh_search_text(*, case: Case) -> None:
    case.search_text = case_search_text(case)
    case.save(update_fields=["search_text", "updated_at"])


def sla_mark_breaches(*, now: datetime | None = None) -> int:
    """Record each missed SLA target once (timeline and audit). Returns the number recorded."""
    now = now or timezone.now()
    open_states = [Status.NEW, Status.TRIAGED, Status.IN_PROGRESS, Status.WAITING, Status.ESCALATED]
    recorded = 0
    first = Case.objects.filter(
        first_response_due__lt=now, first_responded_at__isnull=True, first_response_breached_at__isnull=True
    ).filter(status__in=open_states)
    for case_id in first.values_list("id", flat=True).iterator():
        with transaction.atomic():
            updated = Case.objects.filter(id=case_id, first_response_breached_at__isnull=True).update(
                first_response_breached_at=now
            )
            if updated:
                audit_record(
                    event_type=EventType.CASE_SLA_BREACHED,
                    case=Case(pk=case_id),
                    data={"target": "first_response"},
                )
                recorded += 1
    resolution = Case.objects.filter(
        Q(resolution_due__lt=now) & Q(resolution_breached_at__isnull=True) & Q(status__in=open_states)
    )
    for case_id in resolution.values_list("id", flat=True).iterator():
        with transaction.atomic():
            updated = Case.objects.filter(id=case_id, resolution_breached_at__isnull=True).update(
                resolution_breached_at=now
            )
            if updated:
                audit_record(
                    event_type=EventType.CASE_SLA_BREACHED, case=Case(pk=case_id), data={"target": "resolution"}
                )
                recorded += 1
    return recorded


def staff_assignable() -> list[User]:
    return list(User.objects.filter(is_active=True, role__in=HELPLINE_ROLES).order_by("username"))
