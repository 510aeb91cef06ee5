from typing import Any

import pytest
from django.db import connection
from django.test import Client

from aman.audit.models import AuditEvent
from aman.training.models import Feedback, Participant
from aman.training.tests.factories import ParticipantFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def _register(workshop: Any, **data: Any) -> Any:
    payload = {"full_name": "سلمى أحمد", "email": "", "consent": "on", **data}
    return Client().post(f"/training/register/{workshop.registration_token}/", payload)


def test_registration_without_account_records_consent_version_and_no_ip() -> None:
    workshop = WorkshopFactory()
    page = Client().get(f"/training/register/{workshop.registration_token}/")
    assert page.status_code == 200 and 'data-testid="consent-text"' in page.content.decode()
    response = Client().post(
        f"/training/register/{workshop.registration_token}/",
        {"full_name": "  سلمى   أحمد ", "email": "Salma@Example.org", "consent": "on"},
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 200 and 'data-testid="registered"' in response.content.decode()
    participant = Participant.objects.get()
    assert (participant.full_name, participant.email, participant.consent_version) == (
        "سلمى أحمد",
        "salma@example.org",
        "2026-01",
    )
    event = AuditEvent.objects.get(event_type="training.participant_registered")
    assert "سلمى" not in str(event.data) and "salma" not in str(event.data)
    with connection.cursor() as cursor:
        for table in ("training_participant", "audit_auditevent"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            dump = str(cursor.fetchall())
            assert "203.0.113.9" not in dump and "198.51.100.7" not in dump


def test_consent_is_required() -> None:
    workshop = WorkshopFactory()
    assert _register(workshop, consent="").status_code == 400
    assert not Participant.objects.exists()


@pytest.mark.parametrize("name", ["", "   ", "x" * 121, "=cmd|' /C calc'!A0", "\x00", "\u202e\u202e", "@admin"])
def test_bad_names_are_refused(name: str) -> None:
    assert _register(WorkshopFactory(), full_name=name).status_code == 400
    assert not Participant.objects.exists()


def test_hostile_names_are_stored_as_text_and_cleaned() -> None:
    workshop = WorkshopFactory()
    assert _register(workshop, full_name="<script>alert(1)</script> \u202eAli").status_code == 200
    assert Participant.objects.get().full_name == "<script>alert(1)</script> Ali"


def test_full_and_closed_workshops_refuse_registration() -> None:
    full = WorkshopFactory(capacity=1)
    ParticipantFactory(workshop=full)
    assert _register(full).status_code == 400
    closed = WorkshopFactory(registration_open=False)
    assert _register(closed).status_code == 400
    assert Participant.objects.count() == 1


@pytest.mark.parametrize("token", ["nope", "x" * 200, "' OR 1=1 --"])
def test_unknown_registration_tokens_are_404(token: str) -> None:
    WorkshopFactory()
    assert Client().get(f"/training/register/{token}/").status_code == 404


def test_registration_is_rate_limited(settings: Any) -> None:
    settings.AMAN_TRAINING_PUBLIC_RATE = "2/hour"
    workshop = WorkshopFactory()
    client = Client()
    statuses = [
        client.post(
            f"/training/register/{workshop.registration_token}/", {"full_name": f"Person {i}", "consent": "on"}
        ).status_code
        for i in range(4)
    ]
    assert statuses == [200, 200, 400, 400]
    assert Participant.objects.count() == 2


def test_feedback_is_anonymous_and_validated() -> None:
    workshop = WorkshopFactory()
    url = f"/training/feedback/{workshop.feedback_token}/"
    ok = Client().post(url, {"overall": "5", "useful": "4", "recommend": "yes", "comment": "مفيدة جداً\u202e"})
    assert ok.status_code == 200
    feedback = Feedback.objects.get()
    assert (feedback.overall, feedback.useful, feedback.recommend, feedback.comment) == (5, 4, True, "مفيدة جداً")
    for bad in (
        {"overall": "9", "useful": "4", "recommend": "yes"},
        {"overall": "", "useful": "", "recommend": ""},
        {"overall": "5", "useful": "4", "recommend": "yes", "comment": "x" * 1001},
    ):
        assert Client().post(url, bad).status_code == 400
    assert Feedback.objects.count() == 1
    assert Client().get("/training/feedback/unknown/").status_code == 404
