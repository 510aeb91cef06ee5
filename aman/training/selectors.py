"""Reads of training data, scoped by role and failing closed.

Programme managers and admins see everything; a trainer sees only the workshops they are
assigned to (and their participants); everyone else sees nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from aman.training.models import (
    Certificate,
    CertificateBatch,
    Participant,
    Programme,
    Region,
    Trainer,
    Workshop,
)


def _active(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _manager(user: Any) -> bool:
    return _active(user) and user.can_manage_training


def programme_list(*, user: Any) -> QuerySet[Programme]:
    if not _manager(user):
        return Programme.objects.none()
    return Programme.objects.annotate(workshop_count=Count("workshops"))


def programme_get(*, user: Any, programme_id: int) -> Programme | None:
    return programme_list(user=user).filter(pk=programme_id).first()


def workshop_list_accessible(*, user: Any) -> QuerySet[Workshop]:
    if not _active(user):
        return Workshop.objects.none()
    qs = Workshop.objects.select_related("programme", "region")
    if user.can_manage_training:
        return qs
    if user.is_trainer:
        return qs.filter(trainers__user=user)
    return Workshop.objects.none()


def workshop_get_accessible(*, user: Any, workshop_id: int) -> Workshop | None:
    return (
        workshop_list_accessible(user=user)
        .annotate(participant_count=Count("participants", distinct=True))
        .filter(pk=workshop_id)
        .first()
    )


def workshop_get_managed(*, user: Any, workshop_id: int) -> Workshop | None:
    if not _manager(user):
        return None
    return workshop_get_accessible(user=user, workshop_id=workshop_id)


def participant_list(*, user: Any, workshop: Workshop) -> QuerySet[Participant]:
    if workshop_list_accessible(user=user).filter(pk=workshop.pk).exists():
        return workshop.participants.select_related("certificate").order_by("full_name", "id")
    return Participant.objects.none()


def participant_get_managed(*, user: Any, participant_id: int) -> Participant | None:
    if not _manager(user):
        return None
    return Participant.objects.select_related("workshop", "workshop__region").filter(pk=participant_id).first()


def trainer_list(*, user: Any) -> QuerySet[Trainer]:
    if not _manager(user):
        return Trainer.objects.none()
    return (
        Trainer.objects.select_related("user")
        .prefetch_related("regions")
        .annotate(workshop_count=Count("workshops", distinct=True))
    )


def trainer_get(*, user: Any, trainer_id: int) -> Trainer | None:
    return trainer_list(user=user).filter(pk=trainer_id).first()


def region_list(*, user: Any) -> QuerySet[Region]:
    if not _manager(user):
        return Region.objects.none()
    return Region.objects.all()


def region_get(*, user: Any, region_id: int) -> Region | None:
    return region_list(user=user).filter(pk=region_id).first()


def batch_get(*, user: Any, batch_id: int) -> CertificateBatch | None:
    if not _manager(user):
        return None
    return CertificateBatch.objects.select_related("workshop").filter(pk=batch_id).first()


def certificate_verify(*, code: str) -> Certificate | None:
    """Public: the certificate with this code, or None. Codes are compared in upper case."""
    code = (code or "").strip().upper().replace("-", "")
    if len(code) != 16 or not code.isalnum():
        return None
    return Certificate.objects.select_related("participant", "participant__workshop").filter(Q(code=code)).first()


def workshop_by_registration_token(*, token: str) -> Workshop | None:
    if not token or len(token) > 64:
        return None
    return Workshop.objects.select_related("region").filter(registration_token=token).first()


def workshop_by_feedback_token(*, token: str) -> Workshop | None:
    if not token or len(token) > 64:
        return None
    return Workshop.objects.filter(feedback_token=token).first()
