"""Evidence in the console: upload, safe viewing, downloads, packets, the checklist, preferences.

Every byte of evidence a staff member receives is recorded in the audit log first. Files are
served with a sandboxing Content-Security-Policy and ``nosniff``, never as HTML.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from aman.accounts.models import User
from aman.cases.selectors import case_get_accessible
from aman.core.errors import DomainError
from aman.core.permissions import staff_required
from aman.evidence import selectors, services
from aman.evidence.crypto import EvidenceDecryptError
from aman.evidence.forms import ChecklistForm, EvidenceUploadForm, PacketForm, PreferenceForm
from aman.evidence.models import Blob, EvidenceItem, EvidenceKind
from aman.evidence.preview import safe_preview

SANDBOX_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _case(request: HttpRequest, reference: str) -> Any:
    case = case_get_accessible(user=request.user, reference=reference)
    if case is None:
        raise Http404
    return case


def _item(request: HttpRequest, reference: str, item_id: int) -> EvidenceItem:
    item = selectors.evidence_get(user=request.user, reference=reference, item_id=item_id)
    if item is None:
        raise Http404
    return item


def _file_response(data: bytes, *, content_type: str, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _back(case: Any, query: str = "") -> HttpResponse:
    return redirect(reverse("cases:case", args=[case.reference]) + query + "#evidence")


@require_POST
@staff_required
def upload(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    form = EvidenceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("evidence", []):
            messages.error(request, str(error))
        return _back(case)
    result = services.evidence_files_add(
        case=case,
        files=form.cleaned_data["evidence"],
        by_reporter=False,
        acting_user=_user(request),
        description=form.cleaned_data.get("description", ""),
    )
    if result.added:
        count = len(result.added)
        messages.success(
            request,
            ngettext("%(count)d file added to the evidence.", "%(count)d files added to the evidence.", count)
            % {"count": count},
        )
    for rejection in result.rejected:
        messages.error(request, f"{rejection.name or _('A file')}: {rejection.message}")
    return _back(case)


@require_GET
@staff_required
def item_detail(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    item = _item(request, reference, item_id)
    services.evidence_view_record(item=item, acting_user=_user(request))
    reveal = request.GET.get("reveal") == "1"
    preference = selectors.viewer_preference(user=request.user)
    from aman.evidence.packet import custody_events

    return render(
        request,
        "evidence/item.html",
        {
            "case": item.case,
            "item": item,
            "reveal": reveal or not preference.blur,
            "preference": preference,
            "custody": custody_events(case=item.case, item_ids=[item.pk]),
        },
    )


@require_GET
@staff_required
def item_preview(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    """The picture as the user's safe-viewing preference allows (blurred and greyscale by default)."""
    item = _item(request, reference, item_id)
    if item.kind != EvidenceKind.IMAGE:
        raise Http404
    preference = selectors.viewer_preference(user=request.user)
    revealed = request.GET.get("reveal") == "1"
    blur = preference.blur and not revealed
    mode = "revealed" if not blur else "preview"
    try:
        data = services.evidence_open(item=item, acting_user=_user(request), role=Blob.Role.WORKING, mode=mode)
    except (DomainError, EvidenceDecryptError) as exc:
        raise Http404 from exc
    side = 1600 if revealed else 480
    image = safe_preview(data, blur=blur, greyscale=preference.greyscale and not revealed, side=side)
    return _file_response(image, content_type="image/jpeg")


@require_GET
@staff_required
def item_view(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    """The working copy (no metadata), shown in the browser: video, text, PDF as a download."""
    item = _item(request, reference, item_id)
    try:
        data = services.evidence_open(item=item, acting_user=_user(request), role=Blob.Role.WORKING, mode="working")
    except (DomainError, EvidenceDecryptError) as exc:
        raise Http404 from exc
    if item.kind == EvidenceKind.PDF:
        return _file_response(data, content_type="application/pdf", filename=f"evidence-{item.pk}.pdf")
    return _file_response(data, content_type=item.working_type)


@require_GET
@staff_required
def item_original(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    """The original exactly as received (hashes match it), always as a download."""
    item = _item(request, reference, item_id)
    try:
        data = services.evidence_open(item=item, acting_user=_user(request), role=Blob.Role.ORIGINAL, mode="original")
    except (DomainError, EvidenceDecryptError) as exc:
        raise Http404 from exc
    from aman.evidence.packet import EXTENSIONS

    name = f"{item.case.reference}-{item.pk}-{item.sha256[:12]}.{EXTENSIONS.get(item.detected_type, 'bin')}"
    return _file_response(data, content_type="application/octet-stream", filename=name)


@require_POST
@staff_required
def packet_create(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    items = list(selectors.evidence_list(user=request.user, case=case).filter(purged_at__isnull=True))
    form = PacketForm(request.POST, item_choices=[(i.pk, str(i.pk)) for i in items])
    if not form.is_valid():
        messages.error(request, _("Choose the evidence and say who the packet is for."))
        return _back(case)
    chosen = [i for i in items if i.pk in set(form.cleaned_data["evidence"])]
    try:
        packet = services.evidence_packet_build(
            case=case, items=chosen, target=form.cleaned_data["target"], acting_user=_user(request)
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return _back(case)
    messages.success(request, _("Evidence packet made. Download it below; the download is recorded."))
    return _back(case, f"?packet={packet.pk}")


@require_GET
@staff_required
def packet_download(request: HttpRequest, reference: str, packet_id: int) -> HttpResponse:
    packet = selectors.packet_get(user=request.user, reference=reference, packet_id=packet_id)
    if packet is None:
        raise Http404
    try:
        data = services.evidence_packet_open(packet=packet, acting_user=_user(request))
    except (DomainError, EvidenceDecryptError) as exc:
        raise Http404 from exc
    return _file_response(
        data, content_type="application/zip", filename=f"{packet.case.reference}-evidence-{packet.pk}.zip"
    )


@require_POST
@staff_required
def checklist(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    form = ChecklistForm(request.POST)
    if form.is_valid():
        try:
            services.evidence_checklist_tick(
                case=case,
                requirement=form.cleaned_data["requirement"],
                met=form.cleaned_data["met"],
                acting_user=_user(request),
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
    return _back(case)


@require_POST
@staff_required
def request_missing(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    if services.evidence_request_missing(case=case, acting_user=_user(request)):
        messages.success(request, _("The reporter was asked for the missing evidence."))
    else:
        messages.info(request, _("Nothing is missing from the checklist."))
    return _back(case)


@require_POST
@staff_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferenceForm(request.POST)
    if form.is_valid():
        services.evidence_preference_save(
            user=_user(request), blur=form.cleaned_data["blur"], greyscale=form.cleaned_data["greyscale"]
        )
        messages.success(request, _("Your viewing preference is saved."))
    next_url = request.POST.get("next", "")
    if next_url.startswith("/console/") and "//" not in next_url:
        return redirect(next_url)
    return redirect("cases:queue")
