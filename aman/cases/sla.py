"""SLA targets per urgency and the due times they give a case."""

import time
from datetime import datetime, timedelta

from aman.cases.choices import Urgency
from aman.cases.models import Case, SlaPolicy

# Used until an admin sets targets of their own (minutes).
DEFAULT_TARGETS = {
    Urgency.CRITICAL: (30, 24 * 60),
    Urgency.HIGH: (2 * 60, 3 * 24 * 60),
    Urgency.MEDIUM: (8 * 60, 7 * 24 * 60),
    Urgency.LOW: (24 * 60, 14 * 24 * 60),
}


# Targets change rarely (an admin edits them); each process reads them at most every 30 s.
_CACHE_SECONDS = 30.0
_cache: dict[str, object] = {"at": -_CACHE_SECONDS, "targets": {}}


def sla_targets(urgency: str) -> tuple[int, int]:
    now = time.monotonic()
    if now - float(_cache["at"]) >= _CACHE_SECONDS:  # type: ignore[arg-type]
        _cache["targets"] = {
            p.urgency: (p.first_response_minutes, p.resolution_minutes)
            for p in SlaPolicy.objects.only("urgency", "first_response_minutes", "resolution_minutes")
        }
        _cache["at"] = now
    targets: dict[str, tuple[int, int]] = _cache["targets"]  # type: ignore[assignment]
    return targets.get(urgency) or DEFAULT_TARGETS[Urgency(urgency)]


def sla_cache_clear() -> None:
    _cache["at"] = -_CACHE_SECONDS


def sla_apply(*, case: Case, received_at: datetime) -> None:
    """Set the due times from the case's urgency, counted from when the report arrived."""
    first_minutes, resolution_minutes = sla_targets(case.urgency)
    case.first_response_due = received_at + timedelta(minutes=first_minutes)
    case.resolution_due = received_at + timedelta(minutes=resolution_minutes)


def sla_ensure_policies() -> None:
    for urgency, (first, resolution) in DEFAULT_TARGETS.items():
        SlaPolicy.objects.get_or_create(
            urgency=urgency, defaults={"first_response_minutes": first, "resolution_minutes": resolution}
        )
