"""The reporter's portal. Every page works without JavaScript."""

import logging
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from aman.cases.choices import Source
from aman.cases.models import Case
from aman.cases.states import REPORTER_STATUS
from aman.core import ratelimit
from aman.core.middleware import client_token
from aman.core.models import EmergencyNumber
from aman.evidence.services import AddResult, Rejection, evidence_files_add
from aman.guides.selectors import guides_for_category
from aman.intake import services
from aman.intake.forms import AddItemsForm, ConsentForm, EvidenceForm, FollowUpForm, ReplyForm, ReportForm

SESSION_KEY = "reporter_case"
logger = logging.getLogger(__name__)


def _emergency_numbers(language: str) -> list[tuple[str, str]]:
    return [(n.label_for(language), n.number) for n in EmergencyNumber.objects.filter(active=True)]


def _attach_evidence(case: Case, files: list[Any]) -> AddResult:
    """Store the reporter's files after the report is safe; a failure here never loses the report."""
    if not files:
        return AddResult()
    try:
        return evidence_files_add(case=case, files=files, by_reporter=True)
    except Exception:
        logger.exception("evidence for %s could not be stored; the report itself is saved", case.reference)
        failed = AddResult()
        for upload in files:
            failed.rejected.append(
                Rejection(
                    getattr(upload, "name", "") or "",
                    "storage_unavailable",
                    _(
                        "We could not store this file just now. Your report is saved: "
                        "please add the file later with your code."
                    ),
                )
            )
        return failed


def home(request: HttpRequest) -> HttpResponse:
    language = translation.get_language()
    return render(request, "intake/home.html", {"emergency_numbers": _emergency_numbers(language)})


@never_cache
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    language = translation.get_language()
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        count, window = ratelimit.parse_rate(settings.AMAN_REPORT_RATE)
        allowed = ratelimit.hit(
            scope="report",
            ident=client_token(request),
            limit=count,
            window_seconds=window,
        )
        if not allowed:
            form.add_error(
                None, _("Too many reports were sent from this connection. Please wait a little and try again.")
            )
        elif form.is_valid():
            try:
                submission = services.report_submit(data=form.to_input(language=language, source=Source.PORTAL))
            except DatabaseError:
                logger.exception("A report could not be stored; the reporter was asked to send it again")
                form.add_error(
                    None,
                    _(
                        "We could not save your report just now. Nothing you wrote is lost: "
                        "please press “Send my report” again in a moment."
                    ),
                )
                return render(request, "intake/report.html", {"form": form}, status=503)
            attached = _attach_evidence(submission.case, form.cleaned_data.get("evidence") or [])
            return render(
                request,
                "intake/submitted.html",
                {
                    "reference": submission.case.reference,
                    "code": submission.follow_up_code,
                    "case": submission.case,
                    "emergency_numbers": _emergency_numbers(language),
                    "category_guides": guides_for_category(submission.case.category, language),
                    "evidence_added": len(attached.added),
                    "evidence_rejected": attached.rejected,
                },
            )
        return render(request, "intake/report.html", {"form": form}, status=400)
    return render(request, "intake/report.html", {"form": ReportForm()})


@never_cache
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest) -> HttpResponse:
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = services.followup_authenticate(
            reference=form.cleaned_data["reference"],
            code=form.cleaned_data["code"],
            client_token=client_token(request),
        )
        if case is not None:
            request.session.cycle_key()
            request.session[SESSION_KEY] = case.pk
            request.session.set_expiry(0)
            return redirect("intake:follow_up_case")
        form.add_error(
            None,
            _(
                "We could not open a report with this reference and code. Check both and try again. "
                "After several wrong tries you will need to wait a few minutes."
            ),
        )
    status = 400 if request.method == "POST" else 200
    return render(request, "intake/follow_up.html", {"form": form}, status=status)


def _reporter_case(request: HttpRequest) -> Case | None:
    case_id = request.session.get(SESSION_KEY)
    if not case_id:
        return None
    return Case.objects.filter(pk=case_id).first()


def _case_page(request: HttpRequest, case: Case, status: int = 200, **forms: object) -> HttpResponse:
    context = {
        "case": case,
        "status_text": REPORTER_STATUS.get(case.status, ""),
        "messages_list": case.messages.all(),
        "items": case.items.all(),
        "reply_form": forms.get("reply_form") or ReplyForm(),
        "items_form": forms.get("items_form") or AddItemsForm(),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "evidence_count": case.evidence.filter(purged_at__isnull=True).count(),
        "evidence_rejected": forms.get("evidence_rejected") or [],
        "consent_form": forms.get("consent_form")
        or ConsentForm(
            initial={
                "consent_platform": case.consent_platform,
                "consent_police": case.consent_police,
                "consent_hotline": case.consent_hotline,
            }
        ),
    }
    return render(request, "intake/case.html", context, status=status)


@never_cache
@require_http_methods(["GET"])
def follow_up_case(request: HttpRequest) -> HttpResponse:
    case = _reporter_case(request)
    if case is None:
        return redirect("intake:follow_up")
    services.followup_view_record(case=case)
    return _case_page(request, case)


@never_cache
@require_POST
def follow_up_reply(request: HttpRequest) -> HttpResponse:
    case = _reporter_case(request)
    if case is None:
        return redirect("intake:follow_up")
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, status=400, reply_form=form)
    services.reporter_reply(case=case, body=form.cleaned_data["message"])
    return HttpResponseRedirect(reverse("intake:follow_up_case") + "#messages")


@never_cache
@require_POST
def follow_up_items(request: HttpRequest) -> HttpResponse:
    case = _reporter_case(request)
    if case is None:
        return redirect("intake:follow_up")
    form = AddItemsForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, status=400, items_form=form)
    services.reporter_items_add(case=case, items=form.cleaned_data["items"])
    return HttpResponseRedirect(reverse("intake:follow_up_case") + "#links")


@never_cache
@require_POST
def follow_up_evidence(request: HttpRequest) -> HttpResponse:
    case = _reporter_case(request)
    if case is None:
        return redirect("intake:follow_up")
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _case_page(request, case, status=400, evidence_form=form)
    result = _attach_evidence(case, form.cleaned_data["evidence"])
    if result.rejected:
        return _case_page(request, case, status=400 if not result.added else 200, evidence_rejected=result.rejected)
    return HttpResponseRedirect(reverse("intake:follow_up_case") + "#evidence")


@never_cache
@require_POST
def follow_up_consent(request: HttpRequest) -> HttpResponse:
    case = _reporter_case(request)
    if case is None:
        return redirect("intake:follow_up")
    form = ConsentForm(request.POST)
    if not form.is_valid():  # pragma: no cover - booleans cannot be invalid
        return _case_page(request, case, status=400, consent_form=form)
    services.reporter_consent_update(
        case=case,
        platform=form.cleaned_data["consent_platform"],
        police=form.cleaned_data["consent_police"],
        hotline=form.cleaned_data["consent_hotline"],
    )
    return HttpResponseRedirect(reverse("intake:follow_up_case") + "#consent")


@require_POST
def follow_up_leave(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    return redirect("intake:home")


def set_language(request: HttpRequest, code: str) -> HttpResponse:
    """Switch language with a plain link (no JavaScript needed); remembered in a cookie."""
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if code in {c for c, _ in settings.LANGUAGES}:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=365 * 24 * 3600,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response
