from typing import Any

import pytest
from django.test import Client

from aman.training.models import Programme, Region, Trainer, Workshop
from aman.training.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

HOSTILE = ["", "   ", "\x00", "\u202e\u202e", "x" * 5000]


@pytest.fixture
def client(manager: Any) -> Client:
    c = Client()
    c.force_login(manager)
    return c


def _workshop_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "ورشة في مخيم",
        "date": "2026-12-01",
        "region": Region.objects.get(code="iq-duhok").pk,
        "venue": "مخيم دوميز",
        "venue_kind": "camp",
        "audience": "parents",
        "language": "ckb",
        "capacity": "40",
    }
    data.update(overrides)
    return data


def test_manager_creates_a_programme_and_a_camp_workshop_in_kurdish(client: Client) -> None:
    response = client.post("/console/training/programmes/new/", {"name": "معاً بأمان 2026"})
    programme = Programme.objects.get()
    assert response["Location"] == f"/console/training/programmes/{programme.pk}/"
    response = client.post(f"/console/training/programmes/{programme.pk}/workshops/new/", _workshop_data())
    workshop = Workshop.objects.get()
    assert response.status_code == 302 and workshop.venue_kind == "camp" and workshop.language == "ckb"
    assert len(workshop.registration_token) >= 32 and workshop.registration_token != workshop.feedback_token


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", ["title", "venue"])
def test_hostile_workshop_text_is_refused(client: Client, field: str, value: str) -> None:
    programme = ProgrammeFactory()
    response = client.post(
        f"/console/training/programmes/{programme.pk}/workshops/new/", _workshop_data(**{field: value})
    )
    assert response.status_code == 400
    assert not Workshop.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("capacity", "0"),
        ("capacity", "-5"),
        ("capacity", "999999"),
        ("date", "31/31/2026"),
        ("language", "xx"),
        ("region", "999999"),
    ],
)
def test_bad_workshop_values_are_refused(client: Client, field: str, value: str) -> None:
    programme = ProgrammeFactory()
    response = client.post(
        f"/console/training/programmes/{programme.pk}/workshops/new/", _workshop_data(**{field: value})
    )
    assert response.status_code == 400
    assert not Workshop.objects.exists()


def test_programme_names_are_cleaned_and_dates_checked(client: Client) -> None:
    assert client.post("/console/training/programmes/new/", {"name": "Safe\x00ly"}).status_code == 400  # NUL refused
    assert client.post("/console/training/programmes/new/", {"name": "\u202eSafely"}).status_code == 302
    assert Programme.objects.get().name == "Safely"  # bidi override removed
    bad = client.post(
        "/console/training/programmes/new/", {"name": "X", "starts_on": "2026-05-01", "ends_on": "2026-01-01"}
    )
    assert bad.status_code == 400


def test_manager_adds_a_trainer_who_can_sign_in_with_the_trainer_role_only(client: Client) -> None:
    response = client.post(
        "/console/training/trainers/",
        {
            "username": "nour",
            "password": "a-long-enough-pass-2026",
            "display_name": "Nour",
            "languages": ["ar", "ckb"],
            "regions": [Region.objects.get(code="iq-erbil").pk],
            "active": "on",
            "role": "admin",
        },
    )
    assert response.status_code == 302
    trainer = Trainer.objects.get()
    assert trainer.user.role == "trainer" and trainer.languages == ["ar", "ckb"]
    assert client.post("/console/training/trainers/", {"username": "x", "password": "1"}).status_code == 400


def test_manager_edits_a_region_and_cannot_duplicate_a_code(client: Client) -> None:
    region = Region.objects.get(code="om-muscat")
    data = {
        "country": "OM",
        "code": "om-muscat",
        "name_ar": "مسقط",
        "name_en": "Muscat",
        "name_ckb": "مەسقەت",
        "active": "on",
    }
    assert client.post(f"/console/training/regions/{region.pk}/", data).status_code == 302
    region.refresh_from_db()
    assert (
        region.name_ckb == "مەسقەت" and region.label_for("ckb") == "مەسقەت" and region.label_for("fr") == "Muscat"
    )  # emptied: falls back to English
    duplicate = client.post("/console/training/regions/", {**data, "name_en": "Copy"})
    assert duplicate.status_code == 400
