"""Escalations: notices to platforms, police hand-offs and hotline referrals."""

from typing import Any

from django.apps import AppConfig


def _purge_escalations(case: Any) -> dict[str, int]:
    """Retention: the notices carry the case's words and links; keep only the statistics."""
    from aman.escalations.models import Escalation, LinkCheck, OutcomeStatement

    count = Escalation.objects.filter(case=case).update(
        explanation="", notice_text="", outcome_note="", contact_reason="", items=[]
    )
    # The partner's statements may quote the content: keep the decision, its ground and dates.
    OutcomeStatement.objects.filter(escalation__case=case).update(facts="", ground_explanation="", redress="")
    LinkCheck.objects.filter(escalation__case=case).update(item=None)
    return {"escalations": count}


class EscalationsConfig(AppConfig):
    name = "aman.escalations"
    label = "escalations"

    def ready(self) -> None:
        from aman.cases.retention import register_purge_hook

        register_purge_hook(_purge_escalations)
