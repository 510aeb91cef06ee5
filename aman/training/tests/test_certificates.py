import io
import zipfile
from typing import Any

import pytest
from django.test import Client

from aman.audit.models import AuditEvent
from aman.core.tests.pdfcheck import (
    arabic_is_joined,
    ink_box,
    is_right_aligned,
    pdf_page_count,
    pdf_page_image,
    pdf_text,
)
from aman.training.certificates import certificate_context, certificate_pdf, qr_data_uri, verify_url
from aman.training.models import BatchStatus, Certificate, CertificateBatch
from aman.training.services import certificate_issue
from aman.training.tests.factories import ParticipantFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

CASES = {
    "ar": ("سلمى عبد الله", "معاً بأمان: حماية الأطفال على الإنترنت", "شهادة مشاركة"),
    "ckb": ("ژیان ئەحمەد", "پێکەوە بە سەلامەتی", "بڕوانامەی بەشداریکردن"),
    "fr": ("Amina Benali", "Ensemble en sécurité", "Attestation de participation"),
    "en": ("Sam Taylor", "Safely Together", "Certificate of participation"),
}


def _certificate(language: str) -> Certificate:
    name, title, _ = CASES[language]
    workshop = WorkshopFactory(language=language, title=title)
    participant = ParticipantFactory(workshop=workshop, full_name=name, present=True)
    return certificate_issue(participant=participant)


@pytest.mark.parametrize("language", sorted(CASES))
def test_certificate_text_is_in_the_workshop_language(language: str) -> None:
    name, title, heading = CASES[language]
    certificate = _certificate(language)
    text = pdf_text(certificate_pdf(certificate))
    assert heading in text
    assert certificate.code[:4] in text.replace("-", "")
    if language in ("fr", "en"):  # Latin text extracts verbatim; Arabic-script text is checked as pixels
        assert name in text and title in text


@pytest.mark.parametrize("language", ["ar", "ckb"])
def test_arabic_script_certificates_are_joined_and_right_to_left(language: str) -> None:
    name, _, _ = CASES[language]
    pdf = certificate_pdf(_certificate(language))
    assert is_right_aligned(pdf)
    assert arabic_is_joined(name, language)
    assert ink_box(pdf_page_image(pdf)) is not None


@pytest.mark.parametrize("language", ["fr", "en"])
def test_latin_certificates_are_left_to_right(language: str) -> None:
    assert not is_right_aligned(certificate_pdf(_certificate(language)))


def test_qr_code_points_to_the_absolute_verify_url(settings: Any) -> None:
    settings.AMAN_PUBLIC_URL = "https://aman.example.org/"
    certificate = _certificate("ar")
    context = certificate_context(certificate)
    assert context["verify_url"] == f"https://aman.example.org/verify/{certificate.code}"
    assert context["qr"].startswith("data:image/svg+xml")
    assert context["qr"] == qr_data_uri(verify_url(certificate.code))
    assert qr_data_uri("https://aman.example.org/verify/OTHER") != context["qr"]


def test_hostile_name_is_printed_as_text() -> None:
    workshop = WorkshopFactory(language="en")
    participant = ParticipantFactory(workshop=workshop, full_name='<img src="http://127.0.0.1:9/x">', present=True)
    text = pdf_text(certificate_pdf(certificate_issue(participant=participant)))
    assert '<img src="http://127.0.0.1:9/x">' in text


def test_codes_are_long_random_and_stable() -> None:
    workshop = WorkshopFactory()
    codes = {certificate_issue(participant=ParticipantFactory(workshop=workshop)).code for _ in range(20)}
    assert len(codes) == 20 and all(len(c) == 16 for c in codes)
    participant = ParticipantFactory(workshop=workshop)
    assert certificate_issue(participant=participant).code == certificate_issue(participant=participant).code


def test_bulk_job_makes_a_zip_of_present_participants(manager: Any, django_capture_on_commit_callbacks: Any) -> None:
    workshop = WorkshopFactory(language="fr")
    present = [ParticipantFactory(workshop=workshop, present=True) for _ in range(12)]
    ParticipantFactory(workshop=workshop, present=False)
    ParticipantFactory(workshop=workshop)
    client = Client()
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/console/training/workshops/{workshop.pk}/certificates/")
    batch = CertificateBatch.objects.get()
    assert response["Location"] == f"/console/training/batches/{batch.pk}/"
    assert (batch.status, batch.done, batch.total) == (BatchStatus.DONE, 12, 12)
    page = client.get(response["Location"]).content.decode()
    assert "12 / 12" in page and "refresh.js" not in page
    download = client.get(f"/console/training/batches/{batch.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))  # type: ignore[attr-defined]
    names = archive.namelist()
    assert len(names) == 12
    for participant in present:
        code = Certificate.objects.get(participant=participant).code
        assert f"certificate-{participant.pk}-{code}.pdf" in names
    for participant in present:
        code = Certificate.objects.get(participant=participant).code
        pdf = archive.read(f"certificate-{participant.pk}-{code}.pdf")
        text = pdf_text(pdf)
        assert pdf_page_count(pdf) == 1 and "Attestation de participation" in text
        assert participant.full_name in text.replace("\n", " ") or participant.full_name.split()[-1] in text
        assert code[:4] in text.replace("-", "")


def test_running_job_page_refreshes_itself(manager: Any) -> None:
    workshop = WorkshopFactory()
    batch = CertificateBatch.objects.create(workshop=workshop, requested_by=manager, total=10, done=3)
    client = Client()
    client.force_login(manager)
    page = client.get(f"/console/training/batches/{batch.pk}/").content.decode()
    assert "3 / 10" in page and "training/refresh.js" in page
    assert client.get(f"/console/training/batches/{batch.pk}/download/").status_code == 404


def test_single_certificate_only_for_present_participants(manager: Any) -> None:
    client = Client()
    client.force_login(manager)
    absent = ParticipantFactory(present=None)
    assert client.get(f"/console/training/participants/{absent.pk}/certificate/").status_code == 302
    assert not Certificate.objects.exists()
    present = ParticipantFactory(present=True)
    response = client.get(f"/console/training/participants/{present.pk}/certificate/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(event_type="training.certificate_downloaded").count() == 1


def test_verify_page_shows_only_name_workshop_date_and_validity(manager: Any) -> None:
    workshop = WorkshopFactory(language="ar", title="ورشة الأمان", venue="مخيم دوميز")
    participant = ParticipantFactory(workshop=workshop, full_name="سلمى", email="salma@example.org", present=True)
    certificate = certificate_issue(participant=participant)
    page = Client().get(f"/verify/{certificate.code}")
    body = page.content.decode()
    assert page.status_code == 200 and 'data-valid="true"' in body
    assert "سلمى" in body and "ورشة الأمان" in body
    for secret in ("salma@example.org", "مخيم دوميز", "بغداد", workshop.registration_token):
        assert secret not in body
    # Dashes and lower case as printed or typed still match.
    pretty = "-".join(certificate.code[i : i + 4] for i in range(0, 16, 4)).lower()
    assert 'data-valid="true"' in Client().get(f"/verify/{pretty}").content.decode()
    client = Client()
    client.force_login(manager)
    client.post(f"/console/training/participants/{participant.pk}/certificate/revoke/")
    revoked = Client().get(f"/verify/{certificate.code}").content.decode()
    assert 'data-valid="false"' in revoked


@pytest.mark.parametrize(
    "code", ["AAAAAAAAAAAAAAAA", "x", "' OR 1=1 --", "<script>alert(1)</script>", "\u202eABC", "A" * 5000, "%00"]
)
def test_verify_unknown_or_hostile_codes(code: str) -> None:
    response = Client().get(f"/verify/{code}")
    assert response.status_code == 404
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_verify_is_rate_limited(settings: Any) -> None:
    settings.AMAN_TRAINING_PUBLIC_RATE = "3/hour"
    client = Client()
    statuses = [client.get("/verify/AAAAAAAAAAAAAAAA").status_code for _ in range(5)]
    assert statuses == [404, 404, 404, 429, 429]


def test_batched_rendering_gives_one_right_to_left_pdf_per_certificate() -> None:
    from aman.training.certificates import certificate_pdfs

    workshop = WorkshopFactory(language="ckb", title="پێکەوە بە سەلامەتی")
    certificates = [
        certificate_issue(participant=ParticipantFactory(workshop=workshop, present=True)) for _ in range(3)
    ]
    results = list(certificate_pdfs(certificates, language="ckb"))
    assert [c.pk for c, _ in results] == [c.pk for c in certificates]
    for certificate, pdf in results:
        assert pdf_page_count(pdf) == 1 and is_right_aligned(pdf)
        assert certificate.code[:4] in pdf_text(pdf).replace("-", "")
