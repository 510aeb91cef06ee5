"""API keys: made and revoked by admins; the secret is shown once and kept only as a keyed hash."""

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from aman.audit.events import EventType
from aman.audit.services import audit_record
from aman.checks.errors import ApiKeyInvalid, ApiKeyMissing
from aman.checks.models import ApiKey
from aman.core.crypto import keyed_hash

KEY_PREFIX = "aman_"
ALLOWED_ORIGINS_CACHE = "checks:allowed-origins"
KEY_CACHE = "checks:key:"
KEY_CACHE_SECONDS = 60
_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no look-alikes (l, o, 0, 1)


@dataclass(frozen=True)
class NewKey:
    api_key: ApiKey
    secret: str  # shown once, never stored


def _hash(secret: str) -> str:
    return keyed_hash(f"aman-check-key|{secret}")


def _random(n: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(n))


@transaction.atomic
def apikey_create(
    *,
    name: str,
    allowed_origins: list[str],
    rate_limit: str = "",
    store_texts: bool = False,
    retention_days: int = 30,
    acting_user: Any,
) -> NewKey:
    """A new key ``aman_<prefix>_<secret>``: the prefix stays visible in the console, the rest is shown once."""
    for _attempt in range(5):
        prefix = _random(8)
        if not ApiKey.objects.filter(prefix=prefix).exists():
            break
    secret = f"{KEY_PREFIX}{prefix}_{_random(32)}"
    api_key = ApiKey.objects.create(
        name=name,
        prefix=prefix,
        key_hash=_hash(secret),
        allowed_origins="\n".join(allowed_origins),
        rate_limit=rate_limit,
        store_texts=store_texts,
        retention_days=retention_days,
        created_by=acting_user,
    )
    audit_record(
        event_type=EventType.API_KEY_CREATED,
        actor=acting_user,
        data={"key": prefix, "origins": len(allowed_origins), "store_texts": store_texts},
    )
    _forget_origins()
    return NewKey(api_key=api_key, secret=secret)


@transaction.atomic
def apikey_update(
    *,
    api_key: ApiKey,
    allowed_origins: list[str],
    rate_limit: str,
    store_texts: bool,
    retention_days: int,
    acting_user: Any,
) -> ApiKey:
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    api_key.allowed_origins = "\n".join(allowed_origins)
    api_key.rate_limit = rate_limit
    api_key.store_texts = store_texts
    api_key.retention_days = retention_days
    api_key.save()
    audit_record(
        event_type=EventType.API_KEY_CHANGED,
        actor=acting_user,
        data={"key": api_key.prefix, "origins": len(allowed_origins), "store_texts": store_texts},
    )
    _forget_origins(api_key)
    return api_key


@transaction.atomic
def apikey_revoke(*, api_key: ApiKey, acting_user: Any) -> ApiKey:
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.revoked_by = acting_user
        api_key.save()
        audit_record(event_type=EventType.API_KEY_REVOKED, actor=acting_user, data={"key": api_key.prefix})
    _forget_origins(api_key)
    return api_key


def apikey_from_headers(headers: Any) -> str:
    auth = str(headers.get("Authorization", "")).strip()
    if auth[:8].lower() == "api-key ":
        return auth[8:].strip()
    return str(headers.get("X-Api-Key", "")).strip()


def apikey_authenticate(*, secret: str) -> ApiKey:
    """The active key for this secret, or ApiKeyMissing / ApiKeyInvalid."""
    if not secret:
        raise ApiKeyMissing()
    if len(secret) > 100 or not secret.startswith(KEY_PREFIX):
        raise ApiKeyInvalid()
    digest = _hash(secret)
    # Cached briefly in the shared cache (one query less per check); revoking or editing deletes it.
    api_key = cache.get(KEY_CACHE + digest)
    if api_key is None:
        api_key = ApiKey.objects.filter(key_hash=digest).first()
        if api_key is not None:
            cache.set(KEY_CACHE + digest, api_key, timeout=KEY_CACHE_SECONDS)
    if api_key is None or not hmac.compare_digest(api_key.key_hash, digest) or not api_key.is_active:
        raise ApiKeyInvalid()
    return api_key


def allowed_origins() -> set[str]:
    """Origins allowed by any active key (CORS preflight carries no key). Cached for a minute."""
    origins = cache.get(ALLOWED_ORIGINS_CACHE)
    if origins is None:
        origins = set()
        for value in ApiKey.objects.filter(revoked_at__isnull=True).values_list("allowed_origins", flat=True):
            origins.update(o.strip().rstrip("/").lower() for o in value.splitlines() if o.strip())
        cache.set(ALLOWED_ORIGINS_CACHE, origins, timeout=60)
    return set(origins)


def _forget_origins(api_key: ApiKey | None = None) -> None:
    """After a change: drop the cached origins, and the cached key so a revocation applies at once."""

    def forget() -> None:
        cache.delete(ALLOWED_ORIGINS_CACHE)
        if api_key is not None:
            cache.delete(KEY_CACHE + api_key.key_hash)

    transaction.on_commit(forget)
