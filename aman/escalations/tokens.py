"""Partner API tokens: made and revoked by administrators, one partner each.

A token ``amanpt_<prefix>_<secret>`` is shown once; only its keyed hash is stored, with the same
``aman.core.crypto.keyed_hash`` (HMAC-SHA256 under ``AMAN_FOLLOW_UP_KEY``) as the check API's
keys, under its own label so a hash of one kind can never match the other. The prefix stays
visible in the console to tell tokens apart.

A partner answering through the API (``partner_outcome_record``) is idempotent by the client's
``Idempotency-Key``: the same key and body answer with the first result, the same key with a
different body is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from aman.audit.events import EventType
from aman.audit.services import audit_record
from aman.core.crypto import keyed_hash
from aman.core.text import clean_user_text
from aman.escalations import errors
from aman.escalations.models import Escalation, OutcomeStatement, Partner, PartnerToken

TOKEN_PREFIX = "amanpt_"  # noqa: S105 - a visible prefix, not a secret
MAX_TOKEN_LENGTH = 100


@dataclass(frozen=True)
class NewToken:
    token: PartnerToken
    secret: str  # shown once, never stored


@dataclass(frozen=True)
class PartnerCaller:
    """The authenticated caller of the partner API (DRF's ``request.user``)."""

    token: PartnerToken

    is_authenticated = True
    is_helpline_staff = False

    @property
    def partner(self) -> Partner:
        return self.token.partner


def token_digest(secret: str) -> str:
    return keyed_hash(f"aman-partner-token|{secret}")


@transaction.atomic
def partner_token_create(*, partner: Partner, label: str, acting_user: Any) -> NewToken:
    if not getattr(acting_user, "can_administer", False):
        raise errors.OverrideNotAllowed()
    prefix = secrets.token_hex(5)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = PartnerToken.objects.create(
        partner=partner,
        label=clean_user_text(label)[:120],
        prefix=prefix,
        key_hash=token_digest(secret),
        created_by=acting_user,
    )
    audit_record(
        event_type=EventType.PARTNER_SAVED,
        actor=acting_user,
        data={"partner": partner.pk, "name": partner.name, "token": prefix, "changed": ["api_token_created"]},
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def partner_token_revoke(*, token: PartnerToken, acting_user: Any) -> PartnerToken:
    if not getattr(acting_user, "can_administer", False):
        raise errors.OverrideNotAllowed()
    token = PartnerToken.objects.select_for_update(of=("self",)).select_related("partner").get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = acting_user
        token.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
        audit_record(
            event_type=EventType.PARTNER_SAVED,
            actor=acting_user,
            data={
                "partner": token.partner_id,
                "name": token.partner.name,
                "token": token.prefix,
                "changed": ["api_token_revoked"],
            },
        )
    return token


def partner_token_authenticate(*, secret: str) -> PartnerToken | None:
    """The active token for this secret (its partner active too), or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > MAX_TOKEN_LENGTH:
        return None
    digest = token_digest(secret)
    token = PartnerToken.objects.select_related("partner").filter(key_hash=digest).first()
    if token is None or not hmac.compare_digest(token.key_hash, digest) or not token.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        PartnerToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@dataclass(frozen=True)
class PartnerAnswer:
    escalation: Escalation
    statement: OutcomeStatement
    replayed: bool


def partner_outcome_record(
    *,
    escalation: Escalation,
    token: PartnerToken,
    idempotency_key: str,
    request_digest: str,
    outcome: str,
    partner_reference: str,
    decided_at: datetime | None,
    statement: Any,
) -> PartnerAnswer:
    """The partner's own answer, once per Idempotency-Key."""
    from aman.escalations.services import escalation_outcome_record

    key = f"{token.partner_id}|{idempotency_key}"
    digest = hashlib.sha256(f"{escalation.pk}:{request_digest}".encode()).hexdigest()
    first = _replay(key, digest)
    if first is not None:
        return first
    try:
        with transaction.atomic():
            escalation = escalation_outcome_record(
                escalation=escalation,
                acting_user=None,
                outcome=outcome,
                partner_reference=partner_reference,
                actioned_at=decided_at,
                statement=statement,
                token=token,
                idempotency_key=key,
                request_digest=digest,
            )
    except (IntegrityError, errors.WrongState):
        # A concurrent request with the same key won the race (or a replay arrives after the
        # first answer closed the escalation): answer as for a replay.
        first = _replay(key, digest)
        if first is not None:
            return first
        raise
    statement_row = OutcomeStatement.objects.get(idempotency_key=key)
    return PartnerAnswer(escalation=escalation, statement=statement_row, replayed=False)


def _replay(key: str, digest: str) -> PartnerAnswer | None:
    statement = OutcomeStatement.objects.select_related("escalation").filter(idempotency_key=key).first()
    if statement is None:
        return None
    if not hmac.compare_digest(statement.request_digest, digest):
        raise errors.IdempotencyKeyReused()
    return PartnerAnswer(escalation=statement.escalation, statement=statement, replayed=True)
