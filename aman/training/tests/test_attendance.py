import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from aman.audit.models import AuditEvent
from aman.training.models import AttendanceMark, Participant
from aman.training.tests.factories import ParticipantFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def _mark(participant: Any, present: bool = True, at: Any = None, mark_id: str | None = None) -> dict[str, Any]:
    return {
        "id": mark_id or str(uuid.uuid4()),
        "participant": participant.pk,
        "present": present,
        "at": (at or timezone.now()).isoformat(),
    }


def _sync(client: Client, workshop: Any, marks: Any) -> Any:
    return client.post(
        f"/console/training/workshops/{workshop.pk}/attendance/sync/",
        data=json.dumps({"marks": marks}) if not isinstance(marks, (bytes, str)) else marks,
        content_type="application/json",
    )


@pytest.fixture
def client(trainer: Any) -> Client:
    c = Client()
    c.force_login(trainer.user)
    return c


def test_resent_marks_are_stored_once(client: Client, workshop: Any) -> None:
    people = [ParticipantFactory(workshop=workshop) for _ in range(3)]
    marks = [_mark(p) for p in people]
    first = _sync(client, workshop, marks)
    assert first.status_code == 200 and first.json()["stored"] == 3
    # The phone did not hear the answer (dropped connection) and sends everything again, twice.
    for _ in range(2):
        again = _sync(client, workshop, marks)
        assert sorted(again.json()["accepted"]) == sorted(m["id"] for m in marks) and again.json()["stored"] == 0
    assert AttendanceMark.objects.count() == 3
    assert set(Participant.objects.values_list("present", flat=True)) == {True}
    assert AuditEvent.objects.filter(event_type="training.attendance_marked").count() == 1


def test_latest_mark_wins_whatever_the_arrival_order(client: Client, workshop: Any) -> None:
    person = ParticipantFactory(workshop=workshop)
    now = timezone.now()
    _sync(client, workshop, [_mark(person, present=False, at=now)])
    _sync(client, workshop, [_mark(person, present=True, at=now - timedelta(minutes=5))])  # older, late
    person.refresh_from_db()
    assert person.present is False and AttendanceMark.objects.count() == 2
    _sync(client, workshop, [_mark(person, present=True, at=now + timedelta(days=3))])  # phone clock ahead
    person.refresh_from_db()
    assert person.present is True and person.present_marked_at <= timezone.now()


def test_participants_of_other_workshops_are_rejected(client: Client, workshop: Any) -> None:
    stranger = ParticipantFactory(workshop=WorkshopFactory())
    response = _sync(client, workshop, [_mark(stranger)])
    assert response.json()["rejected"][0]["code"] == "unknown_participant"
    assert not AttendanceMark.objects.exists()
    stranger.refresh_from_db()
    assert stranger.present is None


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"\xff\xfe",
        "[]",
        '{"marks": "x"}',
        '{"marks": [{"id": "not-a-uuid", "participant": 1, "present": true, "at": "2026-01-01T10:00:00Z"}]}',
        '{"marks": [{"id": "6f1c5f0e-6f59-4a59-9d43-7d8c5b2a1c11", "participant": "x", "present": true, "at": "2026-01-01T10:00:00Z"}]}',  # noqa: E501
        '{"marks": [{"id": "6f1c5f0e-6f59-4a59-9d43-7d8c5b2a1c11", "participant": 1, "present": "yes", "at": "2026-01-01T10:00:00Z"}]}',  # noqa: E501
        '{"marks": [{"id": "6f1c5f0e-6f59-4a59-9d43-7d8c5b2a1c11", "participant": 1, "present": true, "at": "2026-01-01T10:00:00"}]}',  # noqa: E501
        '{"marks": [{"id": "6f1c5f0e-6f59-4a59-9d43-7d8c5b2a1c11", "participant": 1, "present": true, "at": "<script>"}]}',  # noqa: E501
        '{"marks": [{"id": "\\u0000", "participant": 1, "present": true, "at": "2026-01-01T10:00:00Z"}]}',
    ],
)
def test_malformed_payloads_are_refused_with_a_translated_message(client: Client, workshop: Any, payload: Any) -> None:
    ParticipantFactory(workshop=workshop)
    response = _sync(client, workshop, payload)
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert not AttendanceMark.objects.exists()


def test_too_many_marks_at_once(client: Client, workshop: Any) -> None:
    person = ParticipantFactory(workshop=workshop)
    response = _sync(client, workshop, [_mark(person) for _ in range(501)])
    assert response.status_code == 400
    huge = _sync(client, workshop, json.dumps({"marks": [], "pad": "x" * 300_000}))
    assert huge.status_code == 413
    assert not AttendanceMark.objects.exists()


def test_plain_form_without_javascript(client: Client, workshop: Any) -> None:
    a, b = ParticipantFactory(workshop=workshop), ParticipantFactory(workshop=workshop)
    page = client.get(f"/console/training/workshops/{workshop.pk}/attendance/")
    assert page.status_code == 200 and "training/attendance.js" in page.content.decode()
    response = client.post(f"/console/training/workshops/{workshop.pk}/attendance/", {"present": [str(a.pk)]})
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.present is True and b.present is False
    # Saving the same form again adds no marks.
    client.post(f"/console/training/workshops/{workshop.pk}/attendance/", {"present": [str(a.pk)]})
    assert AttendanceMark.objects.count() == 2


def test_a_trainer_only_reaches_their_own_workshops(client: Client) -> None:
    other = WorkshopFactory()
    person = ParticipantFactory(workshop=other)
    assert client.get(f"/console/training/workshops/{other.pk}/attendance/").status_code == 404
    assert _sync(client, other, [_mark(person)]).status_code == 404
    assert not AttendanceMark.objects.exists()
