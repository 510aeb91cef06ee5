"""The audit log for supervisors and admins: filter, page, export as CSV (each read is audited)."""

import csv

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from aman.audit.events import EventType
from aman.audit.forms import AuditFilterForm
from aman.audit.services import audit_record
from aman.cases.selectors import audit_list_accessible
from aman.core.permissions import audit_reader_required
from aman.core.spreadsheet import Echo, csv_safe


def _filtered(request: HttpRequest, form: AuditFilterForm):  # type: ignore[no-untyped-def]
    qs = audit_list_accessible(user=request.user)
    if form.is_valid():
        d = form.cleaned_data
        if d.get("case"):
            qs = qs.filter(case__reference=d["case"].upper())
        if d.get("actor"):
            qs = qs.filter(actor_label=d["actor"])
        if d.get("event_type"):
            qs = qs.filter(event_type=d["event_type"])
    return qs


@require_GET
@audit_reader_required
def audit_log(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    form = AuditFilterForm(request.GET or None)
    qs = _filtered(request, form)
    audit_record(
        event_type=EventType.AUDIT_VIEWED,
        actor=request.user,
        data={"filters": {k: str(v)[:100] for k, v in request.GET.items()}},
    )
    if request.GET.get("format") == "csv":
        audit_record(event_type=EventType.AUDIT_EXPORTED, actor=request.user)
        writer = csv.writer(Echo())
        header = ["sequence", "occurred_at", "actor", "event_type", "case", "data", "prev_hash", "hash"]
        rows = (
            [
                e.sequence,
                e.occurred_at.isoformat(),
                csv_safe(e.actor_label),  # user names may start with + - or @
                e.event_type,
                e.case.reference if e.case else "",
                e.data,
                e.prev_hash,
                e.hash,
            ]
            for e in qs.iterator(chunk_size=2000)
        )
        response = StreamingHttpResponse(
            (writer.writerow(r) for r in [header, *rows]), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="aman-audit.csv"'
        return response
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "audit/log.html", {"form": form, "page": page, "query_string": params.urlencode()})
