"""Hash endpoints for staff (token or session) and partners (their own key): match, fetch, feedback, banks.

A partner sends ``Authorization: Bearer amanhx_…``; the key is checked against its SHA-256 and
carries scopes (match, fetch, feedback) and the banks the partner may see. No image is ever
uploaded: only hashes travel. Every call is audited with counts, never hashes or images.
"""

from typing import Any

from django.conf import settings
from django.db import transaction
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, TokenAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from aman.api import schema
from aman.api.base import ApiView
from aman.api.hashes.serializers import (
    BankSerializer,
    FeedbackRequestSerializer,
    FeedbackResponseSerializer,
    FetchParamsSerializer,
    FetchResponseSerializer,
    MatchRequestSerializer,
    MatchResponseSerializer,
)
from aman.audit.events import EventType
from aman.audit.services import audit_record
from aman.core import ratelimit
from aman.hashbanks import selectors, services
from aman.hashbanks.matching import hashbank_match
from aman.hashbanks.models import ExchangePartner, HashBank

TAG = ["hashes"]
ERRORS = {
    401: schema.NOT_AUTHENTICATED,
    403: schema.FORBIDDEN,
    429: schema.error("Over the partner key's rate limit (`rate_limited`); see Retry-After."),
}
WRITE_ERRORS = {400: schema.MALFORMED, **ERRORS, 413: schema.TOO_LARGE, 415: schema.UNSUPPORTED}


class PartnerKeyAuthentication(BaseAuthentication):
    """``Authorization: Bearer <partner key>``. A wrong key is refused, never passed on to other schemes."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[ExchangePartner, None] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _sep, key = header.partition(" ")
        if scheme != self.keyword:
            return None
        partner = services.partner_authenticate(key=key.strip())
        if partner is None:
            raise exceptions.AuthenticationFailed()
        return partner, None

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="aman-hashes"'


class PartnerKeyScheme(OpenApiAuthenticationExtension):  # type: ignore[misc]
    target_class = "aman.api.hashes.views.PartnerKeyAuthentication"
    name = "partnerKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A hash-exchange partner's key (amanhx_…)."}


def _caller_label(request: Request) -> dict[str, Any]:
    user = request.user
    if isinstance(user, ExchangePartner):
        return {"actor_label": f"partner:{user.name}"}
    return {"actor": user}


class HashScope(BasePermission):
    """Staff by role, or a partner whose key has the view's scope."""

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        scope = view.scope
        if isinstance(user, ExchangePartner):
            return user.has_scope(scope)
        if not (user and getattr(user, "is_authenticated", False)):
            return False
        if scope == "fetch":
            return selectors.can_manage_banks(user)
        return selectors.can_lookup(user)


DEFAULT_PARTNER_RATE = "600/minute"


def _partner_rate(partner: ExchangePartner) -> tuple[int, int]:
    rate = partner.rate_limit or getattr(settings, "AMAN_HASHES_PARTNER_RATE", DEFAULT_PARTNER_RATE)
    try:
        return ratelimit.parse_rate(rate)
    except (ValueError, KeyError):
        return ratelimit.parse_rate(DEFAULT_PARTNER_RATE)


class PartnerRateThrottle(BaseThrottle):
    """Requests per partner key (its own ``rate_limit``, else AMAN_HASHES_PARTNER_RATE, 600/minute),
    counted with the project's one rate limiter (aman.core.ratelimit); over it: 429 with Retry-After.
    Staff are not limited here (they are few, signed in, and audited)."""

    scope = "hashes-partner"

    def __init__(self) -> None:
        self.window = 0

    def allow_request(self, request: Request, view: Any) -> bool:
        partner = request.user
        if not isinstance(partner, ExchangePartner):
            return True
        limit, self.window = _partner_rate(partner)
        return ratelimit.hit(scope=self.scope, ident=str(partner.pk), limit=limit, window_seconds=self.window)

    def wait(self) -> float | None:
        return float(self.window) if self.window else None


class HashApiView(ApiView):
    authentication_classes = [PartnerKeyAuthentication, TokenAuthentication, SessionAuthentication]
    permission_classes = [HashScope]
    throttle_classes = [PartnerRateThrottle]
    scope = "match"


class HashMatchApi(HashApiView):
    scope = "match"

    @extend_schema(
        operation_id="hashes_match",
        summary="Match hashes against the banks",
        description=(
            "PDQ hashes (within each bank's threshold, 31 by default, or `max_distance`) and MD5 hashes (equal) "
            "against the live hashes of the banks the caller may see. At most 1,000 hashes per request; malformed "
            "or repeated hashes are refused by position in `fields`. No image is ever sent."
        ),
        tags=TAG,
        request=MatchRequestSerializer,
        responses={200: MatchResponseSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = MatchRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        found = hashbank_match(
            pdq=d["pdq"],
            md5=d["md5"],
            max_distance=d.get("max_distance"),
            banks=selectors.bank_ids_accessible(user=request.user),
        )
        counts = {"pdq": len(d["pdq"]), "md5": len(d["md5"]), "matches": len(found)}
        with transaction.atomic():
            audit_record(
                event_type=EventType.HASHES_MATCHED, **_caller_label(request), data={"channel": "api", **counts}
            )
        return Response({"matches": [m.as_dict() for m in found], "counts": counts})


class HashFetchApi(HashApiView):
    scope = "fetch"

    @extend_schema(
        operation_id="hashes_fetch",
        summary="Hashes added and withdrawn since a checkpoint",
        description=(
            "Changes in the banks the caller may see, oldest first: `add` for a live hash, `withdraw` for a "
            "withdrawn one (remove it from your copy). Keep `next_checkpoint` and pass it as `checkpoint` next "
            "time; read again at once while `has_more` is true. Start with 0. Partners need the fetch scope; "
            "staff need the supervisor or admin role."
        ),
        tags=TAG,
        parameters=[FetchParamsSerializer],
        responses={200: FetchResponseSerializer, 400: schema.BAD_REQUEST, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = FetchParamsSerializer(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        user = request.user
        ids = selectors.bank_ids_accessible(user=user)
        banks = HashBank.objects.all() if ids is None else HashBank.objects.filter(pk__in=ids)
        partner = user if isinstance(user, ExchangePartner) else None
        page = services.hashes_fetch_changes(
            banks=banks,
            checkpoint=params.validated_data["checkpoint"],
            limit=params.validated_data["limit"],
            actor=None if partner else user,
            actor_label=f"partner:{partner.name}" if partner else "",
        )
        changes = [
            {
                "change": "withdraw" if row.withdrawn_at else "add",
                "checkpoint": str(row.change_seq),
                "hash_id": row.pk,
                "signal_type": row.signal_type,
                "value": row.value,
                "bank": {"id": row.bank_id, "name": row.bank.name, "kind": row.bank.kind},
                "category": row.category,
                "source": row.source,
                "partner": row.partner_name,
                "added_at": row.added_at,
                "withdrawn_at": row.withdrawn_at,
                "quality": row.quality,
            }
            for row in page.changes
        ]
        return Response(
            FetchResponseSerializer(
                {"changes": changes, "next_checkpoint": str(page.next_checkpoint), "has_more": page.has_more}
            ).data
        )


class HashFeedbackApi(HashApiView):
    scope = "feedback"

    @extend_schema(
        operation_id="hashes_feedback",
        summary="Say whether a hash (or a match on it) was right",
        description="Recorded with who said it and when. A hash the caller cannot see is `not_found`.",
        tags=TAG,
        request=FeedbackRequestSerializer,
        responses={201: FeedbackResponseSerializer, **WRITE_ERRORS, 404: schema.error("No such hash (`not_found`).")},
    )
    def post(self, request: Request) -> Response:
        serializer = FeedbackRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        row = selectors.hash_get_accessible(user=request.user, hash_id=d["hash_id"])
        if row is None:
            raise exceptions.NotFound()
        user = request.user
        feedback = services.hash_feedback_record(
            banked_hash=row,
            verdict=d["verdict"],
            comment=d["comment"],
            partner=user if isinstance(user, ExchangePartner) else None,
            user=None if isinstance(user, ExchangePartner) else user,  # type: ignore[arg-type]
        )
        body = {"id": feedback.pk, "hash_id": row.pk, "verdict": feedback.verdict, "created_at": feedback.created_at}
        return Response(FeedbackResponseSerializer(body).data, status=201)


class HashBankListApi(HashApiView):
    scope = "match"

    @extend_schema(
        operation_id="hashes_banks",
        summary="The banks the caller may match against",
        tags=TAG,
        responses={200: BankSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        banks = selectors.bank_list_accessible(user=request.user)
        return Response(BankSerializer(banks, many=True).data)
