"""The transparency report: counts by partner × category × outcome, time to action (median and
90th percentile) for a period, as a page, a CSV and a PDF (Arabic right to left); no personal data."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from aman.audit.events import EventType
from aman.audit.models import AuditEvent
from aman.core.tests.pdfcheck import arabic_is_joined, is_right_aligned, pdf_text
from aman.escalations import services
from aman.escalations.models import Escalation, Partner
from aman.escalations.tests.factories import consented_case, draft_escalation

pytestmark = pytest.mark.django_db

REPORTER = "Zahra Testname-Qx"
CONTACT = "zahra.qx@example.org"
WORDS = "UNIQUE-CASE-WORDS-7731"
LINK = "https://example.org/post/secret-link-9911"


def _escalation(agent: Any, slug: str, category: str, outcome: str, hours: float | None) -> Escalation:
    case = consented_case(
        triaged_by=agent,
        description=f"{WORDS} I am {REPORTER}; my child is bullied every day (synthetic).",
        items=[("url", LINK)],
        contact_method="email",
        contact_value=CONTACT,
    )
    escalation = draft_escalation(
        case=case,
        target=Partner.objects.get(slug=slug),
        agent=agent,
        category=category,
        explanation=f"{WORDS} explanation",
    )
    sent = timezone.now() - timedelta(days=2)
    Escalation.objects.filter(pk=escalation.pk).update(
        status="sent", sent_at=sent, due_at=sent + timedelta(hours=24), outcome_note=f"{WORDS} partner note"
    )
    escalation.refresh_from_db()
    if outcome:
        acted = sent + timedelta(hours=hours) if hours is not None else None
        services.escalation_outcome_record(escalation=escalation, acting_user=agent, outcome=outcome, actioned_at=acted)
    return escalation


@pytest.fixture
def data(agent: Any) -> None:
    for hours in (1, 2, 3, 4, 10):
        _escalation(agent, "x", "harassment_bullying", "removed", hours)
    _escalation(agent, "x", "harassment_bullying", "declined", 30)
    _escalation(agent, "youtube", "hate_speech", "no_response", None)
    _escalation(agent, "youtube", "hate_speech", "", None)
    old = _escalation(agent, "x", "hate_speech", "removed", 1)
    Escalation.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=400))


def _period() -> dict[str, str]:
    today = timezone.localdate()
    return {"start": str(today - timedelta(days=30)), "end": str(today)}


def _client(user: Any, language: str = "en") -> Client:
    client = Client()
    client.cookies["aman_lang"] = language
    client.force_login(user)
    return client


def _no_personal_data(text: str) -> None:
    for secret in (REPORTER, CONTACT, WORDS, LINK, "secret-link", "AMN-"):
        assert secret not in text, secret


def test_page_and_csv_counts_and_time_to_action(data: None, supervisor: Any) -> None:
    client = _client(supervisor)
    page = client.get("/console/escalations/transparency/", _period())
    assert page.status_code == 200
    _no_personal_data(page.content.decode())
    response = client.get("/console/escalations/transparency/", {**_period(), "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    _no_personal_data(text)
    rows = list(csv.DictReader(io.StringIO(text)))
    by_key = {(r["partner"], r["category"], r["outcome"]): r for r in rows}
    x = Partner.objects.get(slug="x").name
    youtube = Partner.objects.get(slug="youtube").name
    removed = by_key[(x, "harassment_bullying", "removed")]
    assert (removed["notices"], removed["median_hours_to_action"], removed["p90_hours_to_action"]) == (
        "5",
        "3.0",
        "10.0",
    )
    assert by_key[(x, "harassment_bullying", "declined")]["notices"] == "1"
    assert by_key[(youtube, "hate_speech", "no_response")]["median_hours_to_action"] == ""
    assert by_key[(youtube, "hate_speech", "pending")]["notices"] == "1"
    assert by_key[(x, "all", "all")]["notices"] == "6"  # the 400-day-old notice is outside the period
    total = by_key[("all", "all", "all")]
    assert (
        total["notices"] == "8" and total["median_hours_to_action"] == "3.5" and total["p90_hours_to_action"] == "30.0"
    )
    assert (x, "hate_speech", "removed") not in by_key
    event = AuditEvent.objects.filter(event_type=EventType.ESCALATION_REPORT_EXPORTED).get()
    assert event.data == {"report": "transparency", "format": "csv", "rows": 4}


def test_pdf_in_arabic_reads_right_to_left_without_personal_data(data: None, supervisor: Any) -> None:
    response = _client(supervisor, "ar").get("/console/escalations/transparency/", {**_period(), "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    text = pdf_text(pdf)
    _no_personal_data(text)
    assert Partner.objects.get(slug="x").name in text
    assert is_right_aligned(pdf, top_fraction=0.08)
    assert arabic_is_joined()


def test_pdf_in_french_reads_left_to_right(data: None, supervisor: Any) -> None:
    pdf = _client(supervisor, "fr").get("/console/escalations/transparency/", {**_period(), "format": "pdf"}).content
    assert not is_right_aligned(pdf, top_fraction=0.08)
    _no_personal_data(pdf_text(pdf))


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2026-13-01", "end": "2026-01-01"},
        {"start": "2026-02-01", "end": "2026-01-01"},
        {"start": "1900-01-01", "end": "2026-01-01"},
        {"start": "<script>", "end": ""},
    ],
)
def test_bad_periods_are_explained(supervisor: Any, query: dict[str, str]) -> None:
    response = _client(supervisor, "fr").get("/console/escalations/transparency/", {**query, "format": "csv"})
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert 'role="alert"' in response.content.decode()
    assert not AuditEvent.objects.filter(event_type=EventType.ESCALATION_REPORT_EXPORTED).exists()


def test_empty_period(supervisor: Any) -> None:
    response = _client(supervisor).get("/console/escalations/transparency/", {**_period(), "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["partner"], r["notices"]) for r in rows] == [("all", "0")]
