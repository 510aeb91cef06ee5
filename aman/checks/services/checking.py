"""'Think before you post' and the pre-publication check: score, decide, nudge, count.

The text is never stored, logged or audited, unless the integrator's key opted in; then it is
kept until the key's retention ends (``stored_checks_purge``).
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core import signing
from django.utils import timezone

from aman.checks import detectors
from aman.checks.counters import count_add
from aman.checks.errors import CheckIdInvalid
from aman.checks.models import ApiKey, StoredCheck
from aman.checks.nudges import nudge
from aman.classifier import load_default

PROFILES = ("default", "official")
OUTCOMES = ("shown", "edited", "posted_anyway")
TEXT_LANGUAGES = ("ar", "ckb", "arabizi", "ar-Latn", "fr", "en")
_SIGNING_SALT = "aman.checks.check_id"
CHECK_ID_MAX_AGE = 24 * 3600


@dataclass(frozen=True)
class CheckResult:
    check_id: str
    decision: str  # ok | reconsider
    reasons: list[str]
    body: dict[str, Any]


def _count(api_key: ApiKey, **increments: int) -> None:
    """Add to today's counters for the key (in Redis when the cache is Redis: see counters.py)."""
    count_add(api_key_id=api_key.pk, day=timezone.localdate(), increments=increments)


def check_run(*, api_key: ApiKey, text: str, language: str | None, profile: str, ui_language: str) -> CheckResult:
    """Score a text before it is posted. The author always decides; this only suggests."""
    clf = load_default()
    text_language = language if language in TEXT_LANGUAGES else None
    post = clf.classify_post(text, text_language)
    reasons = list(post.labels)
    findings: list[detectors.Finding] = []
    if profile == "official":
        findings = detectors.detect(text)
        for kind in detectors.KINDS:
            if any(f.kind == kind for f in findings):
                reasons.append(kind)
    decision = "reconsider" if reasons else "ok"
    check_id = signing.dumps({"k": api_key.pk, "n": secrets.token_hex(6)}, salt=_SIGNING_SALT, compress=True)
    body: dict[str, Any] = {
        "check_id": check_id,
        "decision": decision,
        "reasons": reasons,
        "scores": post.scores,
        "labels": post.labels,
        "hate_type": post.hate_type,
        "language": post.language,
        "profile": profile,
        "model_version": clf.version,
        "nudge": nudge(reasons=reasons, language=ui_language, official=profile == "official") if reasons else None,
    }
    if profile == "official":
        body["findings"] = [f.to_dict() for f in findings]
    _count(api_key, checks=1, reconsider=1 if decision == "reconsider" else 0)
    if api_key.store_texts:
        StoredCheck.objects.create(
            api_key=api_key,
            check_id=check_id,
            text=text,
            language=language or "",
            profile=profile,
            decision=decision,
            result={k: body[k] for k in ("reasons", "scores", "labels", "language")},
            expires_at=timezone.now() + timedelta(days=api_key.retention_days),
        )
    return CheckResult(check_id=check_id, decision=decision, reasons=reasons, body=body)


def check_outcome_record(*, api_key: ApiKey, check_id: str, outcome: str) -> bool:
    """Count what the author did with a nudge. Returns False when this outcome was already counted."""
    try:
        data = signing.loads(check_id, salt=_SIGNING_SALT, max_age=CHECK_ID_MAX_AGE)
    except signing.BadSignature:
        raise CheckIdInvalid() from None
    if not isinstance(data, dict) or data.get("k") != api_key.pk:
        raise CheckIdInvalid()
    from django.core.cache import cache

    # Each outcome once per check, so a retried request is not counted twice.
    if not cache.add(f"check-outcome:{api_key.pk}:{data.get('n')}:{outcome}", 1, timeout=CHECK_ID_MAX_AGE):
        return False
    _count(api_key, **{outcome: 1})
    return True


def stored_checks_purge() -> int:
    """Delete opted-in texts whose retention has ended."""
    return StoredCheck.objects.filter(expires_at__lt=timezone.now()).delete()[0]
