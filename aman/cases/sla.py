"""SLA targets per urgency and the due times they give a case."""

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


def sla_targets(urgency: str) -> tuple[int, int]:
    policy = SlaPolicy.objects.filter(urgency=urgency).only("first_response_minutes", "resolution_minutes").first()
    if policy is not None:
        return policy.first_response_minutes, policy.resolution_minutes
    return DEFAULT_TARGETS[Urgency(urgency)]


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
