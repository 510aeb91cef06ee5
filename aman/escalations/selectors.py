"""Reads of escalations, always through the cases the user may see (fail closed)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from aman.cases.models import Case
from aman.cases.selectors import case_list_accessible
from aman.escalations.models import (
    CLOCK_RUNNING,
    FINAL_OUTCOMES,
    Channel,
    Escalation,
    EscalationOutcome,
    EscalationStatus,
    LinkCheck,
    OutcomeStatement,
    Partner,
)


def _staff(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_helpline_staff)


def escalation_list_accessible(*, user: Any) -> QuerySet[Escalation]:
    if not _staff(user):
        return Escalation.objects.none()
    qs = Escalation.objects.select_related("partner", "case", "created_by")
    if user.can_see_all_cases:
        return qs
    return qs.filter(case__in=case_list_accessible(user=user))


def escalation_get_accessible(*, user: Any, escalation_id: int) -> Escalation | None:
    return escalation_list_accessible(user=user).filter(pk=escalation_id).first()


def escalations_for_case(*, user: Any, case: Case) -> QuerySet[Escalation]:
    if not case_list_accessible(user=user).filter(pk=case.pk).exists():
        return Escalation.objects.none()
    return Escalation.objects.filter(case=case).select_related("partner").order_by("-created_at", "-id")


def partners_active(*, user: Any) -> QuerySet[Partner]:
    if not _staff(user):
        return Partner.objects.none()
    return Partner.objects.filter(active=True)


def partners_all(*, user: Any) -> QuerySet[Partner]:
    if user is None or not getattr(user, "can_administer", False):
        return Partner.objects.none()
    return Partner.objects.all()


def due_soon_window() -> timedelta:
    return timedelta(hours=float(getattr(settings, "AMAN_ESCALATION_REMIND_HOURS", 4)))


def _running() -> Q:
    return Q(status__in=CLOCK_RUNNING, due_at__isnull=False) & ~Q(outcome__in=FINAL_OUTCOMES)


@dataclass
class ConsoleLists:
    awaiting_approval: list[Escalation]
    failed: list[Escalation]
    to_send_by_hand: list[Escalation]
    queued: list[Escalation]
    breached: list[Escalation]
    due_soon: list[Escalation]
    recent: list[Escalation]


def console_lists(*, user: Any, limit: int = 50) -> ConsoleLists:
    qs = escalation_list_accessible(user=user)
    now = timezone.now()
    running = qs.filter(_running())
    return ConsoleLists(
        awaiting_approval=list(qs.filter(status=EscalationStatus.AWAITING_APPROVAL).order_by("created_at")[:limit]),
        failed=list(qs.filter(status=EscalationStatus.FAILED).order_by("-updated_at")[:limit]),
        to_send_by_hand=list(
            qs.filter(status=EscalationStatus.QUEUED, partner__channel=Channel.MANUAL).order_by("queued_at")[:limit]
        ),
        queued=list(
            qs.filter(status__in=[EscalationStatus.QUEUED, EscalationStatus.SENDING])
            .exclude(partner__channel=Channel.MANUAL)
            .order_by("queued_at")[:limit]
        ),
        breached=list(running.filter(due_at__lt=now).order_by("due_at")[:limit]),
        due_soon=list(running.filter(due_at__gte=now, due_at__lt=now + due_soon_window()).order_by("due_at")[:limit]),
        recent=list(qs.order_by("-created_at", "-id")[:limit]),
    )


def median_hours(hours: list[float]) -> float | None:
    return round(statistics.median(hours), 1) if hours else None


def p90_hours(hours: list[float]) -> float | None:
    if not hours:
        return None
    ordered = sorted(hours)
    index = max(0, -(-9 * len(ordered) // 10) - 1)  # nearest-rank 90th percentile
    return round(ordered[index], 1)


# --- response times per partner --------------------------------------------------------------


@dataclass
class PartnerFigures:
    partner: Partner
    sent: int = 0
    answered: int = 0
    hours: list[float] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    breached: int = 0

    @property
    def median_hours(self) -> float | None:
        return median_hours(self.hours)

    @property
    def p90_hours(self) -> float | None:
        return p90_hours(self.hours)

    def share(self, outcome: str) -> float | None:
        closed = sum(self.outcomes.values())
        return round(100 * self.outcomes.get(outcome, 0) / closed, 1) if closed else None

    @property
    def shares(self) -> list[tuple[str, float | None]]:
        return [(code, self.share(code)) for code in EscalationOutcome.values]


def response_report(*, user: Any, since: Any = None) -> list[PartnerFigures]:
    """Per partner: how many sent, median and 90th-percentile hours to action, outcome shares."""
    if user is None or not getattr(user, "can_see_all_cases", False):
        return []
    rows = Escalation.objects.filter(sent_at__isnull=False)
    if since is not None:
        rows = rows.filter(sent_at__gte=since)
    figures: dict[int, PartnerFigures] = {p.pk: PartnerFigures(p) for p in Partner.objects.all()}
    for partner_id, sent_at, actioned_at, outcome, breached_at in rows.values_list(
        "partner_id", "sent_at", "actioned_at", "outcome", "breached_at"
    ).iterator():
        f = figures[partner_id]
        f.sent += 1
        f.breached += int(breached_at is not None)
        if outcome:
            f.outcomes[outcome] = f.outcomes.get(outcome, 0) + 1
        if actioned_at is not None and sent_at is not None:
            f.answered += 1
            f.hours.append((actioned_at - sent_at).total_seconds() / 3600)
    return [f for f in figures.values() if f.sent] + [f for f in figures.values() if not f.sent]


# --- one escalation's history -----------------------------------------------------------------


def link_checks_for(*, escalation: Escalation, limit: int = 100) -> list[LinkCheck]:
    """The re-checks of an escalation the caller already reached through escalation_get_accessible."""
    return list(
        LinkCheck.objects.filter(escalation=escalation).select_related("item").order_by("-created_at", "-id")[:limit]
    )


def statements_for(*, escalation: Escalation) -> list[OutcomeStatement]:
    return list(
        OutcomeStatement.objects.filter(escalation=escalation)
        .select_related("recorded_by", "token")
        .order_by("created_at", "id")
    )


# --- the partner API: a token sees its own partner's escalations, once sent ---------------------

PARTNER_VISIBLE = (EscalationStatus.SENT, EscalationStatus.ACKNOWLEDGED, EscalationStatus.CLOSED)


def partner_escalations(*, token: Any) -> QuerySet[Escalation]:
    if token is None or not getattr(token, "is_active", False):
        return Escalation.objects.none()
    return Escalation.objects.filter(
        partner_id=token.partner_id, status__in=PARTNER_VISIBLE, sent_at__isnull=False
    ).select_related("case", "partner")


def partner_escalation_get(*, token: Any, reference: str) -> Escalation | None:
    """By the notice's reference (``AMN-XXXX-XXXX-E<n>``); another partner's is None, like an unknown one."""
    case_reference, sep, number = reference.rpartition("-E")
    if not sep or not number.isdigit() or len(number) > 12 or not case_reference:
        return None
    return partner_escalations(token=token).filter(pk=int(number), case__reference=case_reference).first()


# --- the transparency report (the shape of DSA Art. 22(3)) ------------------------------------

PENDING = "pending"


@dataclass
class TransparencyRow:
    partner: str
    category: str
    outcome: str  # an EscalationOutcome value, or PENDING
    count: int = 0
    hours: list[float] = field(default_factory=list)

    @property
    def median_hours(self) -> float | None:
        return median_hours(self.hours)

    @property
    def p90_hours(self) -> float | None:
        return p90_hours(self.hours)


@dataclass
class TransparencyReport:
    start: datetime
    end: datetime
    rows: list[TransparencyRow]
    partners: list[TransparencyRow]  # per partner, all categories and outcomes
    total: TransparencyRow


def can_see_transparency(user: Any) -> bool:
    return bool(user is not None and getattr(user, "can_see_all_cases", False))


def transparency_report(*, user: Any, start: datetime, end: datetime) -> TransparencyReport | None:
    """Notices sent in [start, end): counts by partner, harm category and outcome, with the time to
    action (decision date minus sending) as median and 90th percentile. Counts and durations only:
    no case, reporter, link or text ever enters it."""
    if not can_see_transparency(user):
        return None
    rows: dict[tuple[str, str, str], TransparencyRow] = {}
    partners: dict[str, TransparencyRow] = {}
    total = TransparencyRow(partner="", category="", outcome="")
    values = (
        Escalation.objects.filter(sent_at__gte=start, sent_at__lt=end)
        .values_list("partner__name", "policy_category", "outcome", "sent_at", "actioned_at")
        .order_by()
    )
    for partner_name, category, outcome, sent_at, actioned_at in values.iterator():
        outcome = outcome or PENDING
        row = rows.setdefault((partner_name, category, outcome), TransparencyRow(partner_name, category, outcome))
        per_partner = partners.setdefault(partner_name, TransparencyRow(partner_name, "", ""))
        hours = (actioned_at - sent_at).total_seconds() / 3600 if actioned_at and sent_at else None
        for target in (row, per_partner, total):
            target.count += 1
            if hours is not None:
                target.hours.append(hours)
    ordered = [rows[k] for k in sorted(rows)]
    return TransparencyReport(
        start=start, end=end, rows=ordered, partners=[partners[k] for k in sorted(partners)], total=total
    )
