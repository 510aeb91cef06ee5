"""Every write of the training app. Each runs in one transaction and ends with an audit event.

Audit data holds ids and counts only, never a participant's name or e-mail.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from aman.accounts.models import Role, User
from aman.audit.events import EventType
from aman.audit.services import audit_record
from aman.training.errors import AlreadyRecorded, RegistrationClosed, WorkshopFull
from aman.training.models import (
    AttendanceMark,
    BatchStatus,
    Certificate,
    CertificateBatch,
    Feedback,
    Participant,
    ParticipantSource,
    Programme,
    QuizResponse,
    Region,
    Trainer,
    Workshop,
)
from aman.training.quiz import QUESTIONS, quiz_score

logger = logging.getLogger(__name__)

# The version of the consent text shown on the registration page and the import form.
# Change it whenever that text changes; each participant keeps the version they agreed to.
CONSENT_VERSION = "2026-01"
MAX_MARKS_PER_SYNC = 500


def _apply(instance: Any, data: dict[str, Any], m2m: tuple[str, ...] = ()) -> None:
    for key, value in data.items():
        if key not in m2m:
            setattr(instance, key, value)


@transaction.atomic
def programme_save(*, acting_user: User, data: dict[str, Any], programme: Programme | None = None) -> Programme:
    created = programme is None
    programme = programme or Programme(created_by=acting_user)
    _apply(programme, data)
    programme.save()
    audit_record(
        event_type=EventType.TRAINING_PROGRAMME_SAVED,
        actor=acting_user,
        data={"programme": programme.pk, "created": created},
    )
    return programme


@transaction.atomic
def workshop_save(
    *, acting_user: User, data: dict[str, Any], programme: Programme | None = None, workshop: Workshop | None = None
) -> Workshop:
    created = workshop is None
    if workshop is None:
        assert programme is not None
        workshop = Workshop(programme=programme)
    _apply(workshop, data)
    workshop.save()
    audit_record(
        event_type=EventType.TRAINING_WORKSHOP_SAVED,
        actor=acting_user,
        data={"workshop": workshop.pk, "programme": workshop.programme_id, "created": created},
    )
    return workshop


@transaction.atomic
def workshop_trainers_assign(*, workshop: Workshop, trainers: list[Trainer], acting_user: User) -> Workshop:
    workshop.trainers.set(trainers)
    audit_record(
        event_type=EventType.TRAINING_TRAINERS_ASSIGNED,
        actor=acting_user,
        data={"workshop": workshop.pk, "trainers": sorted(t.pk for t in trainers)},
    )
    return workshop


@transaction.atomic
def trainer_save(
    *,
    acting_user: User,
    data: dict[str, Any],
    trainer: Trainer | None = None,
    username: str = "",
    password: str = "",
) -> Trainer:
    """Create a trainer (and their sign-in, role trainer) or update a profile."""
    created = trainer is None
    if trainer is None:
        user = User(username=username, role=Role.TRAINER, first_name=data.get("display_name", "")[:150])
        user.set_password(password)
        user.save()
        trainer = Trainer(user=user)
    regions = data.get("regions")
    _apply(trainer, data, m2m=("regions",))
    trainer.save()
    if regions is not None:
        trainer.regions.set(regions)
    if "active" in data and trainer.user.is_active != data["active"]:
        User.objects.filter(pk=trainer.user_id).update(is_active=data["active"])
    audit_record(
        event_type=EventType.TRAINING_TRAINER_SAVED,
        actor=acting_user,
        data={"trainer": trainer.pk, "user": trainer.user.get_username(), "created": created},
    )
    return trainer


@transaction.atomic
def region_save(*, acting_user: User, data: dict[str, Any], region: Region | None = None) -> Region:
    created = region is None
    region = region or Region()
    _apply(region, data)
    region.save()
    audit_record(
        event_type=EventType.TRAINING_REGION_SAVED, actor=acting_user, data={"region": region.code, "created": created}
    )
    return region


def _lock_workshop(workshop: Workshop) -> Workshop:
    return Workshop.objects.select_for_update().get(pk=workshop.pk)


@transaction.atomic
def participant_register(*, workshop: Workshop, full_name: str, email: str = "") -> Participant:
    """Public registration (no account). Capacity is checked under a row lock on the workshop."""
    workshop = _lock_workshop(workshop)
    if not workshop.registration_open:
        raise RegistrationClosed()
    if workshop.participants.count() >= workshop.capacity:
        raise WorkshopFull()
    participant = Participant.objects.create(
        workshop=workshop,
        full_name=full_name,
        email=email,
        source=ParticipantSource.REGISTRATION,
        consent_version=CONSENT_VERSION,
        consent_at=timezone.now(),
    )
    audit_record(
        event_type=EventType.TRAINING_PARTICIPANT_REGISTERED,
        actor_label="public",
        data={"workshop": workshop.pk, "participant": participant.pk},
    )
    return participant


@transaction.atomic
def participants_import(*, workshop: Workshop, rows: list[dict[str, str]], acting_user: User) -> int:
    """Store every row or none (the caller has validated them; capacity is checked here)."""
    workshop = _lock_workshop(workshop)
    if workshop.participants.count() + len(rows) > workshop.capacity:
        raise WorkshopFull()
    now = timezone.now()
    Participant.objects.bulk_create(
        [
            Participant(
                workshop=workshop,
                full_name=row["name"],
                email=row.get("email", ""),
                source=ParticipantSource.IMPORT,
                consent_version=CONSENT_VERSION,
                consent_at=now,
            )
            for row in rows
        ]
    )
    audit_record(
        event_type=EventType.TRAINING_PARTICIPANTS_IMPORTED,
        actor=acting_user,
        data={"workshop": workshop.pk, "count": len(rows)},
    )
    return len(rows)


@dataclass(frozen=True)
class Mark:
    client_id: uuid.UUID
    participant_id: int
    present: bool
    marked_at: datetime


@dataclass
class SyncResult:
    accepted: list[str] = field(default_factory=list)
    rejected: list[dict[str, str]] = field(default_factory=list)
    stored: int = 0


@transaction.atomic
def attendance_sync(*, workshop: Workshop, marks: list[Mark], acting_user: User) -> SyncResult:
    """Store attendance marks idempotently: a mark already received (same client id) is a no-op.

    Every mark is kept; a participant's ``present`` follows the mark made last on the phones
    (by its own clock, clamped to now), whatever order marks arrive in.
    """
    result = SyncResult()
    now = timezone.now()
    valid_ids = set(workshop.participants.filter(pk__in={m.participant_id for m in marks}).values_list("pk", flat=True))
    known = set(
        AttendanceMark.objects.filter(client_id__in=[m.client_id for m in marks]).values_list("client_id", flat=True)
    )
    new: list[AttendanceMark] = []
    seen: set[uuid.UUID] = set()
    for mark in marks:
        if mark.participant_id not in valid_ids:
            result.rejected.append({"id": str(mark.client_id), "code": "unknown_participant"})
            continue
        result.accepted.append(str(mark.client_id))
        if mark.client_id in known or mark.client_id in seen:
            continue
        seen.add(mark.client_id)
        new.append(
            AttendanceMark(
                client_id=mark.client_id,
                participant_id=mark.participant_id,
                present=mark.present,
                marked_at=min(mark.marked_at, now),
                marked_by=acting_user,
            )
        )
    if new:
        # A concurrent retry of the same marks may have stored some meanwhile: skip those.
        AttendanceMark.objects.bulk_create(new, ignore_conflicts=True)
        result.stored = len(new)
        latest: dict[int, AttendanceMark] = {}
        for mark_row in new:
            if mark_row.participant_id not in latest or mark_row.marked_at >= latest[mark_row.participant_id].marked_at:
                latest[mark_row.participant_id] = mark_row
        participants = Participant.objects.select_for_update().filter(pk__in=latest)
        for participant in participants:
            mark_row = latest[participant.pk]
            if participant.present_marked_at is None or mark_row.marked_at >= participant.present_marked_at:
                participant.present = mark_row.present
                participant.present_marked_at = mark_row.marked_at
                participant.save(update_fields=["present", "present_marked_at", "updated_at"])
        audit_record(
            event_type=EventType.TRAINING_ATTENDANCE_MARKED,
            actor=acting_user,
            data={"workshop": workshop.pk, "marks": len(new)},
        )
    return result


@transaction.atomic
def quiz_record(*, participant: Participant, phase: str, answers: dict[str, int], acting_user: User) -> QuizResponse:
    clean = {q.id: int(answers[q.id]) for q in QUESTIONS if q.id in answers}
    try:
        with transaction.atomic():
            response = QuizResponse.objects.create(
                participant=participant,
                phase=phase,
                answers=clean,
                score=quiz_score(clean),
                total=len(QUESTIONS),
                recorded_by=acting_user,
            )
    except IntegrityError as exc:
        raise AlreadyRecorded() from exc
    audit_record(
        event_type=EventType.TRAINING_QUIZ_RECORDED,
        actor=acting_user,
        data={"workshop": participant.workshop_id, "participant": participant.pk, "phase": phase},
    )
    return response


@transaction.atomic
def feedback_submit(*, workshop: Workshop, overall: int, useful: int, recommend: bool, comment: str) -> Feedback:
    feedback = Feedback.objects.create(
        workshop=workshop, overall=overall, useful=useful, recommend=recommend, comment=comment
    )
    audit_record(event_type=EventType.TRAINING_FEEDBACK_RECEIVED, actor_label="public", data={"workshop": workshop.pk})
    return feedback


def certificate_issue(*, participant: Participant) -> Certificate:
    """The participant's certificate (made once; its code never changes)."""
    certificate, _ = Certificate.objects.get_or_create(participant=participant)
    return certificate


@transaction.atomic
def certificate_download_record(*, certificate: Certificate, acting_user: User) -> None:
    audit_record(
        event_type=EventType.TRAINING_CERTIFICATE_DOWNLOADED,
        actor=acting_user,
        data={"certificate": certificate.pk, "participant": certificate.participant_id},
    )


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, acting_user: User) -> Certificate:
    if certificate.revoked_at is None:
        certificate.revoked_at = timezone.now()
        certificate.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            event_type=EventType.TRAINING_CERTIFICATE_REVOKED,
            actor=acting_user,
            data={"certificate": certificate.pk, "participant": certificate.participant_id},
        )
    return certificate


def eligible_participants(workshop: Workshop) -> Any:
    return workshop.participants.filter(present=True).order_by("id")


@transaction.atomic
def certificate_batch_request(*, workshop: Workshop, acting_user: User) -> CertificateBatch:
    """Queue a background job making every present participant's certificate into one ZIP."""
    batch = CertificateBatch.objects.create(
        workshop=workshop, requested_by=acting_user, total=eligible_participants(workshop).count()
    )
    audit_record(
        event_type=EventType.TRAINING_CERTIFICATES_REQUESTED,
        actor=acting_user,
        data={"workshop": workshop.pk, "batch": batch.pk, "total": batch.total},
    )
    from aman.training.tasks import certificate_batch_task

    transaction.on_commit(lambda: certificate_batch_task.delay(batch.pk))
    return batch


PROGRESS_EVERY = 10


def certificate_batch_run(*, batch_id: int) -> CertificateBatch:
    """Make the ZIP for a batch. Idempotent: a finished batch is left alone; a retry starts over."""
    from aman.training.certificates import certificate_filename, certificate_pdfs, write_zip

    batch = CertificateBatch.objects.select_related("workshop").get(pk=batch_id)
    if batch.status == BatchStatus.DONE:
        return batch
    participants = list(eligible_participants(batch.workshop).select_related("workshop", "workshop__region"))
    CertificateBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.RUNNING, done=0, total=len(participants), updated_at=timezone.now()
    )
    try:
        certificates = []
        for participant in participants:
            certificate = certificate_issue(participant=participant)
            certificate.participant = participant
            certificates.append(certificate)
        entries: list[tuple[str, bytes]] = []
        pdfs = certificate_pdfs(certificates, language=batch.workshop.language)
        for index, (certificate, pdf) in enumerate(pdfs, start=1):
            entries.append((certificate_filename(certificate.participant, certificate.code), pdf))
            if index % PROGRESS_EVERY == 0:
                CertificateBatch.objects.filter(pk=batch.pk).update(done=index, updated_at=timezone.now())
        name = default_storage.save(
            f"training/certificates/batch-{batch.pk}-{uuid.uuid4().hex}.zip", ContentFile(write_zip(entries))
        )
    except Exception:
        logger.exception("Certificate batch %s failed", batch.pk)
        CertificateBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.FAILED, updated_at=timezone.now())
        raise
    CertificateBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.DONE, done=F("total"), zip_name=name, finished_at=timezone.now(), updated_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch
