"""Reads of aman.checks, scoped by role and failing closed."""

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from aman.cases.models import Case
from aman.cases.selectors import case_list_accessible
from aman.checks.counters import FIELDS, counts_pending
from aman.checks.models import ApiKey, CaseAlert, CheckDailyCount, SupervisorDuty, TriageSuggestion


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def apikey_list_accessible(*, user: Any) -> QuerySet[ApiKey]:
    if not _active(user) or not user.can_administer:
        return ApiKey.objects.none()
    return ApiKey.objects.select_related("created_by").all()


def apikey_counts(*, api_key: ApiKey, days: int = 30) -> dict[str, Any]:
    """The key's counts per day, newest first, with what is still waiting in Redis added in."""
    today = timezone.localdate()
    since = today - timedelta(days=days - 1)
    rows = {row.day: row for row in CheckDailyCount.objects.filter(api_key=api_key, day__gte=since)}
    for day, pending in counts_pending(api_key_id=api_key.pk, days=[today - timedelta(days=1), today]).items():
        if day < since:
            continue
        row = rows.setdefault(day, CheckDailyCount(api_key=api_key, day=day))
        for name, value in pending.items():
            setattr(row, name, getattr(row, name) + value)
    ordered = [rows[day] for day in sorted(rows, reverse=True)]
    totals = {name: sum(getattr(row, name) for row in ordered) for name in FIELDS}
    return {"days": ordered, "totals": totals}


def suggestion_for_case(*, user: Any, case: Case) -> TriageSuggestion | None:
    """The newest suggestion still waiting for a person, else the newest one (for the record)."""
    if not case_list_accessible(user=user).filter(pk=case.pk).exists():
        return None
    qs = TriageSuggestion.objects.filter(case=case).select_related("decided_by")
    return qs.filter(state=TriageSuggestion.State.PENDING).first() or qs.first()


def suggestion_get_accessible(*, user: Any, pk: int) -> TriageSuggestion | None:
    cases = case_list_accessible(user=user)
    return TriageSuggestion.objects.select_related("case").filter(pk=pk, case__in=cases).first()


def alert_get_accessible(*, user: Any, pk: int) -> CaseAlert | None:
    cases = case_list_accessible(user=user)
    return CaseAlert.objects.select_related("case").filter(pk=pk, case__in=cases).first()


def open_alert_for_case(*, case: Case) -> CaseAlert | None:
    return CaseAlert.objects.filter(case=case, resolved_at__isnull=True).first()


def is_on_duty(*, user: Any) -> bool:
    if not _active(user) or not user.can_see_all_cases:
        return False
    return SupervisorDuty.objects.filter(user=user, on_duty=True).exists()


def alerts_for_header(*, user: Any, on_duty: bool | None = None) -> list[CaseAlert]:
    """Open critical alerts, shown in the console header to supervisors and admins on duty.

    ``on_duty`` saves a query when the caller has just asked ``is_on_duty`` itself.
    """
    if not (is_on_duty(user=user) if on_duty is None else on_duty and _active(user) and user.can_see_all_cases):
        return []
    return list(CaseAlert.objects.filter(resolved_at__isnull=True).select_related("case").order_by("created_at")[:10])
