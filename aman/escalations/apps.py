"""Escalations: notices to platforms, police hand-offs and hotline referrals."""

from typing import Any

from django.apps import AppConfig


def _purge_escalations(case: Any) -> dict[str, int]:
    """Retention: the notices carry the case's words and links; keep only the statistics."""
    from aman.escalations.models import Escalation

    count = Escalation.objects.filter(case=case).update(
        explanation="", notice_text="", outcome_note="", contact_reason="", items=[]
    )
    return {"escalations": count}


class EscalationsConfig(AppConfig):
    name = "aman.escalations"
    label = "escalations"

    def ready(self) -> None:
        from aman.cases.retention import register_purge_hook

        register_purge_hook(_purge_escalations)
