"""Template tags the evidence pages use to show hash-bank facts without knowing the banks.

``{% hash_match_origin match %}``: a match on a case, saying where the image was reported before
(the earlier case's reference only to staff who may open that case; fail closed).
``{% hashbank_evidence_actions item %}``: for managers, put a confirmed file's hashes in the
helpline's own bank (linked to the case) or see that they are there.
"""

from typing import Any

from django import template

from aman.hashbanks import selectors
from aman.hashbanks.models import BankedHash

register = template.Library()


@register.inclusion_tag("hashbanks/_match_origin.html", takes_context=True)
def hash_match_origin(context: template.Context, match: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    source_case_id = BankedHash.objects.filter(pk=match.banked_hash_id).values_list("source_case_id", flat=True).first()
    origin = selectors.match_origin(user=user, source_case_id=source_case_id, current_case_id=match.item.case_id)
    return {"match": match, "origin": origin}


@register.inclusion_tag("hashbanks/_evidence_actions.html", takes_context=True)
def hashbank_evidence_actions(context: template.Context, item: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if item.purged_at is not None or not selectors.can_manage_banks(user):
        return {"show": False}
    banked = BankedHash.objects.filter(source_evidence_id=item.pk)
    return {
        "show": True,
        "item": item,
        "live": banked.filter(withdrawn_at__isnull=True).count(),
        "withdrawn": banked.filter(withdrawn_at__isnull=False).exists(),
    }


@register.inclusion_tag("hashbanks/_reporter_links.html")
def hashbank_reporter_links(case: Any) -> dict[str, Any]:
    """On the reporter's follow-up page: protect a picture without sending it, or withdraw the codes."""
    return {"live": BankedHash.objects.filter(source_case=case, withdrawn_at__isnull=True).count()}
