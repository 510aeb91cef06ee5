"""What leaves the helpline for one escalation: the frozen notice, a JSON form of it, and files.

Platforms and hotlines get the notice, the locations and (when evidence was chosen and the
category allows files) the evidence packet. A police hand-off also gets a PDF of the case facts
the reporter agreed to share; the reporter's contact details only when a supervisor ticked it
with a reason. Nothing else about the reporter ever leaves.
"""

from __future__ import annotations

import base64
from typing import Any

from aman.cases.choices import Affected, AgeBand, HarmCategory
from aman.cases.models import ReportItem
from aman.core.pdf import render_pdf
from aman.escalations.channels import Attachment, Outbound
from aman.escalations.notice import notice_reference, notifier


def escalation_report_items(escalation: Any) -> list[ReportItem]:
    ids = [i for i in (escalation.items or []) if isinstance(i, int)]
    return list(ReportItem.objects.filter(case_id=escalation.case_id, pk__in=ids).order_by("id"))


def _label(choices: Any, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def police_facts(escalation: Any) -> dict[str, Any]:
    """The case facts a police hand-off carries (the reporter consented to a police hand-off)."""
    from django.utils import translation

    case = escalation.case
    with translation.override(escalation.language):
        facts: dict[str, Any] = {
            "case_reference": case.reference,
            "reported_at": case.created_at.isoformat(),
            "category": _label(HarmCategory, escalation.policy_category),
            "who_is_affected": _label(Affected, case.affected),
            "age": _label(AgeBand, case.age_band),
            "minor_involved": case.minor_involved,
            "someone_in_danger_now": case.in_danger_now or case.imminent_danger,
            "platforms": case.platform_list,
            "what_happened": case.description,
        }
    if escalation.include_contact:
        from aman.core.crypto import decrypt_text

        method, _sep, value = decrypt_text(case.contact_encrypted).partition(":")
        facts["reporter_contact"] = {"method": method, "value": value}
    return facts


def handoff_pdf(escalation: Any, facts: dict[str, Any] | None, items: list[ReportItem]) -> bytes:
    return render_pdf(
        template_name="escalations/pdf/handoff.html",
        context={
            "escalation": escalation,
            "reference": notice_reference(escalation),
            "notice_text": escalation.notice_text,
            "facts": facts,
            "items": items,
            "evidence": list(escalation.evidence.order_by("id")),
        },
        language=escalation.language,
    )


def outbound_build(escalation: Any, *, acting_user: Any, with_packet: bool = True) -> Outbound:
    from aman.evidence.services import evidence_packet_build, evidence_packet_open

    partner = escalation.partner
    items = escalation_report_items(escalation)
    evidence = list(escalation.evidence.filter(purged_at__isnull=True).order_by("id"))
    facts = police_facts(escalation) if partner.is_police else None
    data: dict[str, Any] = {
        "format": "aman-notice/1",
        "reference": notice_reference(escalation),
        "idempotency_key": str(escalation.idempotency_key),
        "partner": partner.slug,
        "language": escalation.language,
        "category": escalation.policy_category,
        "partner_policy": escalation.partner_policy,
        "urgency": escalation.urgency,
        "explanation": escalation.explanation,
        "locations": [{"kind": item.kind, "value": item.value} for item in items],
        "evidence": [
            {"sha256": e.sha256, "md5": e.md5, "size": e.size, "type": e.detected_type, "pdq": e.pdq or None}
            for e in evidence
        ],
        "notifier": None if escalation.is_csam else notifier(),
        "good_faith_statement": True,
        "notice_subject": escalation.notice_subject,
        "notice_text": escalation.notice_text,
    }
    if facts is not None:
        data["case_facts"] = facts
    outbound = Outbound(subject=escalation.notice_subject, text=escalation.notice_text, data=data)
    limit = int(partner.max_attachment_mb) * 1024 * 1024
    if partner.is_police:
        pdf = handoff_pdf(escalation, facts, items)
        outbound.attachments.append(Attachment(f"{data['reference']}.pdf", pdf, "application/pdf"))
    if evidence and with_packet:
        if escalation.packet_id is None:
            escalation.packet = evidence_packet_build(
                case=escalation.case, items=evidence, target=partner.name, acting_user=acting_user
            )
            type(escalation).objects.filter(pk=escalation.pk).update(packet=escalation.packet)
        packet = escalation.packet
        used = sum(len(a.content) for a in outbound.attachments)
        if used + packet.size <= limit:
            zipped = evidence_packet_open(packet=packet, acting_user=acting_user)
            outbound.attachments.append(Attachment(f"{data['reference']}-evidence.zip", zipped, "application/zip"))
        else:
            outbound.omitted.append(f"evidence packet {packet.sha256} ({packet.size} bytes) over the size limit")
        data["evidence_packet"] = {"sha256": packet.sha256, "size": packet.size}
    data["attachments"] = [
        {
            "name": a.name,
            "content_type": a.content_type,
            "size": len(a.content),
            "data_base64": base64.b64encode(a.content).decode("ascii"),
        }
        for a in outbound.attachments
    ]
    return outbound
