"""Console pages of aman.checks (integrations, duty, triage suggestions, moderation) and the demo page."""

import json
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aman.accounts.models import User
from aman.checks import moderation, selectors, services
from aman.checks.errors import ModerationCsvInvalid, ModerationInputInvalid, ModerationTooLarge
from aman.checks.forms import ApiKeyEditForm, ApiKeyForm, CorrectionForm, ModerationForm
from aman.checks.models import ApiKey
from aman.checks.nudges import UI_LANGUAGES
from aman.classifier import load_default
from aman.core import ratelimit
from aman.core.errors import DomainError
from aman.core.middleware import client_token
from aman.core.permissions import admin_required, role_required, staff_required

WIDGET = Path(settings.BASE_DIR) / "static" / "checks" / "aman-check.js"
DEMO_KEY_PREFIX = "demo-page"
DEMO_RATE = (60, 60)
SESSION_KEY = "checks_moderation"
supervisor_required = role_required(lambda user: user.can_see_all_cases)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


# -- integrations (admins) ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@admin_required
def integrations(request: HttpRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST or None)
    new_secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            made = services.apikey_create(acting_user=_user(request), **form.cleaned_data)
            new_secret = made.secret
            form = ApiKeyForm()
        else:
            status = 400
    keys = selectors.apikey_list_accessible(user=request.user).exclude(prefix=DEMO_KEY_PREFIX)
    rows = [(key, selectors.apikey_counts(api_key=key)["totals"]) for key in keys]
    response = render(
        request, "checks/integrations.html", {"form": form, "rows": rows, "new_secret": new_secret}, status=status
    )
    response["Cache-Control"] = "no-store"  # the new key is on this page once
    return response


def _key_or_404(request: HttpRequest, pk: int) -> ApiKey:
    key = selectors.apikey_list_accessible(user=request.user).filter(pk=pk).first()
    if key is None:
        raise Http404
    return key


@require_http_methods(["GET", "POST"])
@admin_required
def integration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    key = _key_or_404(request, pk)
    initial = {
        "allowed_origins": key.allowed_origins,
        "rate_limit": key.rate_limit,
        "store_texts": key.store_texts,
        "retention_days": key.retention_days,
    }
    form = ApiKeyEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.apikey_update(api_key=key, acting_user=_user(request), **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("checks:integration", pk=key.pk)
    counts = selectors.apikey_counts(api_key=key)
    return render(
        request,
        "checks/integration.html",
        {"key": key, "form": form, "counts": counts},
        status=400 if form.errors else 200,
    )


@require_POST
@admin_required
def integration_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = _key_or_404(request, pk)
    services.apikey_revoke(api_key=key, acting_user=_user(request))
    messages.success(request, _("The key was revoked. Sites using it can no longer call Aman."))
    return redirect("checks:integrations")


# -- duty, alerts, triage suggestions ----------------------------------------------------------


@require_POST
@supervisor_required
def duty(request: HttpRequest) -> HttpResponse:
    on_duty = request.POST.get("on_duty") == "1"
    services.duty_set(user=request.user, on_duty=on_duty, acting_user=_user(request))
    messages.success(request, _("You are on duty: critical alerts come to you.") if on_duty else _("You are off duty."))
    return redirect("cases:queue")


def _back(request: HttpRequest, reference: str) -> HttpResponse:
    return redirect("cases:case", reference=reference)


@require_POST
@staff_required
def suggestion_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = selectors.suggestion_get_accessible(user=request.user, pk=pk)
    if suggestion is None:
        raise Http404
    try:
        services.suggestion_confirm(suggestion=suggestion, acting_user=_user(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Suggestion confirmed and triage saved."))
    return _back(request, suggestion.case.reference)


@require_POST
@staff_required
def suggestion_correct(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = selectors.suggestion_get_accessible(user=request.user, pk=pk)
    if suggestion is None:
        raise Http404
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a category and an urgency."))
        return _back(request, suggestion.case.reference)
    try:
        services.suggestion_correct(suggestion=suggestion, acting_user=_user(request), **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Your triage was saved. Thank you: the correction will help the next model."))
    return _back(request, suggestion.case.reference)


@require_POST
@staff_required
def alert_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_get_accessible(user=request.user, pk=pk)
    if alert is None:
        raise Http404
    services.alert_dismiss(alert=alert, acting_user=_user(request))
    messages.success(request, _("The critical flag was dismissed."))
    return _back(request, alert.case.reference)


# -- comment moderation (helpline staff) -------------------------------------------------------


def _moderation_input(request: HttpRequest, form: ModerationForm) -> list[str]:
    upload = form.cleaned_data.get("csv_file")
    try:
        if upload is not None:
            if upload.size is not None and upload.size > moderation.MAX_BYTES:
                raise moderation.InputError("too_large")
            return moderation.parse_csv(upload.read(moderation.MAX_BYTES + 1))
        return moderation.parse_paste(form.cleaned_data.get("comments") or "")
    except moderation.InputError as exc:
        errors: dict[str, type[DomainError]] = {
            "too_large": ModerationTooLarge,
            "csv_invalid": ModerationCsvInvalid,
        }
        raise errors.get(exc.code, ModerationInputInvalid)() from None


@require_http_methods(["GET", "POST"])
@staff_required
def moderation_page(request: HttpRequest) -> HttpResponse:
    form = ModerationForm(request.POST or None, request.FILES or None)
    status = 200
    rows = request.session.get(SESSION_KEY) if request.method == "GET" and request.GET.get("keep") else None
    if request.method == "POST":
        if request.POST.get("clear"):
            request.session.pop(SESSION_KEY, None)
            return redirect("checks:moderation")
        if form.is_valid():
            try:
                texts = _moderation_input(request, form)
            except DomainError as exc:
                form.add_error(None, str(exc.message))
                status = exc.status
            else:
                comments = moderation.moderate(texts, load_default().classify_posts)
                rows = [c.to_dict() for c in comments]
                request.session[SESSION_KEY] = rows
                services.moderation_record(acting_user=_user(request), comments=len(rows))
        else:
            status = 400
    elif not request.GET.get("keep"):
        rows = request.session.get(SESSION_KEY)
    flagged = sum(1 for r in rows or [] if r["action"])
    return render(request, "checks/moderation.html", {"form": form, "rows": rows, "flagged": flagged}, status=status)


@require_GET
@staff_required
def moderation_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "json"):
        raise Http404
    rows = request.session.get(SESSION_KEY)
    if not rows:
        messages.error(request, _("Nothing to export yet: paste or import comments first."))
        return redirect("checks:moderation")
    which = request.GET.get("which", "flagged")
    comments = [moderation.Comment(**{**r, "labels": tuple(r["labels"])}) for r in rows]
    if which != "all":
        comments = [c for c in comments if c.action]
    services.moderation_record(
        acting_user=_user(request), comments=len(rows), exported=len(comments), export_format=fmt
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = HttpResponse(moderation.export_csv(comments), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(moderation.export_json(comments), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="aman-moderation-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


# -- the widget and its demo -------------------------------------------------------------------


@require_GET
def widget_js(request: HttpRequest) -> HttpResponse:
    """The widget at a stable address (/checks/widget.js), for embed snippets."""
    response = HttpResponse(WIDGET.read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@require_GET
def demo(request: HttpRequest) -> HttpResponse:
    return render(request, "checks/demo.html", {"ui_languages": UI_LANGUAGES})


def _demo_key() -> ApiKey:
    key, _created = ApiKey.objects.get_or_create(
        prefix=DEMO_KEY_PREFIX,
        defaults={"name": "Aman demo page", "key_hash": "demo-page-has-no-secret", "allowed_origins": ""},
    )
    return key


def _json_body(request: HttpRequest) -> dict[str, Any]:
    if len(request.body) > 64 * 1024:
        raise ModerationTooLarge()
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


@csrf_exempt  # same-origin JSON with no session state; rate-limited per connection
@require_POST
def demo_check(request: HttpRequest) -> JsonResponse:
    """The demo page's own check (no key in the page); the same service as the API."""
    if not ratelimit.hit(scope="checks-demo", ident=client_token(request), limit=DEMO_RATE[0], window_seconds=60):
        return JsonResponse({"code": "rate_limited"}, status=429)
    data = _json_body(request)
    text = data.get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > 10_000 or "\x00" in text:
        return JsonResponse({"code": "invalid"}, status=400)
    ui = str(data["ui_language"]) if data.get("ui_language") in UI_LANGUAGES else str(request.LANGUAGE_CODE)
    profile = "official" if data.get("profile") == "official" else "default"
    result = services.check_run(api_key=_demo_key(), text=text, language=None, profile=profile, ui_language=ui)
    return JsonResponse(result.body)


@csrf_exempt
@require_POST
def demo_outcome(request: HttpRequest) -> JsonResponse:
    if not ratelimit.hit(scope="checks-demo", ident=client_token(request), limit=DEMO_RATE[0], window_seconds=60):
        return JsonResponse({"code": "rate_limited"}, status=429)
    data = _json_body(request)
    if data.get("outcome") not in ("shown", "edited", "posted_anyway") or not isinstance(data.get("check_id"), str):
        return JsonResponse({"code": "invalid"}, status=400)
    try:
        counted = services.check_outcome_record(
            api_key=_demo_key(), check_id=data["check_id"][:300], outcome=data["outcome"]
        )
    except DomainError as exc:
        return JsonResponse({"code": exc.code}, status=exc.status)
    return JsonResponse({"counted": counted})


@require_POST
def demo_post(request: HttpRequest) -> HttpResponse:
    """Where the demo form goes: nothing is kept; it says the comment would now be published."""
    messages.success(request, _("Demo: your comment would now be published. Nothing was kept."))
    return redirect("checks:demo")
