"""Reads of evidence, always through a case the user may see (fail closed)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from aman.cases.models import Case
from aman.cases.selectors import case_get_accessible, case_list_accessible
from aman.evidence.models import EvidenceItem, EvidencePacket, ViewerPreference


def evidence_list(*, user: Any, case: Case) -> QuerySet[EvidenceItem]:
    if not case_list_accessible(user=user).filter(pk=case.pk).exists():
        return EvidenceItem.objects.none()
    return EvidenceItem.objects.filter(case=case).select_related("added_by_user").prefetch_related("hash_matches")


def evidence_get(*, user: Any, reference: str, item_id: int) -> EvidenceItem | None:
    case = case_get_accessible(user=user, reference=reference)
    if case is None:
        return None
    return EvidenceItem.objects.filter(case=case, pk=item_id).select_related("case").first()


def packet_list(*, user: Any, case: Case) -> QuerySet[EvidencePacket]:
    if not case_list_accessible(user=user).filter(pk=case.pk).exists():
        return EvidencePacket.objects.none()
    return EvidencePacket.objects.filter(case=case).select_related("created_by")


def packet_get(*, user: Any, reference: str, packet_id: int) -> EvidencePacket | None:
    case = case_get_accessible(user=user, reference=reference)
    if case is None:
        return None
    return EvidencePacket.objects.filter(case=case, pk=packet_id).select_related("case").first()


def viewer_preference(*, user: Any) -> ViewerPreference:
    """The user's safe-viewing choice; blurred and greyscale until they say otherwise."""
    if not getattr(user, "is_authenticated", False):
        return ViewerPreference(blur=True, greyscale=True)
    return ViewerPreference.objects.filter(user=user).first() or ViewerPreference(user=user)
