"""What a platform (or the police) needs before it acts, per harm category, and what is missing.

Each requirement is either seen in the case by itself (a link, an account name, a picture) or
needs an agent's tick (which account is the real one, whether the messages show a date). For
intimate images and child sexual abuse the checklist asks for links only: nobody should be asked
to send, or keep, a copy of such an image.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from aman.cases.choices import HarmCategory


@dataclass(frozen=True)
class Requirement:
    code: str
    label: Any  # lazy translation: shown to the agent, and to the reporter in the request
    ask: Any  # how we ask the reporter for it
    seen: Callable[[dict[str, int]], bool] | None  # None: only an agent's tick can meet it


def _has(key: str, at_least: int = 1) -> Callable[[dict[str, int]], bool]:
    return lambda facts: facts.get(key, 0) >= at_least


REQUIREMENTS = {
    r.code: r
    for r in [
        Requirement(
            "link_to_content",
            _("A link to the post, video or page"),
            _("the link to the post, video or page (copy it from the app's Share > Copy link)"),
            _has("urls"),
        ),
        Requirement(
            "account_handle",
            _("The account name or link of the person responsible"),
            _("the account name (@…) or a link to the profile of the person responsible"),
            lambda f: f.get("handles", 0) + f.get("urls", 0) >= 1,
        ),
        Requirement(
            "link_to_fake_profile",
            _("A link to the fake profile"),
            _("the link to the fake profile"),
            _has("urls"),
        ),
        Requirement(
            "link_to_real_profile",
            _("A link to the real profile"),
            _("the link to your real profile, so the platform can compare them"),
            _has("urls", 2),
        ),
        Requirement(
            "screenshot",
            _("A screenshot"),
            _("a screenshot that shows the problem"),
            _has("images"),
        ),
        Requirement(
            "messages_with_date",
            _("The messages, showing the account name and the date"),
            _("screenshots of the messages that show the sender's account name and the date"),
            None,
        ),
        Requirement(
            "identity_proof",
            _("Proof that the account belongs to the reporter"),
            _(
                "something that shows the account is yours: an old e-mail from the platform, "
                "or the e-mail or phone used to open it"
            ),
            None,
        ),
        Requirement(
            "payment_details",
            _("Details of any payment made or asked for"),
            _("any payment details you were asked for or used (amount, date, method, the receiving account)"),
            None,
        ),
        Requirement(
            "age_indication",
            _("An indication of the child's age"),
            _("how old the child is, if you know"),
            _has("minor"),
        ),
    ]
}

CHECKLISTS: dict[str, list[str]] = {
    HarmCategory.SEXTORTION: ["account_handle", "messages_with_date", "payment_details"],
    HarmCategory.NCII: ["link_to_content", "account_handle"],
    HarmCategory.CHILD_SEXUAL_EXPLOITATION: ["link_to_content", "account_handle", "age_indication"],
    HarmCategory.ACCOUNT_COMPROMISE: ["account_handle", "identity_proof", "screenshot"],
    HarmCategory.IMPERSONATION: ["link_to_fake_profile", "link_to_real_profile", "screenshot"],
    HarmCategory.HARASSMENT_BULLYING: ["account_handle", "messages_with_date", "screenshot"],
    HarmCategory.HATE_SPEECH: ["link_to_content", "screenshot"],
    HarmCategory.THREAT_VIOLENCE: ["account_handle", "messages_with_date", "screenshot"],
    HarmCategory.SELF_HARM: ["link_to_content"],
    HarmCategory.SCAM_FRAUD: ["account_handle", "screenshot", "payment_details"],
    HarmCategory.PRIVACY_DOXXING: ["link_to_content", "screenshot"],
    HarmCategory.MALICIOUS_REPORTING: ["account_handle", "identity_proof", "screenshot"],
    HarmCategory.HARMFUL_CONTENT: ["link_to_content", "screenshot"],
    HarmCategory.OTHER: [],
    HarmCategory.NOT_SURE: [],
}

# Categories where the helpline must never ask for, or keep, copies of the images themselves.
NO_IMAGE_COPIES = {HarmCategory.NCII, HarmCategory.CHILD_SEXUAL_EXPLOITATION}


@dataclass(frozen=True)
class ChecklistLine:
    requirement: Requirement
    met: bool
    by_tick: bool  # met because an agent ticked it


def case_facts(case: Any) -> dict[str, int]:
    from aman.evidence.models import EvidenceItem, EvidenceKind

    kinds = list(case.items.values_list("kind", flat=True))
    evidence = EvidenceItem.objects.filter(case=case, purged_at__isnull=True)
    return {
        "urls": kinds.count("url"),
        "handles": kinds.count("handle"),
        "images": evidence.filter(kind=EvidenceKind.IMAGE).count(),
        "texts": evidence.filter(kind=EvidenceKind.TEXT).count(),
        "minor": int(bool(case.minor_involved) or case.age_band in ("under_13", "13_17")),
    }


def case_checklist(case: Any) -> list[ChecklistLine]:
    ticked = set(case.sufficiency_checks.values_list("requirement", flat=True))
    facts = case_facts(case)
    lines = []
    for code in CHECKLISTS.get(case.category, []):
        requirement = REQUIREMENTS[code]
        seen = requirement.seen(facts) if requirement.seen else False
        lines.append(ChecklistLine(requirement, met=seen or code in ticked, by_tick=code in ticked and not seen))
    return lines


def missing(case: Any) -> list[Requirement]:
    return [line.requirement for line in case_checklist(case) if not line.met]
