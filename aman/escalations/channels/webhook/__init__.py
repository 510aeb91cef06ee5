"""Webhook channel: a signed JSON POST to a partner's trusted-partner API.

Headers::

    X-Aman-Timestamp: <unix seconds>
    X-Aman-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
    X-Aman-Idempotency-Key: <uuid, the same on every retry of one escalation>

The receiver recomputes the signature over the raw body, refuses timestamps older than a few
minutes, and keeps the idempotency key to answer a repeat with the first result. Redirects are
never followed; proxies from the environment are ignored unless AMAN_ESCALATION_USE_ENV_PROXY.
A 2xx answer may carry ``{"reference": "..."}``: the partner's own reference.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from aman.escalations.channels import DeliveryResult, Outbound, PermanentFailure, TemporaryFailure

RETRY_STATUSES = {408, 425, 429}


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str, body: bytes, header: str, *, max_age: int = 300) -> bool:
    """What a receiver does (used by our tests' receiver, and documented for partners)."""
    try:
        age = abs(time.time() - int(timestamp))
    except ValueError:
        return False
    return age <= max_age and hmac.compare_digest(signature(secret, timestamp, body), header)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises HTTPError with the 3xx status


def _opener() -> urllib.request.OpenerDirector:
    handlers: list[Any] = [_NoRedirect()]
    if not getattr(settings, "AMAN_ESCALATION_USE_ENV_PROXY", False):
        handlers.append(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener(*handlers)


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    allowed = {"https"} | ({"http"} if getattr(settings, "AMAN_ESCALATION_ALLOW_HTTP", False) else set())
    if parts.scheme not in allowed or not parts.hostname:
        raise PermanentFailure("the partner's API address must be an https:// URL")


def send(escalation: Any, outbound: Outbound) -> DeliveryResult:
    from aman.escalations.services import partner_webhook_secret

    partner = escalation.partner
    url = partner.endpoint_url
    if not url:
        raise PermanentFailure("the partner has no API address")
    _check_url(url)
    secret = partner_webhook_secret(partner=partner)
    if not secret:
        raise PermanentFailure("the partner has no signing secret")
    body = json.dumps(outbound.data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Aman-escalations/1",
            "X-Aman-Timestamp": timestamp,
            "X-Aman-Signature": signature(secret, timestamp, body),
            "X-Aman-Idempotency-Key": str(escalation.idempotency_key),
        },
    )
    timeout = float(getattr(settings, "AMAN_ESCALATION_WEBHOOK_TIMEOUT", 10))
    try:
        with _opener().open(request, timeout=timeout) as response:
            status = response.status
            answer = response.read(64 * 1024)
    except urllib.error.HTTPError as exc:
        status = exc.code
        snippet = exc.read(300).decode("utf-8", "replace") if exc.fp else ""
        detail = f"HTTP {status} {snippet!r}"
        if 300 <= status < 400:
            raise PermanentFailure(f"HTTP {status}: redirects are not followed") from exc
        if status >= 500 or status in RETRY_STATUSES:
            raise TemporaryFailure(detail) from exc
        raise PermanentFailure(detail) from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise TemporaryFailure(f"could not reach the partner's API: {reason}") from exc
    reference = ""
    try:
        parsed = json.loads(answer or b"{}")
        if isinstance(parsed, dict) and isinstance(parsed.get("reference"), str | int):
            reference = str(parsed["reference"])[:200]
    except ValueError:
        pass
    return DeliveryResult(reference=reference, detail=f"HTTP {status}, {len(body)} bytes")
