"""Official-account risk assessments: the register, saved per organisation, compared over time,
and the PDF checked as text and as pixels."""

import re

import pytest
from django.test import Client

from aman.audit.models import AuditEvent
from aman.core.tests.pdfcheck import arabic_is_joined, ink_box, pdf_page_image, pdf_text
from aman.guides.choices import risk_level
from aman.guides.definitions import DefinitionError, parse_risk_questionnaire, risk_questionnaire
from aman.guides.models import Assessment, Organisation
from aman.guides.scoring import register_compare, risk_register

pytestmark = pytest.mark.django_db


def heading_is_right_aligned(pdf: bytes) -> bool:
    """pdfcheck.is_right_aligned over the top band of the first page (the title and the
    organisation): the register table spans the full width, so the whole page cannot tell."""
    image = pdf_page_image(pdf)
    band = image.crop((0, 0, image.width, image.height // 8))
    box = ink_box(band)
    assert box is not None, "the page has no heading"
    return (band.width - box[2]) < box[0]


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (1, "low"),
        (5, "low"),
        (6, "medium"),
        (11, "medium"),
        (12, "high"),
        (19, "high"),
        (20, "critical"),
        (25, "critical"),
    ],
)
def test_level_bands(score: int, level: str) -> None:
    assert risk_level(score) == level


def test_likelihood_is_the_highest_chosen_answer_and_unknown_counts_high() -> None:
    questionnaire = risk_questionnaire()
    assert questionnaire is not None
    rows = {r["risk"]: r for r in risk_register(questionnaire, {"passwords__who": "vault", "comments__policy": "no"})}
    assert (rows["passwords"]["likelihood"], rows["passwords"]["score"], rows["passwords"]["level"]) == (1, 5, "low")
    assert (rows["comments"]["likelihood"], rows["comments"]["score"]) == (4, 8)
    unknown = {r["risk"]: r for r in risk_register(questionnaire, {"passwords__who": "forged"})}
    assert unknown["passwords"]["likelihood"] == 5 and unknown["comments"]["likelihood"] == 4


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"version": 1, "risks": []},
        {"version": 1, "risks": [{"id": "a", "area": "weather", "questions": [], "impact": 3}]},
        {"version": 1, "risks": [{"id": "a", "area": "phishing", "title": {"en": "x"}, "impact": 9, "questions": []}]},
    ],
)
def test_malformed_questionnaire_is_refused(data: object) -> None:
    with pytest.raises(DefinitionError):
        parse_risk_questionnaire(data, "risk_assessment.json")


def _run(client: Client, organisation: Organisation, who: str, policy: str, language: str = "ar") -> Assessment:
    response = client.post(
        f"/console/assessments/organisations/{organisation.pk}/new/",
        {"passwords__who": who, "comments__policy": policy, "report_language": language},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return Assessment.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_supervisor_saves_assessments_and_compares_progress(client: Client, supervisor) -> None:  # type: ignore[no-untyped-def]
    client.force_login(supervisor)
    response = client.post("/console/assessments/", {"name": "وزارة الاتصالات (تجريبية)", "kind": "ministry"})
    organisation = Organisation.objects.get()
    assert response["Location"].endswith(f"/organisations/{organisation.pk}/")
    first = _run(client, organisation, "one", "no")
    assert [r["score"] for r in first.register] == [25, 8]
    second = _run(client, organisation, "vault", "no")
    assert [r["risk"] for r in second.register] == ["comments", "passwords"]  # sorted by score
    html = client.get(f"/console/assessments/organisations/{organisation.pk}/").content.decode()
    assert 'data-testid="comparison"' in html
    row = re.search(r'data-risk="passwords"><td>[^<]*</td><td>(\d+)</td><td>(\d+)</td>', html)
    assert row and row.groups() == ("25", "5")
    assert register_compare(first.register, second.register)[1]["change"] == -20
    assert AuditEvent.objects.filter(event_type="assessment.saved").count() == 2


def test_arabic_pdf_is_joined_right_to_left_and_readable(client: Client, supervisor) -> None:  # type: ignore[no-untyped-def]
    client.force_login(supervisor)
    client.post("/console/assessments/", {"name": "هيئة تجريبية", "kind": "institution"})
    assessment = _run(client, Organisation.objects.get(), "one", "yes", language="ar")
    response = client.get(f"/console/assessments/{assessment.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    text = " ".join(pdf_text(pdf).split())
    assert "هيئة تجريبية" in text and "25" in text
    assert heading_is_right_aligned(pdf)
    assert arabic_is_joined("كلمات المرور عند شخص واحد", "ar")
    assert AuditEvent.objects.filter(event_type="assessment.exported").count() == 1


def test_french_pdf_is_left_to_right(client: Client, supervisor) -> None:  # type: ignore[no-untyped-def]
    client.force_login(supervisor)
    client.post("/console/assessments/", {"name": "Ministère fictif", "kind": "ministry"})
    assessment = _run(client, Organisation.objects.get(), "one", "no", language="fr")
    pdf = client.get(f"/console/assessments/{assessment.pk}/pdf/").content
    text = " ".join(pdf_text(pdf).split())
    assert "Ministère fictif" in text and "Mots de passe détenus par une seule personne" in text
    assert not heading_is_right_aligned(pdf)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": "", "kind": "ministry"},
        {"name": "x" * 500, "kind": "ministry"},
        {"name": "\u202e\x00", "kind": "ngo"},
        {"name": "ok", "kind": "pirates"},
    ],
)
def test_organisation_form_rejects_bad_input(client: Client, supervisor, data) -> None:  # type: ignore[no-untyped-def]
    client.force_login(supervisor)
    response = client.post("/console/assessments/", data)
    assert response.status_code == 400 and not Organisation.objects.exists()


def test_hostile_organisation_name_is_text_in_page_and_pdf(client: Client, supervisor) -> None:  # type: ignore[no-untyped-def]
    client.force_login(supervisor)
    client.post("/console/assessments/", {"name": '<img src="http://127.0.0.1:9/x"><script>x</script>', "kind": "ngo"})
    organisation = Organisation.objects.get()
    html = client.get(f"/console/assessments/organisations/{organisation.pk}/").content.decode()
    assert "<script>x</script>" not in html
    assessment = _run(client, organisation, "one", "no", language="en")
    assert "<script>" in pdf_text(client.get(f"/console/assessments/{assessment.pk}/pdf/").content)
