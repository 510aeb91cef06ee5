from __future__ import annotations

from typing import Any

from aman.cases import services as case_services
from aman.cases.models import Case
from aman.cases.tests.factories import submit_report
from aman.core.crypto import encrypt_text
from aman.escalations.models import Partner

WEBHOOK_SECRET = "test-webhook-secret-0123456789"


def consented_case(*, triaged_by: Any = None, **overrides: Any) -> Case:
    data: dict[str, Any] = {"consent_platform": True, "consent_police": True, "consent_hotline": True}
    data.update(overrides)
    case = submit_report(**data).case
    if triaged_by is not None:
        case = case_services.case_triage(
            case=case,
            category=case.category,
            urgency=case.urgency,
            minor_involved=case.minor_involved,
            imminent_danger=case.imminent_danger,
            self_harm=case.self_harm,
            acting_user=triaged_by,
        )
    return case


def partner(slug: str = "test-platform", **overrides: Any) -> Partner:
    data: dict[str, Any] = {
        "name": f"Partner {slug}",
        "kind": "platform",
        "channel": "email",
        "email_to": "trusted-flagger@example.org",
        "languages": "en,ar",
        "consent_field": "consent_platform",
        "policy_map": {"harassment_bullying": ["Bullying and harassment"]},
    }
    secret = overrides.pop("secret", None)
    data.update(overrides)
    p, _ = Partner.objects.update_or_create(slug=slug, defaults=data)
    if secret:
        p.webhook_secret_encrypted = encrypt_text(secret)
        p.save()
    return p


def webhook_partner(url: str, **overrides: Any) -> Partner:
    return partner("test-webhook", channel="webhook", endpoint_url=url, secret=WEBHOOK_SECRET, **overrides)


def draft_escalation(
    *,
    case: Case,
    target: Partner,
    agent: Any,
    category: str = "harassment_bullying",
    explanation: str = "Synthetic reason.",
) -> Any:
    """An escalation of all the case's items to ``target``, as an agent makes it (not yet sent)."""
    from aman.escalations import services

    return services.escalation_create(
        case=case,
        partner=target,
        policy_category=category,
        explanation=explanation,
        item_ids=[i.pk for i in case.items.all()],
        acting_user=agent,
    )
