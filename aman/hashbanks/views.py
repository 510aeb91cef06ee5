"""Console pages for hash banks, and the reporter's "protect my image" page. Views parse, call one service, render."""

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aman.accounts.models import User
from aman.audit.events import EventType
from aman.audit.services import audit_record
from aman.core import ratelimit
from aman.core.errors import DomainError
from aman.core.middleware import client_token
from aman.core.permissions import role_required, staff_required
from aman.hashbanks import errors, selectors, services
from aman.hashbanks.forms import BankEditForm, BankForm, HashAddForm, ImportForm, LookupForm, ProtectForm, WithdrawForm
from aman.hashbanks.matching import hashbank_match
from aman.hashbanks.models import BankedHash, HashBank

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
        services.hash_review(banked_hash=row, accept=accept, acting_user=_user(request))
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


# --- the reporter's page ---------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def protect(request: HttpRequest) -> HttpResponse:
    """A reporter hashes an intimate image on their own device; only the hash and consent arrive here."""
    form = ProtectForm(request.POST or None)
    if request.method == "POST":
        count, window = ratelimit.parse_rate(settings.AMAN_REPORT_RATE)
        if not ratelimit.hit(scope="protect-image", ident=client_token(request), limit=count, window_seconds=window):
            form.add_error(
                None, _("Too many pictures were sent from this connection. Please wait a little and try again.")
            )
        elif form.is_valid():
            services.reporter_hash_submit(
                pdq=form.cleaned_data["pdq"], quality=form.cleaned_data["quality"], consent=form.cleaned_data["consent"]
            )
            return render(request, "hashbanks/protect_done.html")
    return render(request, "hashbanks/protect.html", {"form": form}, status=400 if form.errors else 200)
