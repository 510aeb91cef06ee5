"""The notice: the words that go to a partner, in the partner's language.

Its fields are those of a notice under Article 16(2) of the Digital Services Act: why the content
is illegal or against the rules, its exact location, the notifier's name and e-mail (left out for
child sexual abuse material, as Art. 16(2)(c) allows), and a statement of good faith. The
notifier is the helpline, never the reporter. One plain-text template per language lives in
``templates/escalations/notices/<language>.txt``; what the agent previews is exactly what is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from aman.cases.choices import HarmCategory, Urgency
from aman.cases.models import ReportItem
from aman.escalations.models import NOTICE_LANGUAGES


@dataclass(frozen=True)
class Notice:
    subject: str
    text: str


def notifier() -> dict[str, str]:
    return {
        "name": str(getattr(settings, "AMAN_NOTIFIER_NAME", "") or settings.AMAN_SITE_NAME),
        "email": str(getattr(settings, "AMAN_NOTIFIER_EMAIL", "") or settings.DEFAULT_FROM_EMAIL),
    }


def notice_reference(escalation: Any) -> str:
    return f"{escalation.case.reference}-E{escalation.pk}"


def _label(choices: Any, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def notice_render(*, escalation: Any, items: list[ReportItem], evidence_sha256: list[str], at: datetime) -> Notice:
    language = escalation.language if escalation.language in NOTICE_LANGUAGES else "en"
    with translation.override(language):
        category = _label(HarmCategory, escalation.policy_category)
        reference = notice_reference(escalation)
        context = {
            "partner": escalation.partner.name,
            "reference": reference,
            "date": at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "urgency": _label(Urgency, escalation.urgency),
            "category": category,
            "partner_policy": escalation.partner_policy,
            "explanation": escalation.explanation,
            "items": [item.value for item in items],
            "evidence": evidence_sha256,
            "notifier": None if escalation.is_csam else notifier(),
        }
        text = render_to_string(f"escalations/notices/{language}.txt", context).strip() + "\n"
        subject = gettext("Notice %(reference)s: %(category)s") % {"reference": reference, "category": category}
    return Notice(subject=subject, text=text)
