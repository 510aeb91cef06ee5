"""Console pages for hash banks, and the reporter's "protect my image" page. Views parse, call one service, render."""

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aman.accounts.models import User
from aman.audit.events import EventType
from aman.audit.services import audit_record
from aman.cases.choices import Source
from aman.cases.models import Case
from aman.cases.selectors import case_get_accessible
from aman.core import ratelimit
from aman.core.errors import DomainError
from aman.core.middleware import client_token
from aman.core.permissions import role_required, staff_required
from aman.evidence.selectors import evidence_get
from aman.hashbanks import case_services, errors, selectors, services
from aman.hashbanks.forms import (
    ATTACH_EXISTING,
    BankEditForm,
    BankForm,
    CaseLoginForm,
    HashAddForm,
    ImportForm,
    LookupForm,
    ProtectForm,
    WithdrawForm,
)
from aman.hashbanks.matching import hashbank_match
from aman.hashbanks.models import BankedHash, HashBank
from aman.intake.services import ReportInput, followup_authenticate, report_submit
from aman.intake.views import SESSION_KEY as REPORTER_SESSION_KEY

manager_required = role_required(selectors.can_manage_banks)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _bank_or_404(request: HttpRequest, bank_id: int) -> HashBank:
    bank = selectors.bank_get_accessible(user=request.user, bank_id=bank_id)
    if bank is None:
        raise Http404
    return bank


def _hash_or_404(request: HttpRequest, hash_id: int) -> BankedHash:
    row = selectors.hash_get_accessible(user=request.user, hash_id=hash_id)
    if row is None:
        raise Http404
    return row


@require_http_methods(["GET", "POST"])
@manager_required
def banks(request: HttpRequest) -> HttpResponse:
    form = BankForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if HashBank.objects.filter(name=d["name"]).exists():
            form.add_error("name", _("A bank with this name already exists."))
        else:
            bank = services.bank_create(
                name=d["name"],
                kind=d["kind"],
                category=d["category"],
                description=d["description"],
                partner_name=d.get("partner_name", ""),
                threshold=d["threshold"],
                acting_user=_user(request),
            )
            messages.success(request, _("The bank was created."))
            return redirect("hashbanks:bank", bank_id=bank.pk)
    return render(
        request,
        "hashbanks/banks.html",
        {
            "banks": selectors.bank_list_accessible(user=request.user),
            "form": form,
            "pending": selectors.pending_reviews(user=request.user)[:50],
        },
        status=400 if form.errors else 200,
    )


def _render_bank(request: HttpRequest, bank: HashBank, status: int = 200, **forms: Any) -> HttpResponse:
    q = request.GET.get("q", "")[:64]
    page = Paginator(selectors.hash_list(user=request.user, bank=bank, q=q), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "hashbanks/bank.html",
        {
            "bank": selectors.bank_get_accessible(user=request.user, bank_id=bank.pk),
            "page": page,
            "q": q,
            "add_form": forms.get("add_form") or HashAddForm(),
            "edit_form": forms.get("edit_form")
            or BankEditForm(
                initial={"active": bank.active, "threshold": bank.threshold, "description": bank.description}
            ),
            "import_form": forms.get("import_form") or ImportForm(),
            "withdraw_form": WithdrawForm(),
            "import_result": forms.get("import_result"),
            "import_failure": forms.get("import_failure"),
        },
        status=status,
    )


@require_GET
@manager_required
def bank_detail(request: HttpRequest, bank_id: int) -> HttpResponse:
    return _render_bank(request, _bank_or_404(request, bank_id))


@require_POST
@manager_required
def bank_edit(request: HttpRequest, bank_id: int) -> HttpResponse:
    bank = _bank_or_404(request, bank_id)
    form = BankEditForm(request.POST)
    if not form.is_valid():
        return _render_bank(request, bank, status=400, edit_form=form)
    d = form.cleaned_data
    services.bank_update(
        bank=bank,
        active=d["active"],
        threshold=d["threshold"],
        description=d["description"],
        acting_user=_user(request),
    )
    messages.success(request, _("The bank was saved."))
    return redirect("hashbanks:bank", bank_id=bank.pk)


@require_POST
@manager_required
def hash_add(request: HttpRequest, bank_id: int) -> HttpResponse:
    bank = _bank_or_404(request, bank_id)
    form = HashAddForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.hash_add(
                bank=bank,
                signal_type=d["signal_type"],
                value=d["value"],
                source=d["source"],
                acting_user=_user(request),
            )
        except DomainError as exc:
            form.add_error("value", str(exc.message))
        else:
            messages.success(request, _("The hash was added."))
            return redirect("hashbanks:bank", bank_id=bank.pk)
    return _render_bank(request, bank, status=400, add_form=form)


@require_POST
@manager_required
def hash_withdraw(request: HttpRequest, hash_id: int) -> HttpResponse:
    row = _hash_or_404(request, hash_id)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason for the withdrawal."))
    else:
        try:
            services.hash_withdraw(banked_hash=row, reason=form.cleaned_data["reason"], acting_user=_user(request))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The hash was withdrawn. It no longer matches and partners are told."))
    return redirect("hashbanks:bank", bank_id=row.bank_id)


@require_POST
@manager_required
def hash_review(request: HttpRequest, hash_id: int) -> HttpResponse:
    row = _hash_or_404(request, hash_id)
    accept = request.POST.get("decision") == "accept"
    try:
        case_services.picture_review(banked_hash=row, accept=accept, acting_user=_user(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The hash was confirmed.") if accept else _("The hash was rejected."))
    return redirect("hashbanks:banks")


@require_POST
@manager_required
def bank_import(request: HttpRequest, bank_id: int) -> HttpResponse:
    bank = _bank_or_404(request, bank_id)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_bank(request, bank, status=400, import_form=form)
    d = form.cleaned_data
    try:
        result = services.hashes_import(
            bank=bank, stream=d["file"].open("rb"), fmt=d["format"], source=d["source"], acting_user=_user(request)
        )
    except errors.ImportFailed as exc:
        return _render_bank(request, bank, status=400, import_form=form, import_failure=exc)
    return _render_bank(request, bank, import_result=result)


@require_GET
@manager_required
def bank_export(request: HttpRequest, bank_id: int) -> StreamingHttpResponse:
    bank = _bank_or_404(request, bank_id)
    fmt = "csv" if request.GET.get("format") == "csv" else "text"
    lines = services.hashes_export(bank=bank, fmt=fmt, acting_user=_user(request))
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "text/plain; charset=utf-8"
    response = StreamingHttpResponse(lines, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="aman-hashbank-{bank.pk}.{"csv" if fmt == "csv" else "txt"}"'
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@staff_required
def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        pdq, md5 = form.cleaned_data["hashes"]
        found = hashbank_match(pdq=pdq, md5=md5)
        with transaction.atomic():
            audit_record(
                event_type=EventType.HASHES_MATCHED,
                actor=request.user,
                data={"channel": "console", "pdq": len(pdq), "md5": len(md5), "matches": len(found)},
            )
        results = {"queries": pdq + md5, "matches": found}
    return render(
        request, "hashbanks/lookup.html", {"form": form, "results": results}, status=400 if form.errors else 200
    )


# --- a case's hashes (staff) -------------------------------------------------------------------------


@require_POST
@manager_required
def bank_evidence(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    """Put a confirmed evidence file's hashes in the helpline's own bank, linked to its case."""
    item = evidence_get(user=request.user, reference=reference, item_id=item_id)
    if item is None:
        raise Http404
    try:
        result = case_services.evidence_hashes_bank(item=item, acting_user=_user(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            ngettext(
                "%(added)d hash was added to the bank “%(bank)s”, linked to this case.",
                "%(added)d hashes were added to the bank “%(bank)s”, linked to this case.",
                len(result.added),
            )
            % {"added": len(result.added), "bank": result.bank.name},
        )
    return redirect("evidence:item", reference, item.pk)


@require_http_methods(["GET", "POST"])
@manager_required
def case_hashes(request: HttpRequest, reference: str) -> HttpResponse:
    """The hashes that came from one case; withdraw them all (with a reason, audited)."""
    case = case_get_accessible(user=request.user, reference=reference)
    if case is None:
        raise Http404
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = case_services.case_hashes_withdraw(
            case=case, reason=form.cleaned_data["reason"], acting_user=_user(request)
        )
        messages.success(
            request,
            ngettext(
                "%(count)d hash from this case was withdrawn. It no longer matches and partners are told.",
                "%(count)d hashes from this case were withdrawn. They no longer match and partners are told.",
                count,
            )
            % {"count": count},
        )
        return redirect("hashbanks:case_hashes", case.reference)
    return render(
        request,
        "hashbanks/case_hashes.html",
        {"case": case, "hashes": selectors.case_hashes(user=request.user, case_id=case.pk), "form": form},
        status=400 if form.errors else 200,
    )


# --- the reporter's pages ----------------------------------------------------------------------------


def _session_case(request: HttpRequest) -> Case | None:
    """The report the reporter opened with their follow-up code in this browser session, if any."""
    case_id = request.session.get(REPORTER_SESSION_KEY)
    return Case.objects.filter(pk=case_id).first() if case_id else None


def _remember_case(request: HttpRequest, case: Case) -> None:
    """As the follow-up page does: the reporter is now in their report for this browser session."""
    request.session.cycle_key()
    request.session[REPORTER_SESSION_KEY] = case.pk
    request.session.set_expiry(0)


def _hashes_from(data: dict[str, Any]) -> case_services.PictureHashes:
    if data["kind"] == "video" or not data.get("pdq"):
        return case_services.PictureHashes(md5=data.get("md5") or None)
    return case_services.PictureHashes(
        pdq=tuple(data.get("dihedral") or [data["pdq"]]), quality=data.get("quality"), md5=data.get("md5") or None
    )


WRONG_CODE = gettext_lazy(
    "We could not open a report with this reference and code. Check both and try again. "
    "After several wrong tries you will need to wait a few minutes."
)


@never_cache
@require_http_methods(["GET", "POST"])
def protect(request: HttpRequest) -> HttpResponse:
    """A reporter hashes an intimate picture (or a video) on their own device. Only the hashes
    arrive, with the report they belong to: a new one, or theirs with its reference and code."""
    session_case = _session_case(request)
    form = ProtectForm(request.POST or None, session_case=session_case is not None)
    if request.method == "POST":
        count, window = ratelimit.parse_rate(settings.AMAN_REPORT_RATE)
        if not ratelimit.hit(scope="protect-image", ident=client_token(request), limit=count, window_seconds=window):
            form.add_error(
                None, _("Too many pictures were sent from this connection. Please wait a little and try again.")
            )
        elif form.is_valid():
            d = form.cleaned_data
            code = None
            if d["attach"] == ATTACH_EXISTING:
                case = session_case or followup_authenticate(
                    reference=d["reference"], code=d["code"], client_token=client_token(request)
                )
                if case is None:
                    form.add_error(None, WRONG_CODE)
            else:
                submission = report_submit(
                    data=ReportInput(
                        category=d["category"],
                        description="",
                        affected="me",
                        age_band=d["age_band"],
                        language=translation.get_language() or "ar",
                        source=Source.PORTAL,
                    )
                )
                case, code = submission.case, submission.follow_up_code
            if case is not None:
                result = case_services.reporter_hashes_attach(case=case, hashes=_hashes_from(d), consent=d["consent"])
                _remember_case(request, case)
                return render(
                    request,
                    "hashbanks/protect_done.html",
                    {
                        "reference": case.reference,
                        "code": code,
                        "kept": len(result.added) + result.already_present,
                        "withdraw_form": True,
                    },
                )
    return render(
        request,
        "hashbanks/protect.html",
        {"form": form, "session_case": session_case},
        status=400 if form.errors else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def protect_withdraw(request: HttpRequest) -> HttpResponse:
    """The reporter withdraws every picture code of their report: they stop matching at once and
    partners are told to delete them. Needs the report opened with its reference and code."""
    case = _session_case(request)
    login = CaseLoginForm(request.POST or None) if case is None else None
    if request.method == "POST":
        if login is not None:
            if login.is_valid():
                found = followup_authenticate(
                    reference=login.cleaned_data["reference"],
                    code=login.cleaned_data["code"],
                    client_token=client_token(request),
                )
                if found is None:
                    login.add_error(None, WRONG_CODE)
                else:
                    _remember_case(request, found)
                    return redirect("hashbanks:protect_withdraw")
        elif case is not None and request.POST.get("confirm") == "yes":
            count = case_services.case_hashes_withdraw(case=case, reason="Withdrawn by the reporter", by_reporter=True)
            return render(request, "hashbanks/protect_withdrawn.html", {"reference": case.reference, "count": count})
    live = BankedHash.objects.filter(source_case=case, withdrawn_at__isnull=True).count() if case is not None else 0
    return render(
        request,
        "hashbanks/protect_withdraw.html",
        {"case": case, "login": login, "live": live},
        status=400 if login is not None and login.errors else 200,
    )
