"""The transparency report as files: CSV (spreadsheet-safe) and PDF (in the reader's language,
right to left for Arabic and Kurdish). Only partner names, category and outcome codes, counts
and hours: ``selectors.transparency_report`` never reads a case's words, people or links."""

from __future__ import annotations

import csv
from datetime import date, datetime, time, timedelta

from django.http import HttpResponse
from django.utils import timezone, translation

from aman.cases.choices import HarmCategory
from aman.core.pdf import render_pdf
from aman.core.spreadsheet import csv_safe
from aman.escalations.models import EscalationOutcome
from aman.escalations.selectors import PENDING, TransparencyReport, TransparencyRow

CSV_COLUMNS = [
    "period_start",
    "period_end",
    "partner",
    "category",
    "outcome",
    "notices",
    "median_hours_to_action",
    "p90_hours_to_action",
]
ALL = "all"


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[the first day at midnight, the day after the last at midnight) in the site's time zone."""
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), zone),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone),
    )


def outcome_label(code: str) -> str:
    if code == PENDING:
        return str(translation.gettext("No answer yet"))
    try:
        return str(EscalationOutcome(code).label)
    except ValueError:
        return code


def category_label(code: str) -> str:
    try:
        return str(HarmCategory(code).label)
    except ValueError:
        return code


def _filename(report: TransparencyReport, extension: str) -> str:
    last = (report.end - timedelta(days=1)).date()
    return f"aman-transparency-{timezone.localtime(report.start).date()}-{last}.{extension}"


def _row(report: TransparencyReport, row: TransparencyRow, partner: str, category: str, outcome: str) -> list[object]:
    return [
        timezone.localtime(report.start).date().isoformat(),
        (timezone.localtime(report.end) - timedelta(days=1)).date().isoformat(),
        csv_safe(partner),
        category,
        outcome,
        row.count,
        row.median_hours,
        row.p90_hours,
    ]


def csv_response(report: TransparencyReport) -> HttpResponse:
    """One line per partner × category × outcome, then one per partner, then the total."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "csv")}"'
    response["Cache-Control"] = "no-store, private"
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in report.rows:
        writer.writerow(_row(report, row, row.partner, row.category, row.outcome))
    for row in report.partners:
        writer.writerow(_row(report, row, row.partner, ALL, ALL))
    writer.writerow(_row(report, report.total, ALL, ALL, ALL))
    return response


def pdf_bytes(report: TransparencyReport, *, language: str) -> bytes:
    with translation.override(language):
        rows = [
            {
                "partner": row.partner,
                "category": category_label(row.category),
                "outcome": outcome_label(row.outcome),
                "row": row,
            }
            for row in report.rows
        ]
    return render_pdf(
        template_name="escalations/pdf/transparency.html",
        context={
            "report": report,
            "rows": rows,
            "start": timezone.localtime(report.start).date(),
            "end": (timezone.localtime(report.end) - timedelta(days=1)).date(),
        },
        language=language,
    )


def pdf_response(report: TransparencyReport, *, language: str) -> HttpResponse:
    response = HttpResponse(pdf_bytes(report, language=language), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "pdf")}"'
    response["Cache-Control"] = "no-store, private"
    return response
