"""Triage suggestions for new reports and evidence text, critical alerts, duty, moderation audit.

A suggestion is never applied on its own: an agent confirms it (one click, through the cases
app's ``case_triage``) or corrects it; both decisions are kept as labelled examples. A critical
suggestion (self-harm, or a child in danger now) puts the case first in the queues and alerts the
on-duty supervisors at once, until a person confirms or dismisses it.
"""

import hashlib
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from aman.audit.events import EventType
from aman.audit.services import audit_record
from aman.cases.models import Case
from aman.cases.services import case_triage
from aman.checks.errors import SuggestionDecided
from aman.checks.models import CaseAlert, LabelledExample, SupervisorDuty, TriageSuggestion, is_critical
from aman.classifier import load_default

logger = logging.getLogger(__name__)
FLAG_FIELDS = ("minor_involved", "imminent_danger", "self_harm")


def triage_suggest_enqueue(*, case_id: int) -> None:
    """Ask for a suggestion once the report is committed. Never raises: a report is never lost for it."""
    try:
        from aman.checks.tasks import triage_suggest_task

        def _send() -> None:
            try:
                triage_suggest_task.delay(case_id)
            except Exception:  # a broker outage must not fail the report
                logger.exception("triage suggestion not queued for case %s", case_id)

        transaction.on_commit(_send, robust=True)
    except Exception:  # pragma: no cover - defensive: nothing here may block intake
        logger.exception("triage suggestion not queued for case %s", case_id)


def triage_suggest_for_case(*, case_id: int) -> TriageSuggestion | None:
    """The task's work: suggest from the report's own words."""
    case = Case.objects.filter(pk=case_id, purged_at__isnull=True).first()
    if case is None or not case.description.strip():
        return None
    return triage_suggest_for_text(case=case, text=case.description, source=TriageSuggestion.Source.REPORT)


def triage_suggest_for_text(*, case: Case, text: str, source: str) -> TriageSuggestion | None:
    """Store a suggestion for ``text`` (the report, or text read from evidence). Idempotent per text.

    Returns None when there is no text or the classifier fails (logged; the case is untouched).
    """
    if source not in TriageSuggestion.Source.values:
        raise ValueError(f"unknown source {source!r}")
    text = (text or "").strip()
    if not text:
        return None
    digest = hashlib.sha256(text.encode()).hexdigest()
    existing = TriageSuggestion.objects.filter(case=case, source=source, text_digest=digest).first()
    if existing:
        return existing
    try:
        clf = load_default()
        result = clf.triage_report(text[:20_000])
    except Exception:
        logger.exception("classifier failed for case %s", case.pk)
        return None
    top = result.category_scores.get(result.category, 0.0)
    with transaction.atomic():
        suggestion, created = TriageSuggestion.objects.get_or_create(
            case=case,
            source=source,
            text_digest=digest,
            defaults={
                "category": result.category,
                "category_score": float(top),
                "urgency": result.urgency,
                "flags": list(result.flags),
                "reason": result.reason[:300],
                "reason_codes": list(result.reason_codes),
                "model_version": str(clf.version)[:60],
            },
        )
        if not created:
            return suggestion
        audit_record(
            event_type=EventType.TRIAGE_SUGGESTED,
            actor_label="classifier",
            case=case,
            data={
                "source": source,
                "category": suggestion.category,
                "urgency": suggestion.urgency,
                "flags": suggestion.flags,
                "model": suggestion.model_version,
            },
        )
        if is_critical(suggestion.flags):
            _alert_raise(case=case, suggestion=suggestion)
    return suggestion


def _alert_raise(*, case: Case, suggestion: TriageSuggestion) -> None:
    if CaseAlert.objects.filter(case=case, resolved_at__isnull=True).exists():
        return
    alert = CaseAlert.objects.create(case=case, suggestion=suggestion, flags=suggestion.flags)
    Case.objects.filter(pk=case.pk).update(needs_attention=True)
    recipients = list(
        SupervisorDuty.objects.filter(
            on_duty=True, user__is_active=True, user__role__in=["supervisor", "admin"]
        ).values_list("user_id", flat=True)
    )
    audit_record(
        event_type=EventType.CASE_ALERT_RAISED,
        actor_label="classifier",
        case=case,
        data={"flags": suggestion.flags, "supervisors_on_duty": len(recipients)},
    )
    from aman.checks.tasks import alert_notify_task

    alert_id = alert.pk
    transaction.on_commit(lambda: alert_notify_task.delay(alert_id), robust=True)


def _resolve_alerts(*, case: Case, acting_user: Any) -> int:
    resolved = CaseAlert.objects.filter(case=case, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=acting_user
    )
    Case.objects.filter(pk=case.pk).update(needs_attention=False)
    return resolved


def _example(*, suggestion: TriageSuggestion, case: Case, labels: dict[str, Any], source: str) -> None:
    """Keep the decision as a training example. Only report text is kept (evidence text stays in the vault)."""
    if suggestion.source != TriageSuggestion.Source.REPORT or not case.description.strip():
        return
    LabelledExample.objects.create(
        case=case,
        suggestion=suggestion,
        text=case.description,
        labels=labels,
        suggested={"category": suggestion.category, "urgency": suggestion.urgency, "flags": suggestion.flags},
        source=source,
        model_version=suggestion.model_version,
    )


def _locked_pending(suggestion: TriageSuggestion) -> TriageSuggestion:
    locked = TriageSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.state != TriageSuggestion.State.PENDING:
        raise SuggestionDecided()
    return locked


@transaction.atomic
def suggestion_confirm(*, suggestion: TriageSuggestion, acting_user: Any) -> TriageSuggestion:
    """Apply the suggestion as it is, through the cases app's triage. Flags already on the case stay."""
    suggestion = _locked_pending(suggestion)
    case = suggestion.case
    flags = {name: getattr(case, name) or name in suggestion.flags for name in FLAG_FIELDS}
    case = case_triage(
        case=case, category=suggestion.category, urgency=suggestion.urgency, acting_user=acting_user, **flags
    )
    suggestion.state = TriageSuggestion.State.CONFIRMED
    suggestion.decided_by = acting_user
    suggestion.decided_at = timezone.now()
    suggestion.save()
    labels = {"category": case.category, "urgency": case.urgency, "flags": [k for k, v in flags.items() if v]}
    _example(suggestion=suggestion, case=case, labels=labels, source=LabelledExample.Source.CONFIRMED)
    resolved = _resolve_alerts(case=case, acting_user=acting_user)
    audit_record(
        event_type=EventType.TRIAGE_SUGGESTION_CONFIRMED,
        actor=acting_user,
        case=case,
        data={"suggestion": suggestion.pk, "alerts_resolved": resolved},
    )
    return suggestion


@transaction.atomic
def suggestion_correct(
    *,
    suggestion: TriageSuggestion,
    category: str,
    urgency: str,
    minor_involved: bool,
    imminent_danger: bool,
    self_harm: bool,
    acting_user: Any,
) -> TriageSuggestion:
    """Apply the agent's own triage instead; the difference is kept as a labelled example."""
    suggestion = _locked_pending(suggestion)
    flags = {"minor_involved": minor_involved, "imminent_danger": imminent_danger, "self_harm": self_harm}
    case = case_triage(case=suggestion.case, category=category, urgency=urgency, acting_user=acting_user, **flags)
    chosen_flags = sorted(k for k, v in flags.items() if v)
    same = (
        category == suggestion.category and urgency == suggestion.urgency and chosen_flags == sorted(suggestion.flags)
    )
    suggestion.state = TriageSuggestion.State.CONFIRMED if same else TriageSuggestion.State.CORRECTED
    suggestion.decided_by = acting_user
    suggestion.decided_at = timezone.now()
    suggestion.save()
    labels = {"category": category, "urgency": urgency, "flags": chosen_flags}
    source = LabelledExample.Source.CONFIRMED if same else LabelledExample.Source.CORRECTED
    _example(suggestion=suggestion, case=case, labels=labels, source=source)
    resolved = _resolve_alerts(case=case, acting_user=acting_user)
    audit_record(
        event_type=EventType.TRIAGE_SUGGESTION_CONFIRMED if same else EventType.TRIAGE_SUGGESTION_CORRECTED,
        actor=acting_user,
        case=case,
        data={"suggestion": suggestion.pk, "alerts_resolved": resolved, "changes": _diff(suggestion, labels)},
    )
    return suggestion


def _diff(suggestion: TriageSuggestion, labels: dict[str, Any]) -> dict[str, Any]:
    before = {"category": suggestion.category, "urgency": suggestion.urgency, "flags": sorted(suggestion.flags)}
    return {k: [before[k], labels[k]] for k in before if before[k] != labels[k]}


@transaction.atomic
def alert_dismiss(*, alert: CaseAlert, acting_user: Any) -> CaseAlert:
    """A person has looked and the case need not stay first; the suggestion itself stays to decide."""
    alert = CaseAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.resolved_at is None:
        alert.resolved_at = timezone.now()
        alert.resolved_by = acting_user
        alert.save()
        if not CaseAlert.objects.filter(case_id=alert.case_id, resolved_at__isnull=True).exists():
            Case.objects.filter(pk=alert.case_id).update(needs_attention=False)
        audit_record(event_type=EventType.CASE_ALERT_DISMISSED, actor=acting_user, case=alert.case)
    return alert


@transaction.atomic
def duty_set(*, user: Any, on_duty: bool, acting_user: Any) -> SupervisorDuty:
    duty, _created = SupervisorDuty.objects.select_for_update().get_or_create(user=user)
    if duty.on_duty != on_duty or _created:
        duty.on_duty = on_duty
        duty.save()
        audit_record(
            event_type=EventType.DUTY_CHANGED,
            actor=acting_user,
            data={"user": user.get_username(), "on_duty": on_duty},
        )
    return duty


def moderation_record(*, acting_user: Any, comments: int, exported: int = 0, export_format: str = "") -> None:
    """Audit a moderation run or export: counts only, never the comments."""
    if export_format:
        audit_record(
            event_type=EventType.MODERATION_EXPORTED,
            actor=acting_user,
            data={"comments": comments, "exported": exported, "format": export_format},
        )
    else:
        audit_record(event_type=EventType.MODERATION_SCORED, actor=acting_user, data={"comments": comments})


def labelled_examples_purge() -> int:
    """Examples follow their case's retention: none survive the purge of the reporter's data."""
    return LabelledExample.objects.filter(case__purged_at__isnull=False).delete()[0]
