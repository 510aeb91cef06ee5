"""Everything that changes an escalation: create, send (with the consent gate), approve, deliver,
retry, record an outcome, watch the clock. Each write is one transaction ending in an audit event.

The consent gate: nothing goes to a partner whose consent field (``consent_platform``,
``consent_police``, ``consent_hotline``) is not set on the case, unless a supervisor or an
administrator overrides it with a written reason. It is checked when the escalation is made,
when it is sent and again just before each delivery attempt (a reporter may withdraw consent).
Police hand-offs also need a supervisor's approval.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from aman.accounts.models import Role, User
from aman.audit.events import EventType
from aman.audit.services import audit_record
from aman.cases.choices import HarmCategory
from aman.cases.models import Case, ReportItem
from aman.cases.states import Status, can_transition
from aman.core.crypto import decrypt_text
from aman.core.text import clean_user_text
from aman.escalations import errors
from aman.escalations.channels import ManualDelivery, PermanentFailure, TemporaryFailure, channel_module
from aman.escalations.models import (
    CLOCK_RUNNING,
    DECISION_OUTCOMES,
    FINAL_OUTCOMES,
    Automation,
    Channel,
    DecisionGround,
    DeliveryAttempt,
    Escalation,
    EscalationOutcome,
    EscalationStatus,
    OutcomeStatement,
    Partner,
    PartnerToken,
)
from aman.escalations.notice import notice_render

logger = logging.getLogger(__name__)

MAX_EXPLANATION = 4000
MAX_REASON = 1000
# Categories whose images are never sent as files (aman.evidence.sufficiency.NO_IMAGE_COPIES).
NO_FILES = {HarmCategory.NCII, HarmCategory.CHILD_SEXUAL_EXPLOITATION}


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def max_attempts() -> int:
    return int(_setting("AMAN_ESCALATION_MAX_ATTEMPTS", 5))


def backoff_seconds(attempt: int) -> int:
    base = int(_setting("AMAN_ESCALATION_RETRY_BASE_SECONDS", 60))
    return min(base * 2 ** max(0, attempt - 1), 3600)


def stuck_grace() -> timedelta:
    """How long a queued escalation waits for its task before the periodic job picks it up.

    With no broker (tasks in-process) nothing else will pick it up, so there is no grace.
    """
    if _setting("CELERY_TASK_ALWAYS_EAGER", False):
        return timedelta(0)
    return timedelta(minutes=int(_setting("AMAN_ESCALATION_STUCK_MINUTES", 5)))


def partner_webhook_secret(*, partner: Partner) -> str:
    """The signing secret: from the named environment variable, else the stored encrypted one."""
    if partner.webhook_secret_env:
        value = os.environ.get(partner.webhook_secret_env, "")
        if value:
            return value
    return decrypt_text(partner.webhook_secret_encrypted) if partner.webhook_secret_encrypted else ""


# --- the consent gate -------------------------------------------------------------------------


def consent_given(*, case: Case, partner: Partner) -> bool:
    return bool(getattr(case, partner.consent_field, False))


def _can_override(user: Any) -> bool:
    return bool(user is not None and getattr(user, "can_see_all_cases", False))


def _consent_gate(*, case: Case, partner: Partner, acting_user: Any, override_reason: str) -> str:
    """Pass, or raise. Returns the override reason to record ("" when consent was given)."""
    if consent_given(case=case, partner=partner):
        return ""
    reason = clean_user_text(override_reason)[:MAX_REASON]
    if not _can_override(acting_user):
        raise errors.OverrideNotAllowed() if reason else errors.ConsentMissing()
    if not reason:
        raise errors.OverrideReasonRequired()
    return reason


# --- create -----------------------------------------------------------------------------------


@transaction.atomic
def escalation_create(
    *,
    case: Case,
    partner: Partner,
    policy_category: str,
    explanation: str,
    item_ids: list[int],
    acting_user: User,
    evidence_ids: list[int] | None = None,
    partner_policy: str = "",
    language: str = "",
    override_reason: str = "",
    include_contact: bool = False,
    contact_reason: str = "",
) -> Escalation:
    """A draft escalation with its notice rendered: the agent previews it before sending."""
    from aman.evidence.models import EvidenceItem

    if case.purged_at is not None:
        raise errors.WrongState()
    if not partner.active:
        raise errors.PartnerInactive()
    if policy_category not in HarmCategory.values:
        raise errors.InvalidChoice()
    explanation = clean_user_text(explanation)[:MAX_EXPLANATION]
    if not explanation:
        raise errors.ExplanationRequired()
    items = list(ReportItem.objects.filter(case=case, pk__in=set(item_ids)).order_by("id"))
    evidence = list(
        EvidenceItem.objects.filter(case=case, pk__in=set(evidence_ids or []), purged_at__isnull=True).order_by("id")
    )
    if len(items) != len(set(item_ids)) or len(evidence) != len(set(evidence_ids or [])):
        raise errors.InvalidChoice()
    if not items and not evidence:
        raise errors.NothingToReport()
    if evidence and (policy_category in NO_FILES or case.category in NO_FILES):
        raise errors.NoImageCopies()
    policies = partner.policies_for(policy_category)
    partner_policy = clean_user_text(partner_policy)[:200]
    if partner_policy and policies and partner_policy not in policies:
        raise errors.InvalidChoice()
    if not partner_policy and policies:
        partner_policy = policies[0]
    language = language if language in partner.language_list else partner.language_list[0]
    reason = _consent_gate(case=case, partner=partner, acting_user=acting_user, override_reason=override_reason)
    contact_reason = clean_user_text(contact_reason)[:MAX_REASON]
    if include_contact:
        if not partner.is_police or case.contact_method == "none" or not case.contact_encrypted:
            raise errors.InvalidChoice()
        if not _can_override(acting_user):
            raise errors.ApprovalNotAllowed()
        if not contact_reason:
            raise errors.ContactReasonRequired()
    escalation = Escalation.objects.create(
        case=case,
        partner=partner,
        policy_category=policy_category,
        partner_policy=partner_policy,
        explanation=explanation,
        items=[item.pk for item in items],
        language=language,
        urgency=case.urgency,
        include_contact=include_contact,
        contact_reason=contact_reason if include_contact else "",
        override_reason=reason,
        overridden_by=acting_user if reason else None,
        created_by=acting_user,
    )
    escalation.evidence.set(evidence)
    notice = notice_render(
        escalation=escalation, items=items, evidence_sha256=[e.sha256 for e in evidence], at=timezone.now()
    )
    escalation.notice_subject = notice.subject[:300]
    escalation.notice_text = notice.text
    escalation.save(update_fields=["notice_subject", "notice_text", "updated_at"])
    data: dict[str, Any] = {
        "escalation": escalation.pk,
        "partner": partner.name,
        "category": policy_category,
        "items": len(items),
        "evidence": [e.pk for e in evidence],
        "language": language,
    }
    audit_record(event_type=EventType.ESCALATION_CREATED, actor=acting_user, case=case, data=data)
    if reason:
        _audit_override(escalation, acting_user, reason)
    if include_contact:
        audit_record(
            event_type=EventType.ESCALATION_CONTACT_INCLUDED,
            actor=acting_user,
            case=case,
            data={"escalation": escalation.pk, "reason": contact_reason},
        )
    return escalation


def _audit_override(escalation: Escalation, acting_user: Any, reason: str) -> None:
    audit_record(
        event_type=EventType.ESCALATION_CONSENT_OVERRIDDEN,
        actor=acting_user,
        case=escalation.case,
        data={
            "escalation": escalation.pk,
            "partner": escalation.partner.name,
            "consent": escalation.partner.consent_field,
            "reason": reason,
        },
    )


def _lock(escalation: Escalation) -> Escalation:
    return Escalation.objects.select_for_update(of=("self",)).select_related("partner", "case").get(pk=escalation.pk)


# --- send, approve, queue ---------------------------------------------------------------------


@transaction.atomic
def escalation_send(*, escalation: Escalation, acting_user: User, override_reason: str = "") -> Escalation:
    """Send a previewed draft: through the consent gate, then to approval (police) or the queue."""
    escalation = _lock(escalation)
    if escalation.status != EscalationStatus.DRAFT:
        raise errors.WrongState()
    if not escalation.partner.active:
        raise errors.PartnerInactive()
    case = Case.objects.get(pk=escalation.case_id)
    if not escalation.override_reason:
        reason = _consent_gate(
            case=case, partner=escalation.partner, acting_user=acting_user, override_reason=override_reason
        )
        if reason:
            escalation.override_reason, escalation.overridden_by = reason, acting_user
            _audit_override(escalation, acting_user, reason)
    if escalation.partner.is_police and escalation.approved_by_id is None:
        if _can_override(acting_user):
            escalation.approved_by, escalation.approved_at = acting_user, timezone.now()
            escalation.save()
            audit_record(
                event_type=EventType.ESCALATION_APPROVED,
                actor=acting_user,
                case=case,
                data={"escalation": escalation.pk, "partner": escalation.partner.name},
            )
        else:
            escalation.status = EscalationStatus.AWAITING_APPROVAL
            escalation.sent_by = acting_user
            escalation.save()
            audit_record(
                event_type=EventType.ESCALATION_APPROVAL_REQUESTED,
                actor=acting_user,
                case=case,
                data={"escalation": escalation.pk, "partner": escalation.partner.name},
            )
            return escalation
    return _queue(escalation, acting_user)


@transaction.atomic
def escalation_approve(*, escalation: Escalation, acting_user: User) -> Escalation:
    if not _can_override(acting_user):
        raise errors.ApprovalNotAllowed()
    escalation = _lock(escalation)
    if escalation.status != EscalationStatus.AWAITING_APPROVAL:
        raise errors.WrongState()
    case = Case.objects.get(pk=escalation.case_id)
    if not escalation.override_reason and not consent_given(case=case, partner=escalation.partner):
        raise errors.ConsentMissing()  # consent withdrawn while waiting: back to a supervisor's override
    escalation.approved_by, escalation.approved_at = acting_user, timezone.now()
    escalation.save()
    audit_record(
        event_type=EventType.ESCALATION_APPROVED,
        actor=acting_user,
        case=case,
        data={"escalation": escalation.pk, "partner": escalation.partner.name},
    )
    return _queue(escalation, acting_user, sender=escalation.sent_by or acting_user)


def _queue(escalation: Escalation, acting_user: User, *, sender: Any = None) -> Escalation:
    now = timezone.now()
    escalation.status = EscalationStatus.QUEUED
    escalation.queued_at = now
    escalation.next_attempt_at = now
    escalation.attempts = 0
    escalation.sent_by = sender or acting_user
    escalation.save()
    audit_record(
        event_type=EventType.ESCALATION_QUEUED,
        actor=acting_user,
        case=escalation.case,
        data={"escalation": escalation.pk, "partner": escalation.partner.name, "channel": escalation.partner.channel},
    )
    if escalation.partner.channel == Channel.MANUAL:
        if escalation.evidence.exists() and escalation.packet_id is None:
            from aman.evidence.services import evidence_packet_build

            packet = evidence_packet_build(
                case=escalation.case,
                items=list(escalation.evidence.filter(purged_at__isnull=True)),
                target=escalation.partner.name,
                acting_user=acting_user,
            )
            Escalation.objects.filter(pk=escalation.pk).update(packet=packet)
            escalation.packet = packet
    else:
        escalation_id = escalation.pk
        transaction.on_commit(lambda: escalation_enqueue(escalation_id))
    return escalation


def escalation_enqueue(escalation_id: int) -> bool:
    """Hand the escalation to the task queue. If the broker is down it stays queued (never lost):
    ``escalation_resend_stuck`` picks it up."""
    from aman.escalations.tasks import escalation_send_task

    try:
        escalation_send_task.delay(escalation_id)
    except Exception:
        logger.exception("could not queue escalation %s; the periodic job will send it", escalation_id)
        return False
    return True


@transaction.atomic
def escalation_cancel(*, escalation: Escalation, acting_user: User, reason: str = "") -> Escalation:
    escalation = _lock(escalation)
    manual_queued = escalation.status == EscalationStatus.QUEUED and escalation.partner.channel == Channel.MANUAL
    allowed = {EscalationStatus.DRAFT, EscalationStatus.AWAITING_APPROVAL, EscalationStatus.FAILED}
    if escalation.status not in allowed and not manual_queued:
        raise errors.WrongState()
    escalation.status = EscalationStatus.CANCELLED
    escalation.closed_at = timezone.now()
    escalation.save()
    audit_record(
        event_type=EventType.ESCALATION_CANCELLED,
        actor=acting_user,
        case=escalation.case,
        data={"escalation": escalation.pk, "reason": clean_user_text(reason)[:MAX_REASON]},
    )
    return escalation


@transaction.atomic
def escalation_retry(*, escalation: Escalation, acting_user: User) -> Escalation:
    """A person looked at a failed send and asks for another round of attempts."""
    escalation = _lock(escalation)
    if escalation.status != EscalationStatus.FAILED:
        raise errors.WrongState()
    audit_record(
        event_type=EventType.ESCALATION_RETRIED,
        actor=acting_user,
        case=escalation.case,
        data={"escalation": escalation.pk},
    )
    return _queue(escalation, acting_user, sender=escalation.sent_by or acting_user)


# --- delivery (runs in the background task) ---------------------------------------------------


def _claim(escalation_id: int, now: datetime) -> Escalation | None:
    """Take the escalation for one attempt, or None when it is not ours to send (idempotency)."""
    with transaction.atomic():
        escalation = (
            Escalation.objects.select_for_update(of=("self",))
            .select_related("partner", "case")
            .filter(pk=escalation_id)
            .first()
        )
        if escalation is None or escalation.status != EscalationStatus.QUEUED:
            return None
        if escalation.partner.channel == Channel.MANUAL:
            return None
        if escalation.next_attempt_at and escalation.next_attempt_at > now + timedelta(seconds=5):
            return None
        if not escalation.override_reason and not consent_given(case=escalation.case, partner=escalation.partner):
            _finish_failure(escalation, "the reporter's consent was withdrawn", permanent=True, now=now)
            return None
        escalation.status = EscalationStatus.SENDING
        escalation.sending_started_at = now
        escalation.attempts += 1
        escalation.save(update_fields=["status", "sending_started_at", "attempts", "updated_at"])
        return escalation


def escalation_deliver(*, escalation_id: int, now: datetime | None = None) -> str:
    """One delivery attempt. Returns "sent", "retry", "failed" or "skipped"."""
    now = now or timezone.now()
    escalation = _claim(escalation_id, now)
    if escalation is None:
        return "skipped"
    from aman.escalations.payload import outbound_build

    try:
        outbound = outbound_build(escalation, acting_user=escalation.sent_by)
        result = channel_module(escalation.partner.channel).send(escalation, outbound)
    except ManualDelivery as exc:
        return _after_attempt(escalation, ok=False, detail=exc.detail, permanent=True)
    except PermanentFailure as exc:
        return _after_attempt(escalation, ok=False, detail=exc.detail, permanent=True)
    except TemporaryFailure as exc:
        return _after_attempt(escalation, ok=False, detail=exc.detail, permanent=False)
    except Exception as exc:  # anything unexpected is worth another try, and is never swallowed silently
        logger.exception("escalation %s: delivery raised", escalation_id)
        return _after_attempt(escalation, ok=False, detail=f"{exc.__class__.__name__}: {exc}", permanent=False)
    detail = result.detail + ("; " + "; ".join(outbound.omitted) if outbound.omitted else "")
    return _after_attempt(escalation, ok=True, detail=detail, reference=result.reference)


def _attempt_number(escalation: Escalation) -> int:
    return DeliveryAttempt.objects.filter(escalation=escalation).count() + 1


def _after_attempt(
    escalation: Escalation, *, ok: bool, detail: str, permanent: bool = False, reference: str = ""
) -> str:
    now = timezone.now()
    with transaction.atomic():
        escalation = _lock(escalation)
        if escalation.status != EscalationStatus.SENDING:
            return "skipped"
        if ok:
            DeliveryAttempt.objects.create(
                escalation=escalation,
                number=_attempt_number(escalation),
                channel=escalation.partner.channel,
                result=DeliveryAttempt.Result.DELIVERED,
                detail=detail,
                reference=reference,
            )
            _mark_sent(escalation, now=now, reference=reference, actor=None, manual=False)
            return "sent"
        DeliveryAttempt.objects.create(
            escalation=escalation,
            number=_attempt_number(escalation),
            channel=escalation.partner.channel,
            result=DeliveryAttempt.Result.PERMANENT_FAILURE if permanent else DeliveryAttempt.Result.TEMPORARY_FAILURE,
            detail=detail,
        )
        return _finish_failure(escalation, detail, permanent=permanent, now=now)


def _finish_failure(escalation: Escalation, detail: str, *, permanent: bool, now: datetime) -> str:
    escalation.last_error = detail[:2000]
    final = permanent or escalation.attempts >= max_attempts()
    if final:
        escalation.status = EscalationStatus.FAILED
        escalation.next_attempt_at = None
    else:
        escalation.status = EscalationStatus.QUEUED
        escalation.next_attempt_at = now + timedelta(seconds=backoff_seconds(escalation.attempts))
    escalation.save()
    audit_record(
        event_type=EventType.ESCALATION_SEND_FAILED,
        case=escalation.case,
        data={
            "escalation": escalation.pk,
            "partner": escalation.partner.name,
            "attempt": escalation.attempts,
            "final": final,
        },
    )
    return "failed" if final else "retry"


def _mark_sent(escalation: Escalation, *, now: datetime, reference: str, actor: Any, manual: bool) -> None:
    escalation.status = EscalationStatus.ACKNOWLEDGED if reference else EscalationStatus.SENT
    escalation.sent_at = now
    escalation.due_at = now + timedelta(hours=escalation.partner.response_hours_for(escalation.urgency))
    escalation.partner_reference = reference or escalation.partner_reference
    escalation.next_attempt_at = None
    escalation.last_error = ""
    escalation.save()
    audit_record(
        event_type=EventType.ESCALATION_SENT,
        actor=actor,
        case=escalation.case,
        data={
            "escalation": escalation.pk,
            "partner": escalation.partner.name,
            "channel": escalation.partner.channel,
            "manual": manual,
            "due_at": escalation.due_at.isoformat(),
        },
    )
    case = Case.objects.get(pk=escalation.case_id)
    if can_transition(case.status, Status.ESCALATED):
        from aman.cases.services import case_transition

        case_transition(case=case, to_status=Status.ESCALATED, acting_user=actor or escalation.sent_by)  # type: ignore[arg-type]


@transaction.atomic
def escalation_mark_sent(*, escalation: Escalation, acting_user: User, partner_reference: str = "") -> Escalation:
    """Manual channel: the agent filled in the partner's web form; record it and start the clock."""
    escalation = _lock(escalation)
    if escalation.status != EscalationStatus.QUEUED or escalation.partner.channel != Channel.MANUAL:
        raise errors.WrongState()
    if not escalation.override_reason and not consent_given(case=escalation.case, partner=escalation.partner):
        raise errors.ConsentMissing()
    reference = clean_user_text(partner_reference)[:200]
    escalation.attempts += 1
    DeliveryAttempt.objects.create(
        escalation=escalation,
        number=_attempt_number(escalation),
        channel=Channel.MANUAL,
        result=DeliveryAttempt.Result.MANUAL,
        detail=f"marked as sent by {acting_user.get_username()}",
        reference=reference,
    )
    _mark_sent(escalation, now=timezone.now(), reference=reference, actor=acting_user, manual=True)
    return escalation


# --- outcome ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementInput:
    """The fields of a DSA Art. 17 statement of reasons, as the partner gave them."""

    scope: str = ""
    facts: str = ""
    ground: str = DecisionGround.NOT_STATED
    ground_reference: str = ""
    ground_explanation: str = ""
    automated_detection: str = Automation.NOT_STATED
    automated_decision: str = Automation.NOT_STATED
    redress: str = ""


def _clean_statement(statement: StatementInput, *, outcome: str) -> StatementInput:
    if statement.ground not in DecisionGround.values:
        raise errors.InvalidChoice()
    if statement.automated_detection not in Automation.values or statement.automated_decision not in Automation.values:
        raise errors.InvalidChoice()
    cleaned = StatementInput(
        scope=clean_user_text(statement.scope)[:300],
        facts=clean_user_text(statement.facts)[:MAX_EXPLANATION],
        ground=statement.ground,
        ground_reference=clean_user_text(statement.ground_reference)[:300],
        ground_explanation=clean_user_text(statement.ground_explanation)[:MAX_EXPLANATION],
        automated_detection=statement.automated_detection,
        automated_decision=statement.automated_decision,
        redress=clean_user_text(statement.redress)[:MAX_EXPLANATION],
    )
    if outcome in DECISION_OUTCOMES and cleaned.ground != DecisionGround.NOT_STATED and not cleaned.ground_reference:
        raise errors.GroundReferenceRequired()
    return cleaned


def _can_answer(escalation: Escalation, outcome: str) -> bool:
    if escalation.status in CLOCK_RUNNING:
        return True
    # An appeal reopens a decided escalation: the partner reviews its decision, the clock runs again.
    return (
        outcome == EscalationOutcome.APPEALED
        and escalation.status == EscalationStatus.CLOSED
        and escalation.outcome in DECISION_OUTCOMES
    )


@transaction.atomic
def escalation_outcome_record(
    *,
    escalation: Escalation,
    acting_user: User | None,
    outcome: str = "",
    partner_reference: str = "",
    note: str = "",
    actioned_at: datetime | None = None,
    statement: StatementInput | None = None,
    token: PartnerToken | None = None,
    idempotency_key: str = "",
    request_digest: str = "",
) -> Escalation:
    """The partner answered: its reference, what it did (removed, restricted, declined, …) and
    its statement of reasons (DSA Art. 17). ``note`` is the statement's facts and circumstances.

    More information or an appeal keep the escalation open; an appeal restarts the clock."""
    escalation = _lock(escalation)
    if outcome and outcome not in EscalationOutcome.values:
        raise errors.InvalidChoice()
    if not _can_answer(escalation, outcome):
        raise errors.WrongState()
    reference = clean_user_text(partner_reference)[:200]
    if not outcome and not reference:
        raise errors.InvalidChoice()
    now = timezone.now()
    if actioned_at is not None and (
        actioned_at > now + timedelta(minutes=5) or (escalation.sent_at and actioned_at < escalation.sent_at)
    ):
        raise errors.DecisionDateInvalid()
    statement = statement or StatementInput()
    if note and not statement.facts:
        statement = replace(statement, facts=note)
    statement = _clean_statement(statement, outcome=outcome)
    if reference:
        escalation.partner_reference = reference
    if statement.facts:
        escalation.outcome_note = statement.facts
    decided_at = (actioned_at or now) if outcome in DECISION_OUTCOMES else None
    if outcome:
        escalation.outcome = outcome
    if outcome in FINAL_OUTCOMES:
        escalation.status = EscalationStatus.CLOSED
        escalation.closed_at = now
        if decided_at is not None:
            escalation.actioned_at = decided_at
    elif outcome == EscalationOutcome.APPEALED:
        escalation.status = EscalationStatus.ACKNOWLEDGED
        escalation.closed_at = None
        escalation.due_at = now + timedelta(hours=escalation.partner.response_hours_for(escalation.urgency))
        escalation.reminded_at = escalation.breached_at = None
    else:
        escalation.status = EscalationStatus.ACKNOWLEDGED
    escalation.save()
    OutcomeStatement.objects.create(
        escalation=escalation,
        outcome=outcome,
        partner_reference=reference,
        decided_at=decided_at,
        scope=statement.scope,
        facts=statement.facts,
        ground=statement.ground,
        ground_reference=statement.ground_reference,
        ground_explanation=statement.ground_explanation,
        automated_detection=statement.automated_detection,
        automated_decision=statement.automated_decision,
        redress=statement.redress,
        source=OutcomeStatement.Source.PARTNER_API if token is not None else OutcomeStatement.Source.CONSOLE,
        recorded_by=acting_user,
        token=token,
        idempotency_key=idempotency_key,
        request_digest=request_digest,
    )
    hours = escalation.time_to_action.total_seconds() / 3600 if escalation.time_to_action else None
    audit_record(
        event_type=EventType.ESCALATION_OUTCOME_RECORDED,
        actor=acting_user,
        actor_label=f"partner:{escalation.partner.slug}" if token is not None else "",
        case=escalation.case,
        data={
            "escalation": escalation.pk,
            "partner": escalation.partner.name,
            "outcome": outcome,
            "ground": statement.ground,
            "has_reference": bool(escalation.partner_reference),
            "hours_to_action": round(hours, 2) if hours is not None else None,
            "via": "partner_api" if token is not None else "staff",
        },
    )
    return escalation


# --- the clock --------------------------------------------------------------------------------


def _supervisors() -> list[User]:
    return list(
        User.objects.filter(is_active=True, role__in=[Role.SUPERVISOR, Role.ADMIN]).exclude(email="").order_by("id")
    )


def _mail(user: Any, subject_text: str, body_text: str, params: dict[str, str]) -> int:
    if not getattr(user, "email", ""):
        return 0
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = gettext(subject_text) % params
        body = gettext(body_text) % params
    try:
        return send_mail(subject, body, None, [user.email])
    except Exception:  # the console lists show the breach whatever happens to the e-mail
        logger.exception("could not e-mail %s about an escalation", user.pk)
        return 0


def _link(escalation: Escalation) -> str:
    base = str(_setting("AMAN_PUBLIC_URL", "")).rstrip("/")
    return base + reverse("escalations:detail", args=[escalation.pk])


BREACH_SUBJECT = gettext_noop("Escalation %(reference)s: %(partner)s has not answered in time")
BREACH_BODY = gettext_noop(
    "%(partner)s had until %(due)s to act on escalation %(reference)s and has not answered. "
    "Follow it up with the partner or record the outcome.\n\nOpen the escalation: %(link)s"
)
REMINDER_SUBJECT = gettext_noop("Escalation %(reference)s is due soon")
REMINDER_BODY = gettext_noop(
    "%(partner)s should act on escalation %(reference)s by %(due)s. Check for an answer and record it.\n\n"
    "Open the escalation: %(link)s"
)


def escalation_mark_breaches(*, now: datetime | None = None) -> dict[str, int]:
    """Remind before the partner's deadline, and record each missed deadline once (with an alert)."""
    from aman.escalations.notice import notice_reference

    now = now or timezone.now()
    counts = {"reminded": 0, "breached": 0}
    remind = timedelta(hours=float(_setting("AMAN_ESCALATION_REMIND_HOURS", 4)))
    running = Escalation.objects.filter(status__in=CLOCK_RUNNING, due_at__isnull=False).exclude(
        outcome__in=FINAL_OUTCOMES
    )
    for escalation_id in running.filter(due_at__lte=now + remind, due_at__gt=now, reminded_at__isnull=True).values_list(
        "id", flat=True
    ):
        with transaction.atomic():
            if not Escalation.objects.filter(pk=escalation_id, reminded_at__isnull=True).update(reminded_at=now):
                continue
            escalation = Escalation.objects.select_related("partner", "case", "sent_by").get(pk=escalation_id)
            audit_record(
                event_type=EventType.ESCALATION_REMINDER,
                case=escalation.case,
                data={"escalation": escalation.pk, "partner": escalation.partner.name},
            )
        counts["reminded"] += 1
        params = _params(escalation, notice_reference(escalation))
        _mail(escalation.sent_by, REMINDER_SUBJECT, REMINDER_BODY, params)
    for escalation_id in running.filter(due_at__lt=now, breached_at__isnull=True).values_list("id", flat=True):
        with transaction.atomic():
            if not Escalation.objects.filter(pk=escalation_id, breached_at__isnull=True).update(breached_at=now):
                continue
            escalation = Escalation.objects.select_related("partner", "case").get(pk=escalation_id)
            audit_record(
                event_type=EventType.ESCALATION_BREACHED,
                case=escalation.case,
                data={"escalation": escalation.pk, "partner": escalation.partner.name},
            )
        counts["breached"] += 1
        params = _params(escalation, notice_reference(escalation))
        for supervisor in _supervisors():
            _mail(supervisor, BREACH_SUBJECT, BREACH_BODY, params)
    return counts


def _params(escalation: Escalation, reference: str) -> dict[str, str]:
    due = timezone.localtime(escalation.due_at).strftime("%Y-%m-%d %H:%M") if escalation.due_at else ""
    return {"reference": reference, "partner": escalation.partner.name, "due": due, "link": _link(escalation)}


def escalation_resend_stuck(*, now: datetime | None = None) -> int:
    """Pick up what the queue lost: a send whose worker died, a broker that was down at enqueue
    time, a retry whose task never came back. Returns how many were handed to the queue again."""
    now = now or timezone.now()
    stale = now - timedelta(minutes=int(_setting("AMAN_ESCALATION_SENDING_STALE_MINUTES", 15)))
    for escalation_id in Escalation.objects.filter(
        status=EscalationStatus.SENDING, sending_started_at__lt=stale
    ).values_list("id", flat=True):
        Escalation.objects.filter(pk=escalation_id, status=EscalationStatus.SENDING).update(
            status=EscalationStatus.QUEUED, next_attempt_at=now
        )
    due = (
        Escalation.objects.filter(status=EscalationStatus.QUEUED, next_attempt_at__lte=now - stuck_grace())
        .exclude(partner__channel=Channel.MANUAL)
        .values_list("id", flat=True)
    )
    picked = 0
    for escalation_id in list(due):
        picked += int(escalation_enqueue(escalation_id))
    return picked


# --- the partner registry ---------------------------------------------------------------------


@transaction.atomic
def partner_save(
    *, partner: Partner | None, data: dict[str, Any], webhook_secret: str = "", acting_user: User
) -> Partner:
    """Create or change a partner (administrators). A new signing secret is stored encrypted."""
    from aman.core.crypto import encrypt_text

    if not acting_user.can_administer:
        raise errors.OverrideNotAllowed()
    creating = partner is None
    partner = partner or Partner()
    before = {k: getattr(partner, k, None) for k in data} if not creating else {}
    for key, value in data.items():
        setattr(partner, key, value)
    if webhook_secret:
        partner.webhook_secret_encrypted = encrypt_text(webhook_secret)
    partner.full_clean()
    partner.save()
    changed = sorted(k for k in data if creating or before.get(k) != getattr(partner, k))
    if webhook_secret:
        changed.append("webhook_secret")
    audit_record(
        event_type=EventType.PARTNER_SAVED,
        actor=acting_user,
        data={"partner": partner.pk, "name": partner.name, "created": creating, "changed": changed},
    )
    return partner
