"""The evidence section of the case page: ``{% load evidence_tags %}{% case_evidence %}``."""

from typing import Any

from django import template

from aman.evidence import selectors
from aman.evidence.forms import EvidenceUploadForm
from aman.evidence.sufficiency import NO_IMAGE_COPIES, case_checklist

register = template.Library()


@register.inclusion_tag("evidence/_case_evidence.html", takes_context=True)
def case_evidence(context: Any) -> dict[str, Any]:
    request = context["request"]
    case = context["case"]
    user = request.user
    items = list(selectors.evidence_list(user=user, case=case))
    packets = list(selectors.packet_list(user=user, case=case)[:10])
    checklist = case_checklist(case)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "case": case,
        "items": items,
        "live_items": [i for i in items if i.purged_at is None],
        "packets": packets,
        "new_packet": request.GET.get("packet", ""),
        "checklist": checklist,
        "missing_count": sum(1 for line in checklist if not line.met),
        "no_image_copies": case.category in NO_IMAGE_COPIES,
        "upload_form": EvidenceUploadForm(),
        "preference": selectors.viewer_preference(user=user),
    }
