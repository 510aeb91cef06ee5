"""Retention: purge reporter data from cases closed long ago; anonymous statistics survive.

What stays: reference, category, urgency, risk flags, platforms, age band, who was affected,
status, outcome code, dates and SLA times — enough for statistics, nothing that names a person.
What goes: what happened, links and handles, contact details, messages, notes, and what other
apps register (evidence files and their keys).
"""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from aman.audit.events import EventType
from aman.audit.services import audit_record
from aman.cases.models import Case, Message, Note, ReportItem
from aman.cases.states import Status

# Other apps purge their own part of a case (evidence files, for instance): each hook takes the
# case and returns counts for the audit entry. Registered in the app's AppConfig.ready.
PurgeHook = Callable[[Case], dict[str, int]]
PURGE_HOOKS: list[PurgeHook] = []


def register_purge_hook(hook: PurgeHook) -> PurgeHook:
    if hook not in PURGE_HOOKS:
        PURGE_HOOKS.append(hook)
    return hook


def retention_candidates(*, days: int | None = None):  # type: ignore[no-untyped-def]
    days = settings.AMAN_RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    return Case.objects.filter(status=Status.CLOSED, closed_at__lt=cutoff, purged_at__isnull=True)


def case_purge_reporter_data(*, case_id: int) -> bool:
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(pk=case_id, purged_at__isnull=True).first()
        if case is None:
            return False
        counts = {
            "items": ReportItem.objects.filter(case=case).delete()[0],
            "messages": Message.objects.filter(case=case).delete()[0],
            "notes": Note.objects.filter(case=case).delete()[0],
        }
        for hook in PURGE_HOOKS:
            counts.update(hook(case))
        case.description = ""
        case.contact_encrypted = ""
        case.contact_method = "none"
        case.outcome_note = ""
        case.search_text = case.reference.lower()
        case.follow_up_hash = "0" * 64
        case.intake_key_hash = None
        case.purged_at = timezone.now()
        case.save()
        audit_record(event_type=EventType.CASE_PURGED, actor_label="retention", case=case, data=counts)
    return True


def retention_purge(*, days: int | None = None) -> int:
    purged = 0
    for case_id in retention_candidates(days=days).values_list("id", flat=True).iterator():
        purged += case_purge_reporter_data(case_id=case_id)
    return purged
