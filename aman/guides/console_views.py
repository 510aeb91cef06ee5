"""Staff pages: guides (write drafts, review, publish), sending a guide on a case, and the
official-account risk assessments per organisation."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aman.accounts.models import User
from aman.cases.selectors import case_get_accessible
from aman.core.errors import DomainError
from aman.guides import selectors, services
from aman.guides.choices import LANGUAGES, VersionState
from aman.guides.definitions import RiskQuestionnaire, pick, risk_questionnaire
from aman.guides.forms import (
    LANGUAGE_NAMES,
    GuideCreateForm,
    GuideMetaForm,
    GuideTextForm,
    OrganisationForm,
    RiskForm,
    SendGuideForm,
)
from aman.guides.models import Guide, GuideVersion
from aman.guides.permissions import assessor_required, can_publish_guides, guide_writer_required
from aman.guides.rendering import render_markdown, version_html
from aman.guides.scoring import register_compare
from aman.guides.views import _language, register_for_display, risk_pdf_response


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _guide_or_404(request: HttpRequest, slug: str) -> Guide:
    guide = selectors.guide_get_for_staff(user=request.user, slug=slug)
    if guide is None:
        raise Http404
    return guide


def _language_or_404(language: str) -> str:
    if language not in LANGUAGES:
        raise Http404
    return language


# ---------------------------------------------------------------- guides


@require_GET
@guide_writer_required
def guide_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.guide_list_for_staff(user=request.user)
    return render(
        request,
        "guides/console/list.html",
        {
            "rows": rows,
            "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
            "can_publish": can_publish_guides(request.user),
            "create_form": GuideCreateForm() if can_publish_guides(request.user) else None,
        },
    )


@require_POST
@guide_writer_required
def guide_create(request: HttpRequest) -> HttpResponse:
    if not can_publish_guides(request.user):
        raise PermissionDenied
    form = GuideCreateForm(request.POST)
    if not form.is_valid():
        rows = selectors.guide_list_for_staff(user=request.user)
        return render(
            request,
            "guides/console/list.html",
            {
                "rows": rows,
                "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
                "can_publish": True,
                "create_form": form,
            },
            status=400,
        )
    try:
        guide = services.guide_create(acting_user=_user(request), **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("guides:console_list")
    messages.success(request, _("Guide created. Now write its text in each language."))
    return redirect("guides:console_guide", slug=guide.slug)


def _guide_page(request: HttpRequest, guide: Guide, status: int = 200, meta_form: Any = None) -> HttpResponse:
    rows = []
    for code in LANGUAGES:
        versions = selectors.guide_versions_for_staff(user=request.user, guide=guide, language=code)
        rows.append({"code": code, "name": LANGUAGE_NAMES[code], "versions": versions[:10], "count": len(versions)})
    meta_form = meta_form or GuideMetaForm(
        initial={
            "topic": guide.topic,
            "platforms": guide.platform_list,
            "categories": guide.category_list,
            "order": guide.order,
        }
    )
    return render(
        request,
        "guides/console/guide.html",
        {"guide": guide, "rows": rows, "meta_form": meta_form, "can_publish": can_publish_guides(request.user)},
        status=status,
    )


@require_GET
@guide_writer_required
def guide_page(request: HttpRequest, slug: str) -> HttpResponse:
    return _guide_page(request, _guide_or_404(request, slug))


@require_POST
@guide_writer_required
def guide_meta(request: HttpRequest, slug: str) -> HttpResponse:
    guide = _guide_or_404(request, slug)
    if not can_publish_guides(request.user):
        raise PermissionDenied
    form = GuideMetaForm(request.POST)
    if not form.is_valid():
        return _guide_page(request, guide, status=400, meta_form=form)
    services.guide_update(guide=guide, acting_user=_user(request), **form.cleaned_data)
    messages.success(request, _("Guide details saved."))
    return redirect("guides:console_guide", slug=guide.slug)


@require_http_methods(["GET", "POST"])
@guide_writer_required
def guide_edit(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    guide = _guide_or_404(request, slug)
    language = _language_or_404(language)
    versions = selectors.guide_versions_for_staff(user=request.user, guide=guide, language=language)
    latest = versions[0] if versions else None
    if request.method == "POST":
        form = GuideTextForm(request.POST)
        preview = ""
        if form.is_valid():
            if request.POST.get("action") == "preview":
                preview = render_markdown(form.cleaned_data["body_markdown"])
            else:
                version = services.guide_draft_save(
                    guide=guide, language=language, acting_user=_user(request), **form.cleaned_data
                )
                messages.success(request, _("Draft saved as version %(number)s.") % {"number": version.number})
                return redirect("guides:console_version", slug=guide.slug, language=language, number=version.number)
        status = 200 if preview else 400
        return render(
            request,
            "guides/console/edit.html",
            {
                "guide": guide,
                "language": language,
                "language_name": LANGUAGE_NAMES[language],
                "form": form,
                "latest": latest,
                "preview": preview,
            },
            status=status,
        )
    initial = {}
    if latest is not None:
        initial = {"title": latest.title, "summary": latest.summary, "body_markdown": latest.body_markdown}
    return render(
        request,
        "guides/console/edit.html",
        {
            "guide": guide,
            "language": language,
            "language_name": LANGUAGE_NAMES[language],
            "form": GuideTextForm(initial=initial),
            "latest": latest,
        },
    )


def _version_or_404(request: HttpRequest, slug: str, language: str, number: int) -> GuideVersion:
    guide = _guide_or_404(request, slug)
    version = selectors.version_get_for_staff(
        user=request.user, guide=guide, language=_language_or_404(language), number=number
    )
    if version is None:
        raise Http404
    return version


@require_GET
@guide_writer_required
def version_page(request: HttpRequest, slug: str, language: str, number: int) -> HttpResponse:
    version = _version_or_404(request, slug, language, number)
    newest = selectors.guide_versions_for_staff(user=request.user, guide=version.guide, language=version.language)[0]
    return render(
        request,
        "guides/console/version.html",
        {
            "version": version,
            "guide": version.guide,
            "body": version_html(version),
            "text_dir": "rtl" if version.language in ("ar", "ckb") else "ltr",
            "is_latest": newest.pk == version.pk,
            "can_publish": can_publish_guides(request.user),
            "can_review": version.state == VersionState.DRAFT,
            "can_make_public": version.state in (VersionState.DRAFT, VersionState.REVIEWED),
        },
    )


@require_POST
@guide_writer_required
def version_review(request: HttpRequest, slug: str, language: str, number: int) -> HttpResponse:
    version = _version_or_404(request, slug, language, number)
    if not can_publish_guides(request.user):
        raise PermissionDenied
    try:
        services.guide_version_review(version=version, acting_user=_user(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Marked as reviewed."))
    return redirect("guides:console_version", slug=slug, language=language, number=number)


@require_POST
@guide_writer_required
def version_publish(request: HttpRequest, slug: str, language: str, number: int) -> HttpResponse:
    version = _version_or_404(request, slug, language, number)
    if not can_publish_guides(request.user):
        raise PermissionDenied
    try:
        services.guide_version_publish(version=version, acting_user=_user(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Published. The public now sees this version."))
    return redirect("guides:console_version", slug=slug, language=language, number=number)


@require_POST
@guide_writer_required
def send_guide(request: HttpRequest, reference: str) -> HttpResponse:
    """One click on the case page: a message to the reporter with the guide, in the case's language."""
    case = case_get_accessible(user=request.user, reference=reference)
    if case is None:
        raise Http404
    form = SendGuideForm(request.POST)
    version = None
    if form.is_valid():
        version = selectors.guide_get_public(slug=form.cleaned_data["guide"], language=case.language)
    if version is None or version.language != case.language:
        messages.error(request, _("This guide is not published in the reporter's language yet."))
        return redirect("cases:case", reference=case.reference)
    link = request.build_absolute_uri(reverse("guides:detail", args=[version.guide.slug])) + f"?lang={case.language}"
    try:
        services.guide_send_to_case(case=case, version=version, link=link, acting_user=_user(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Guide sent. The reporter reads it with their code."))
    return redirect("cases:case", reference=case.reference)


# ---------------------------------------------------------------- assessments


def _questionnaire() -> RiskQuestionnaire:
    questionnaire = risk_questionnaire()
    if questionnaire is None:
        raise Http404
    return questionnaire


def _organisation_or_404(request: HttpRequest, pk: int) -> Any:
    organisation = selectors.organisation_get_accessible(user=request.user, pk=pk)
    if organisation is None:
        raise Http404
    return organisation


@require_http_methods(["GET", "POST"])
@assessor_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(acting_user=_user(request), **form.cleaned_data)
        messages.success(request, _("Organisation added."))
        return redirect("guides:console_organisation", pk=organisation.pk)
    organisations = selectors.organisation_list_accessible(user=request.user)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "guides/console/organisations.html", {"organisations": organisations, "form": form}, status=status
    )


@require_GET
@assessor_required
def organisation_page(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request, pk)
    assessments = list(selectors.assessment_list_for(user=request.user, organisation=organisation))
    language = _language()
    comparison = []
    if len(assessments) >= 2:
        comparison = [
            {**row, "title_text": pick(row["title"], language)}
            for row in register_compare(assessments[1].register, assessments[0].register)
        ]
    return render(
        request,
        "guides/console/organisation.html",
        {
            "organisation": organisation,
            "assessments": assessments,
            "comparison": comparison,
            "latest": assessments[0] if assessments else None,
            "previous": assessments[1] if len(assessments) >= 2 else None,
        },
    )


@require_http_methods(["GET", "POST"])
@assessor_required
def assessment_new(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request, pk)
    questionnaire = _questionnaire()
    form = RiskForm(
        request.POST if request.method == "POST" else None, questionnaire=questionnaire, language=_language()
    )
    if request.method == "POST":
        if form.is_valid():
            assessment = services.assessment_create(
                organisation=organisation,
                questionnaire=questionnaire,
                answers=form.answers(),
                language=form.cleaned_data["report_language"],
                acting_user=_user(request),
            )
            messages.success(request, _("Assessment saved."))
            return redirect("guides:console_assessment", pk=assessment.pk)
        return render(
            request, "guides/console/assessment_new.html", {"organisation": organisation, "form": form}, status=400
        )
    return render(request, "guides/console/assessment_new.html", {"organisation": organisation, "form": form})


def _assessment_or_404(request: HttpRequest, pk: int) -> Any:
    assessment = selectors.assessment_get_accessible(user=request.user, pk=pk)
    if assessment is None:
        raise Http404
    return assessment


@require_GET
@assessor_required
def assessment_page(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_or_404(request, pk)
    return render(
        request,
        "guides/console/assessment.html",
        {"assessment": assessment, "rows": register_for_display(assessment.register, _language())},
    )


@require_GET
@assessor_required
def assessment_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_or_404(request, pk)
    services.assessment_export_record(assessment=assessment, acting_user=_user(request))
    return risk_pdf_response(
        register=assessment.register,
        language=assessment.language,
        organisation=assessment.organisation.name,
        date=assessment.created_at.date(),
        filename=f"risk-register-{assessment.pk}.pdf",
    )
