"""Role × view matrix over every training page.

Programme managers and admins manage everything; a trainer reaches only the workshops they are
assigned to (attendance, quiz, the workshop page); helpline agents and supervisors have no
training pages. A denied request changes nothing and writes no audit event.
"""

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from aman.accounts.models import Role, User
from aman.accounts.tests.factories import UserFactory
from aman.audit.models import AuditEvent
from aman.training import models as m
from aman.training.quiz import QUESTIONS
from aman.training.tests.factories import ParticipantFactory, ProgrammeFactory, TrainerFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "no_role",
    "inactive",
    "agent",
    "supervisor",
    "admin",
    "programme_manager",
    "trainer",
    "other_trainer",
]
MANAGERS = {"admin", "programme_manager"}
ASSIGNED = MANAGERS | {"trainer"}
EVERYONE = set(ROLES)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    users = {
        "no_role": UserFactory(role="", username="norole"),
        "inactive": UserFactory(role=Role.PROGRAMME_MANAGER, username="gone", is_active=False),
        "agent": UserFactory(role=Role.AGENT, username="agent"),
        "supervisor": UserFactory(role=Role.SUPERVISOR, username="supervisor"),
        "admin": UserFactory(role=Role.ADMIN, username="admin"),
        "programme_manager": UserFactory(role=Role.PROGRAMME_MANAGER, username="manager"),
    }
    trainer = TrainerFactory(user=UserFactory(role=Role.TRAINER, username="trainer"))
    other = TrainerFactory(user=UserFactory(role=Role.TRAINER, username="trainer2"))
    users["trainer"], users["other_trainer"] = trainer.user, other.user
    programme = ProgrammeFactory(created_by=users["programme_manager"])
    workshop = WorkshopFactory(programme=programme)
    workshop.trainers.add(trainer)
    participant = ParticipantFactory(workshop=workshop, present=True)
    certificate = m.Certificate.objects.create(participant=participant)
    batch = m.CertificateBatch.objects.create(
        workshop=workshop, requested_by=users["programme_manager"], status=m.BatchStatus.DONE, zip_name="", total=1
    )
    region = m.Region.objects.get(code="iq-duhok")
    return {
        "users": users,
        "trainer": trainer,
        "programme": programme,
        "workshop": workshop,
        "participant": participant,
        "certificate": certificate,
        "batch": batch,
        "region": region,
    }


def _client(world: dict[str, Any], role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def _snapshot() -> dict[str, Any]:
    return {
        "programmes": list(m.Programme.objects.order_by("id").values_list("name", "description")),
        "workshops": list(m.Workshop.objects.order_by("id").values_list("title", "capacity", "registration_open")),
        "assigned": list(m.Workshop.trainers.through.objects.order_by("id").values_list("workshop_id", "trainer_id")),
        "participants": list(m.Participant.objects.order_by("id").values_list("full_name", "present")),
        "marks": m.AttendanceMark.objects.count(),
        "quiz": m.QuizResponse.objects.count(),
        "feedback": m.Feedback.objects.count(),
        "certificates": list(m.Certificate.objects.order_by("id").values_list("code", "revoked_at")),
        "batches": m.CertificateBatch.objects.count(),
        "trainers": list(m.Trainer.objects.order_by("id").values_list("display_name", "active")),
        "regions": list(m.Region.objects.order_by("id").values_list("name_en", "active")),
        "users": list(User.objects.order_by("id").values_list("username", "role", "is_active")),
        "audit": AuditEvent.objects.count(),
    }


Request = Callable[[Client, dict[str, Any]], Any]
W = "/console/training/workshops/"


def _mark(w: dict[str, Any]) -> str:
    return json.dumps(
        {
            "marks": [
                {
                    "id": str(uuid.uuid4()),
                    "participant": w["participant"].pk,
                    "present": False,
                    "at": timezone.now().isoformat(),
                }
            ]
        }
    )


def _quiz(w: dict[str, Any]) -> dict[str, str]:
    return {"participant": str(w["participant"].pk), **{f"q_{q.id}": str(q.answer) for q in QUESTIONS}}


WORKSHOP_FORM = {
    "title": "ورشة جديدة",
    "date": "2026-12-01",
    "venue": "مخيم",
    "venue_kind": "camp",
    "audience": "parents",
    "language": "ckb",
    "capacity": "40",
    "registration_open": "on",
}

VIEWS: dict[str, tuple[Request, set[str], bool]] = {
    # name: (request, roles allowed, writes an audit event when allowed)
    "home": (lambda c, w: c.get("/console/training/"), ASSIGNED | {"other_trainer"}, False),
    "programme_create": (
        lambda c, w: c.post("/console/training/programmes/new/", {"name": "Programme X"}),
        MANAGERS,
        True,
    ),
    "programme": (lambda c, w: c.get(f"/console/training/programmes/{w['programme'].pk}/"), MANAGERS, False),
    "programme_edit": (
        lambda c, w: c.post(f"/console/training/programmes/{w['programme'].pk}/", {"name": "Renamed"}),
        MANAGERS,
        True,
    ),
    "workshop_create": (
        lambda c, w: c.post(
            f"/console/training/programmes/{w['programme'].pk}/workshops/new/",
            {**WORKSHOP_FORM, "region": w["region"].pk},
        ),
        MANAGERS,
        True,
    ),
    "workshop": (lambda c, w: c.get(f"{W}{w['workshop'].pk}/"), ASSIGNED, False),
    "workshop_edit": (
        lambda c, w: c.post(f"{W}{w['workshop'].pk}/edit/", {**WORKSHOP_FORM, "region": w["region"].pk}),
        MANAGERS,
        True,
    ),
    "workshop_trainers": (lambda c, w: c.post(f"{W}{w['workshop'].pk}/trainers/", {"trainers": []}), MANAGERS, True),
    "import": (
        lambda c, w: c.post(
            f"{W}{w['workshop'].pk}/import/",
            {"file": _upload(), "consent_confirmed": "on"},
        ),
        MANAGERS,
        True,
    ),
    "attendance_page": (lambda c, w: c.get(f"{W}{w['workshop'].pk}/attendance/"), ASSIGNED, False),
    "attendance_form": (lambda c, w: c.post(f"{W}{w['workshop'].pk}/attendance/", {}), ASSIGNED, True),
    "attendance_sync": (
        lambda c, w: c.post(f"{W}{w['workshop'].pk}/attendance/sync/", _mark(w), content_type="application/json"),
        ASSIGNED,
        True,
    ),
    "quiz": (lambda c, w: c.post(f"{W}{w['workshop'].pk}/quiz/pre/", _quiz(w)), ASSIGNED, True),
    "certificate": (
        lambda c, w: c.get(f"/console/training/participants/{w['participant'].pk}/certificate/"),
        MANAGERS,
        True,
    ),
    "certificate_revoke": (
        lambda c, w: c.post(f"/console/training/participants/{w['participant'].pk}/certificate/revoke/"),
        MANAGERS,
        True,
    ),
    "certificates_generate": (lambda c, w: c.post(f"{W}{w['workshop'].pk}/certificates/"), MANAGERS, True),
    "batch": (lambda c, w: c.get(f"/console/training/batches/{w['batch'].pk}/"), MANAGERS, False),
    "trainers": (lambda c, w: c.get("/console/training/trainers/"), MANAGERS, False),
    "trainer_create": (
        lambda c, w: c.post(
            "/console/training/trainers/",
            {"username": "newtrainer", "password": "a-long-enough-pass-2026", "display_name": "Nour", "active": "on"},
        ),
        MANAGERS,
        True,
    ),
    "trainer_edit": (
        lambda c, w: c.post(f"/console/training/trainers/{w['trainer'].pk}/", {"display_name": "Renamed"}),
        MANAGERS,
        True,
    ),
    "regions": (lambda c, w: c.get("/console/training/regions/"), MANAGERS, False),
    "region_edit": (
        lambda c, w: c.post(
            f"/console/training/regions/{w['region'].pk}/",
            {"country": "IQ", "code": "iq-duhok", "name_ar": "دهوك", "name_en": "Duhok!", "active": "on"},
        ),
        MANAGERS,
        True,
    ),
    "dashboard": (lambda c, w: c.get("/console/training/dashboard/"), MANAGERS, False),
    "dashboard_csv": (lambda c, w: c.get("/console/training/dashboard/?format=csv"), MANAGERS, True),
}


def _upload() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("list.csv", "name\nسلمى\n".encode())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_training_matrix(world: dict[str, Any], role: str, view: str, django_capture_on_commit_callbacks: Any) -> None:
    request, allowed, audited = VIEWS[view]
    client = _client(world, role)
    before = _snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = request(client, world)
    if role in allowed:
        assert response.status_code in (200, 302), (view, role, response.status_code)
        if response.status_code == 302:
            assert "/accounts/sign-in/" not in response["Location"]
        if audited:
            assert AuditEvent.objects.count() > before["audit"], (view, role)
        return
    if role in {"anonymous", "inactive"}:
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"], (view, role)
    else:
        assert response.status_code in (403, 404), (view, role, response.status_code)
    assert _snapshot() == before, (view, role)


PUBLIC: dict[str, Request] = {
    "register_page": lambda c, w: c.get(f"/training/register/{w['workshop'].registration_token}/"),
    "register": lambda c, w: c.post(
        f"/training/register/{w['workshop'].registration_token}/", {"full_name": "Lina", "consent": "on"}
    ),
    "feedback": lambda c, w: c.post(
        f"/training/feedback/{w['workshop'].feedback_token}/", {"overall": "5", "useful": "5", "recommend": "yes"}
    ),
    "verify": lambda c, w: c.get(f"/verify/{w['certificate'].code}"),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(PUBLIC))
def test_public_training_pages_need_no_account(world: dict[str, Any], role: str, page: str) -> None:
    response = PUBLIC[page](_client(world, role), world)
    assert response.status_code == 200, (page, role)


@pytest.mark.parametrize("role", ["programme_manager", "trainer", "other_trainer"])
def test_training_roles_never_see_cases(world: dict[str, Any], role: str) -> None:
    client = _client(world, role)
    assert client.get("/console/").status_code == 403
    assert client.get("/console/audit/").status_code == 403
