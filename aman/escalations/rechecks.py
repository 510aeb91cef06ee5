"""Re-checks: record whether the links of a sent escalation still answer (HTTP status only).

``escalation_recheck`` checks every link of one escalation, outside any transaction (network
calls never hold a database lock), then stores one ``LinkCheck`` per link. ``escalation_recheck_due``
runs every hour (Celery beat, and the in-process loop of ``run_embedded``) and hands the
escalations sent in the last ``AMAN_ESCALATION_RECHECK_DAYS`` whose links were last checked more
than ``AMAN_ESCALATION_RECHECK_HOURS`` ago to the task queue; an agent can also ask from the
escalation's page. Nothing of the page is stored: status code, method, number of redirects, time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from aman.cases.choices import HarmCategory
from aman.cases.models import ReportItem
from aman.escalations import errors
from aman.escalations.linkcheck import probe
from aman.escalations.models import Escalation, EscalationStatus, LinkCheck

CHECKED_STATUSES = (EscalationStatus.SENT, EscalationStatus.ACKNOWLEDGED, EscalationStatus.CLOSED)
# Never fetch even the first bytes of these pages: HEAD only.
HEAD_ONLY = {HarmCategory.NCII, HarmCategory.CHILD_SEXUAL_EXPLOITATION}
BATCH = 200


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def recheck_links(escalation: Escalation) -> list[ReportItem]:
    ids = [i for i in (escalation.items or []) if isinstance(i, int)]
    return list(
        ReportItem.objects.filter(case_id=escalation.case_id, pk__in=ids, kind=ReportItem.Kind.URL).order_by("id")
    )


def escalation_recheck_request(*, escalation: Escalation, acting_user: Any) -> None:
    """From the escalation's page: check now (in the background task; in-process when no broker)."""
    if escalation.status not in CHECKED_STATUSES or not recheck_links(escalation):
        raise errors.LinkCheckNotAllowed()
    escalation_id, user_id = escalation.pk, getattr(acting_user, "pk", None)
    transaction.on_commit(lambda: _enqueue(escalation_id, user_id))


def _enqueue(escalation_id: int, user_id: int | None = None) -> bool:
    from aman.escalations.tasks import escalation_recheck_task

    try:
        escalation_recheck_task.delay(escalation_id, user_id)
    except Exception:  # broker down: the hourly job tries again (rechecked_at is left as it was)
        return False
    return True


def escalation_recheck(*, escalation_id: int, requested_by_id: int | None = None) -> list[LinkCheck]:
    """Check each link of the escalation once and store the answers."""
    escalation = Escalation.objects.filter(pk=escalation_id, status__in=CHECKED_STATUSES).first()
    if escalation is None:
        return []
    head_only = escalation.policy_category in HEAD_ONLY or escalation.case.category in HEAD_ONLY
    answers = [(item, probe(item.value, head_only=head_only)) for item in recheck_links(escalation)]
    now = timezone.now()
    with transaction.atomic():
        checks = LinkCheck.objects.bulk_create(
            [
                LinkCheck(
                    escalation=escalation,
                    item=item,
                    result=answer.result,
                    status_code=answer.status_code,
                    method=answer.method,
                    redirects=answer.redirects,
                    requested_by_id=requested_by_id,
                )
                for item, answer in answers
            ]
        )
        Escalation.objects.filter(pk=escalation.pk).update(rechecked_at=now)
    return checks


def escalation_recheck_due(*, now: datetime | None = None) -> int:
    """Queue the re-checks that are due. An escalation is claimed (``rechecked_at`` set) before
    it is queued, so a slow queue does not get it twice; returns how many were queued."""
    now = now or timezone.now()
    every = timedelta(hours=float(_setting("AMAN_ESCALATION_RECHECK_HOURS", 24)))
    window = timedelta(days=int(_setting("AMAN_ESCALATION_RECHECK_DAYS", 30)))
    due = (
        Escalation.objects.filter(status__in=CHECKED_STATUSES, sent_at__gte=now - window)
        .filter(Q(rechecked_at__isnull=True) | Q(rechecked_at__lt=now - every))
        .exclude(items=[])
        .order_by("rechecked_at", "sent_at")
        .values_list("id", "rechecked_at")[:BATCH]
    )
    queued = 0
    for escalation_id, previous in list(due):
        claimed = Escalation.objects.filter(pk=escalation_id, rechecked_at=previous).update(rechecked_at=now)
        if claimed and _enqueue(escalation_id):
            queued += 1
        elif claimed:
            Escalation.objects.filter(pk=escalation_id).update(rechecked_at=previous)
    return queued
