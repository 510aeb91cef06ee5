"""Public pages: guides, self-checks and the account-free risk assessment. No JavaScript needed,
no account, nothing stored unless the person asks to keep a self-check result."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aman.core import ratelimit
from aman.core.middleware import client_token
from aman.core.pdf import render_pdf
from aman.guides import selectors, services
from aman.guides.choices import LANGUAGES, GuidePlatform, RiskLevel, Topic
from aman.guides.definitions import SelfCheck, pick, risk_questionnaire, selfcheck_get, selfcheck_platforms
from aman.guides.forms import RiskForm, SearchForm, SelfCheckForm
from aman.guides.models import GuideVersion
from aman.guides.rendering import version_html
from aman.guides.scoring import risk_register, selfcheck_score

PDF_RATE = (20, 3600)  # public PDFs per client per hour: rendering costs about a second each


def _language() -> str:
    language = translation.get_language() or "ar"
    return language if language in LANGUAGES else "ar"


def _is_rtl(language: str) -> bool:
    return language in ("ar", "ckb")


@require_GET
def guide_list(request: HttpRequest) -> HttpResponse:
    language = _language()
    form = SearchForm(request.GET or None)
    values = form.values()
    versions = selectors.guide_list_public(
        language=language, query=values["q"], topic=values["topic"], platform=values["platform"]
    )
    return render(
        request,
        "guides/list.html",
        {"form": form, "versions": versions, "query": values["q"], "topics": Topic, "language": language},
    )


@require_GET
def guide_detail(request: HttpRequest, slug: str) -> HttpResponse:
    language = _language()
    wanted = request.GET.get("lang", "")
    version = selectors.guide_get_public(slug=slug, language=wanted if wanted in LANGUAGES else language)
    if version is None:
        raise Http404
    return render(
        request,
        "guides/detail.html",
        {
            "version": version,
            "guide": version.guide,
            "body": version_html(version),
            "text_dir": "rtl" if _is_rtl(version.language) else "ltr",
            "other_language": version.language != language,
            "languages": selectors.guide_languages_public(guide=version.guide),
        },
    )


# ---------------------------------------------------------------- self-check


@require_GET
def selfcheck_index(request: HttpRequest) -> HttpResponse:
    platforms = [(code, GuidePlatform(code).label) for code in selfcheck_platforms()]
    return render(request, "guides/selfcheck_index.html", {"platforms": platforms})


def _check_or_404(platform: str) -> SelfCheck:
    check = selfcheck_get(platform)
    if check is None:
        raise Http404
    return check


def _published_slugs() -> set[str]:
    return set(GuideVersion.objects.filter(state="published").values_list("guide__slug", flat=True).distinct())


def _selfcheck_result(
    request: HttpRequest, check: SelfCheck, answers: dict[str, str], *, token: str = ""
) -> HttpResponse:
    language = _language()
    outcome = selfcheck_score(check, answers)
    slugs = _published_slugs()
    steps = [
        {
            "question": pick(q.text, language),
            "advice": pick(q.advice, language),
            "guide": q.guide if q.guide in slugs else "",
            "answer": answers.get(q.id, ""),
        }
        for q in outcome.next_steps
    ]
    return render(
        request,
        "guides/selfcheck_result.html",
        {
            "platform": check.platform,
            "platform_label": GuidePlatform(check.platform).label,
            "outcome": outcome,
            "steps": steps,
            "answers": answers,
            "token": token,
            "saved_url": request.build_absolute_uri(reverse("guides:selfcheck_saved", args=[token])) if token else "",
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def selfcheck(request: HttpRequest, platform: str) -> HttpResponse:
    check = _check_or_404(platform)
    language = _language()
    form = SelfCheckForm(request.POST if request.method == "POST" else None, check=check, language=language)
    if request.method == "POST":
        if not form.is_valid():
            return render(
                request,
                "guides/selfcheck.html",
                {"form": form, "platform": platform, "platform_label": GuidePlatform(platform).label},
                status=400,
            )
        answers = form.answers()
        if request.POST.get("save") == "1":
            token = services.selfcheck_result_save(check=check, answers=answers)
            return redirect("guides:selfcheck_saved", token=token)
        return _selfcheck_result(request, check, answers)
    return render(
        request,
        "guides/selfcheck.html",
        {"form": form, "platform": platform, "platform_label": GuidePlatform(platform).label},
    )


@never_cache
@require_GET
def selfcheck_saved(request: HttpRequest, token: str) -> HttpResponse:
    result = services.selfcheck_result_get(token=token)
    if result is None:
        raise Http404
    check = _check_or_404(result.platform)
    return _selfcheck_result(request, check, dict(result.answers), token=token)


@never_cache
@require_POST
def selfcheck_saved_delete(request: HttpRequest, token: str) -> HttpResponse:
    if not services.selfcheck_result_delete(token=token):
        raise Http404
    return render(request, "guides/selfcheck_deleted.html")


# ---------------------------------------------------------------- public risk assessment


def register_for_display(register: list[dict], language: str) -> list[dict]:
    """The register's rows with texts in ``language`` (rows keep every language)."""
    rows = []
    for row in register:
        rows.append(
            {
                **row,
                "title_text": pick(row["title"], language),
                "owner_text": pick(row["owner"], language),
                "controls_text": [pick(c, language) for c in row["controls"]],
                "level_label": RiskLevel(row["level"]).label,
            }
        )
    return rows


def risk_pdf_response(
    *, register: list[dict], language: str, organisation: str, date: object, filename: str
) -> HttpResponse:
    with translation.override(language):
        rows = register_for_display(register, language)
    pdf = render_pdf(
        template_name="guides/pdf/risk_register.html",
        context={"rows": rows, "organisation": organisation, "date": date},
        language=language,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def risk_public(request: HttpRequest) -> HttpResponse:
    questionnaire = risk_questionnaire()
    if questionnaire is None:
        raise Http404
    language = _language()
    form = RiskForm(request.POST if request.method == "POST" else None, questionnaire=questionnaire, language=language)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "guides/risk_public.html", {"form": form}, status=400)
        register = risk_register(questionnaire, form.answers())
        report_language = form.cleaned_data["report_language"]
        if request.POST.get("action") == "pdf":
            count, window = PDF_RATE
            if not ratelimit.hit(
                scope="guides-risk-pdf", ident=client_token(request), limit=count, window_seconds=window
            ):
                form.add_error(
                    None, _("Too many reports were made from this connection. Please wait a little and try again.")
                )
                return render(request, "guides/risk_public.html", {"form": form}, status=429)
            return risk_pdf_response(
                register=register,
                language=report_language,
                organisation="",
                date=timezone.localdate(),
                filename="risk-register.pdf",
            )
        return render(
            request,
            "guides/risk_public.html",
            {"form": form, "rows": register_for_display(register, language), "computed": True},
        )
    return render(request, "guides/risk_public.html", {"form": form})
