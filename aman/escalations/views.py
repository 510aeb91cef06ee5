"""Escalations in the console: create and preview, send, approve, retry, outcomes, lists, the
partner registry and the response-time report. Views parse, call one service, render."""

from __future__ import annotations

import csv
from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aman.accounts.models import User
from aman.audit.events import EventType
from aman.audit.services import audit_record
from aman.cases.models import Case
from aman.cases.selectors import case_get_accessible
from aman.core.errors import DomainError
from aman.core.permissions import admin_required, role_required, staff_required
from aman.core.spreadsheet import csv_safe
from aman.escalations import selectors, services
from aman.escalations.forms import (
    EscalationForm,
    ManualSentForm,
    OutcomeForm,
    PartnerForm,
    PartnerTokenForm,
    ReasonForm,
    SendForm,
    TransparencyPeriodForm,
)
from aman.escalations.models import DECISION_OUTCOMES, Channel, Escalation, EscalationOutcome, Partner, PartnerToken
from aman.escalations.rechecks import CHECKED_STATUSES, escalation_recheck_request, recheck_links
from aman.escalations.services import NO_FILES, consent_given
from aman.escalations.tokens import partner_token_create, partner_token_revoke

supervisor_required = role_required(lambda user: user.can_see_all_cases)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _case(request: HttpRequest, reference: str) -> Case:
    case = case_get_accessible(user=request.user, reference=reference)
    if case is None:
        raise Http404
    return case


def _escalation(request: HttpRequest, escalation_id: int) -> Escalation:
    escalation = selectors.escalation_get_accessible(user=request.user, escalation_id=escalation_id)
    if escalation is None:
        raise Http404
    return escalation


def _to_detail(escalation: Escalation) -> HttpResponse:
    return redirect("escalations:detail", escalation_id=escalation.pk)


def _form_for(request: HttpRequest, case: Case, data: Any = None) -> EscalationForm:
    from aman.evidence.selectors import evidence_list

    evidence = list(evidence_list(user=request.user, case=case).filter(purged_at__isnull=True))
    if case.category in NO_FILES:
        evidence = []
    partners = selectors.partners_active(user=request.user)
    initial: dict[str, Any] = {"policy_category": case.category, "items": [i.pk for i in case.items.all()]}
    suggested = next((p for p in partners if set(p.platform_list) & set(case.platform_list)), None)
    if suggested is not None:
        initial["partner"] = suggested.pk
    return EscalationForm(data, partners=partners, items=list(case.items.all()), evidence=evidence, initial=initial)


@require_http_methods(["GET", "POST"])
@staff_required
def escalation_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    form = _form_for(request, case, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            escalation = services.escalation_create(
                case=case,
                partner=data["partner"],
                policy_category=data["policy_category"],
                partner_policy=data["partner_policy"],
                language=data["language"],
                item_ids=data["items"],
                evidence_ids=data["evidence"],
                explanation=data["explanation"],
                override_reason=data["override_reason"],
                include_contact=data["include_contact"],
                contact_reason=data["contact_reason"],
                acting_user=_user(request),
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Draft saved. Read the notice below: this is exactly what will be sent."))
            return _to_detail(escalation)
    partners = list(selectors.partners_active(user=request.user))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "escalations/new.html",
        {"case": case, "form": form, "partners": partners, "consents": _consents(case, partners)},
        status=status,
    )


def _consents(case: Case, partners: list[Partner]) -> dict[int, bool]:
    return {p.pk: consent_given(case=case, partner=p) for p in partners}


@require_GET
@staff_required
def escalation_detail(request: HttpRequest, escalation_id: int) -> HttpResponse:
    escalation = _escalation(request, escalation_id)
    return _render_detail(request, escalation)


def _render_detail(request: HttpRequest, escalation: Escalation, status: int = 200, **forms: Any) -> HttpResponse:
    from aman.escalations.payload import escalation_report_items

    return render(
        request,
        "escalations/detail.html",
        {
            "escalation": escalation,
            "case": escalation.case,
            "partner": escalation.partner,
            "items": escalation_report_items(escalation),
            "evidence": list(escalation.evidence.all()),
            "deliveries": list(escalation.deliveries.all()),
            "link_checks": selectors.link_checks_for(escalation=escalation),
            "statements": selectors.statements_for(escalation=escalation),
            "can_recheck": escalation.status in CHECKED_STATUSES and bool(recheck_links(escalation)),
            "can_appeal": escalation.status == "closed" and escalation.outcome in DECISION_OUTCOMES,
            "consent": consent_given(case=escalation.case, partner=escalation.partner),
            "send_form": forms.get("send_form") or SendForm(),
            "manual_form": forms.get("manual_form") or ManualSentForm(),
            "outcome_form": forms.get("outcome_form") or OutcomeForm(),
            "cancel_form": ReasonForm(),
            "is_manual": escalation.partner.channel == Channel.MANUAL,
            "now": timezone.now(),
        },
        status=status,
    )


def _act(request: HttpRequest, escalation: Escalation, call: Any, success: str) -> HttpResponse:
    try:
        call()
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, success)
    return _to_detail(escalation)


@require_POST
@staff_required
def escalation_send(request: HttpRequest, escalation_id: int) -> HttpResponse:
    escalation = _escalation(request, escalation_id)
    form = SendForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, escalation, status=400, send_form=form)
    return _act(
        request,
        escalation,
        lambda: services.escalation_send(
            escalation=escalation, acting_user=_user(request), override_reason=form.cleaned_data["override_reason"]
        ),
        _("Done. The escalation's status below shows where it is."),
    )


@require_POST
@supervisor_required
def escalation_approve(request: HttpRequest, escalation_id: int) -> HttpResponse:
    escalation = _escalation(request, escalation_id)
    return _act(
        request,
        escalation,
        lambda: services.escalation_approve(escalation=escalation, acting_user=_user(request)),
        _("Approved and queued for sending."),
    )


@require_POST
@staff_required
def escalation_retry(request: HttpRequest, escalation_id: int) -> HttpResponse:
    escalation = _escalation(request, escalation_id)
    return _act(
        request,
        escalation,
        lambda: services.escalation_retry(escalation=escalation, acting_user=_user(request)),
        _("Queued for sending again."),
    )


@require_POST
@staff_required
def escalation_cancel(request: HttpRequest, escalation_id: int) -> HttpResponse:
    escalation = _escalation(request, escalation_id)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        escalation,
        lambda: services.escalation_cancel(escalation=escalation, acting_user=_user(request), reason=reason),
        _("Escalation cancelled."),
    )


@require_POST
@staff_required
def escalation_manual_sent(request: HttpRequest, escalation_id: int) -> HttpResponse:
    escalation = _escalation(request, escalation_id)
    form = ManualSentForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, escalation, status=400, manual_form=form)
    return _act(
        request,
        escalation,
        lambda: services.escalation_mark_sent(
            escalation=escalation,
            acting_user=_user(request),
            partner_reference=form.cleaned_data["partner_reference"],
        ),
        _("Recorded as sent. The partner's clock has started."),
    )


@require_POST
@staff_required
def escalation_outcome(request: HttpRequest, escalation_id: int) -> HttpResponse:
    escalation = _escalation(request, escalation_id)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, escalation, status=400, outcome_form=form)
    data = form.cleaned_data
    return _act(
        request,
        escalation,
        lambda: services.escalation_outcome_record(
            escalation=escalation,
            acting_user=_user(request),
            outcome=data["outcome"],
            partner_reference=data["partner_reference"],
            actioned_at=data["actioned_at"],
            statement=form.statement(),
        ),
        _("The partner's answer is recorded."),
    )


@require_POST
@staff_required
def escalation_recheck(request: HttpRequest, escalation_id: int) -> HttpResponse:
    escalation = _escalation(request, escalation_id)
    return _act(
        request,
        escalation,
        lambda: escalation_recheck_request(escalation=escalation, acting_user=_user(request)),
        _("The links are being checked. The answers appear below in a moment."),
    )


@require_GET
@staff_required
def escalation_pdf(request: HttpRequest, escalation_id: int) -> HttpResponse:
    """The notice (and, for the police, the consented case facts) as a PDF, for web forms."""
    from aman.escalations.payload import escalation_report_items, handoff_pdf, police_facts

    escalation = _escalation(request, escalation_id)
    if escalation.status in ("draft", "awaiting_approval", "cancelled"):
        raise Http404
    facts = police_facts(escalation) if escalation.partner.is_police else None
    data = handoff_pdf(escalation, facts, escalation_report_items(escalation))
    audit_record(
        event_type=EventType.CASE_EXPORTED,
        actor=request.user,
        case=escalation.case,
        data={"escalation": escalation.pk, "format": "pdf"},
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{escalation.case.reference}-E{escalation.pk}.pdf"'
    response["Cache-Control"] = "no-store, private"
    return response


@require_GET
@staff_required
def escalation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "escalations/list.html",
        {"lists": selectors.console_lists(user=request.user), "now": timezone.now()},
    )


REPORT_COLUMNS = ["partner", "sent", "answered", "median_hours", "p90_hours", "breached"]


@require_GET
@supervisor_required
def response_report(request: HttpRequest) -> HttpResponse:
    rows = selectors.response_report(user=request.user)
    if request.GET.get("format") == "csv":
        audit_record(event_type=EventType.ESCALATION_REPORT_EXPORTED, actor=request.user, data={"rows": len(rows)})
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="aman-partner-response-times.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(REPORT_COLUMNS + [f"share_{code}_percent" for code in EscalationOutcome.values])
        for f in rows:
            writer.writerow(
                [csv_safe(f.partner.name), f.sent, f.answered, f.median_hours, f.p90_hours, f.breached]
                + [f.share(code) for code in EscalationOutcome.values]
            )
        return response
    return render(request, "escalations/report.html", {"rows": rows, "outcomes": EscalationOutcome.choices})


@require_GET
@admin_required
def partner_list(request: HttpRequest) -> HttpResponse:
    return render(request, "escalations/partners.html", {"partners": selectors.partners_all(user=request.user)})


@require_http_methods(["GET", "POST"])
@admin_required
def partner_edit(request: HttpRequest, partner_id: int | None = None) -> HttpResponse:
    partner = None
    if partner_id is not None:
        partner = selectors.partners_all(user=request.user).filter(pk=partner_id).first()
        if partner is None:
            raise Http404
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "webhook_secret"}
        try:
            saved = services.partner_save(
                partner=Partner.objects.get(pk=partner.pk) if partner else None,
                data=data,
                webhook_secret=form.cleaned_data.get("webhook_secret", ""),
                acting_user=_user(request),
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Partner saved."))
            return redirect("escalations:partner", partner_id=saved.pk)
    status = 400 if request.method == "POST" else 200
    return _render_partner(request, form, partner, status=status)


def _render_partner(
    request: HttpRequest, form: PartnerForm, partner: Partner | None, status: int = 200, **extra: Any
) -> HttpResponse:
    tokens = list(partner.tokens.order_by("-created_at", "-id")) if partner else []
    response = render(
        request,
        "escalations/partner_form.html",
        {"form": form, "partner": partner, "tokens": tokens, "token_form": PartnerTokenForm(), **extra},
        status=status,
    )
    response["Cache-Control"] = "no-store, private"  # a new token is on the page once
    return response


def _admin_partner(request: HttpRequest, partner_id: int) -> Partner:
    partner = selectors.partners_all(user=request.user).filter(pk=partner_id).first()
    if partner is None:
        raise Http404
    return partner


@require_POST
@admin_required
def partner_token_new(request: HttpRequest, partner_id: int) -> HttpResponse:
    """Make a partner API token and show it once, on this answer only."""
    partner = _admin_partner(request, partner_id)
    form = PartnerTokenForm(request.POST)
    if not form.is_valid():
        return _render_partner(request, PartnerForm(instance=partner), partner, status=400, token_form=form)
    created = partner_token_create(partner=partner, label=form.cleaned_data["label"], acting_user=_user(request))
    return _render_partner(request, PartnerForm(instance=partner), partner, new_token=created.secret)


@require_POST
@admin_required
def partner_token_revoke_view(request: HttpRequest, partner_id: int, token_id: int) -> HttpResponse:
    partner = _admin_partner(request, partner_id)
    token = PartnerToken.objects.filter(partner=partner, pk=token_id).first()
    if token is None:
        raise Http404
    partner_token_revoke(token=token, acting_user=_user(request))
    messages.success(request, _("Token revoked. Calls with it are refused from now on."))
    return redirect("escalations:partner", partner_id=partner.pk)


# --- the transparency report ------------------------------------------------------------------


def _period(request: HttpRequest) -> tuple[TransparencyPeriodForm, Any]:
    today = timezone.localdate()
    data = request.GET if "start" in request.GET or "end" in request.GET else None
    form = TransparencyPeriodForm(data, initial={"start": today.replace(day=1), "end": today})
    if data is None:
        return form, (today.replace(day=1), today)
    if form.is_valid():
        return form, (form.cleaned_data["start"], form.cleaned_data["end"])
    return form, None


@require_GET
@supervisor_required
def transparency_report(request: HttpRequest) -> HttpResponse:
    """Counts by partner × category × outcome for a period, with time to action; CSV and PDF."""
    from aman.escalations import transparency

    form, period = _period(request)
    report = None
    if period is not None:
        start, end = transparency.period_bounds(*period)
        report = selectors.transparency_report(user=request.user, start=start, end=end)
    export = request.GET.get("format", "")
    if report is not None and export in ("csv", "pdf"):
        audit_record(
            event_type=EventType.ESCALATION_REPORT_EXPORTED,
            actor=request.user,
            data={"report": "transparency", "format": export, "rows": len(report.rows)},
        )
        if export == "csv":
            return transparency.csv_response(report)
        return transparency.pdf_response(report, language=translation.get_language() or "ar")
    return render(
        request,
        "escalations/transparency.html",
        {"form": form, "report": report, "query": request.GET.urlencode()},
        status=200 if period is not None else 400,
    )
