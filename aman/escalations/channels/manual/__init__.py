"""Manual channel: the partner's web form. An agent copies the notice in (and uploads the PDF
and evidence packet where the form asks for them), then records that it was sent and the
partner's reference. Nothing is sent automatically."""

from __future__ import annotations

from typing import Any

from aman.escalations.channels import DeliveryResult, ManualDelivery, Outbound


def send(escalation: Any, outbound: Outbound) -> DeliveryResult:
    raise ManualDelivery("this partner is reached through its web form; an agent sends it by hand")


def form_url(escalation: Any) -> str:
    return str(escalation.partner.endpoint_url or "")
