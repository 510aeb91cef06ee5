"""The partner API: a platform, police unit or hotline reads the escalations sent to it and answers.

``Authorization: Bearer amanpt_…`` — a token made by an administrator for one partner (only a
keyed hash is stored). A token sees only its own partner's escalations once sent; another
partner's reference and a reference that does not exist get the same 404. Answers are
idempotent by the ``Idempotency-Key`` header: a retry with the same key and body gets the first
answer back (200, ``Idempotent-Replayed: true``), the same key with another body a 409.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, cast

from django.conf import settings
from django.db.models import Prefetch
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from aman.api import schema
from aman.api.base import ApiView
from aman.api.escalations.serializers import (
    PartnerEscalationPageSerializer,
    PartnerEscalationSerializer,
    PartnerListParamsSerializer,
    PartnerOutcomeSerializer,
)
from aman.api.idempotency import idempotency_key_header
from aman.core import ratelimit
from aman.escalations import selectors
from aman.escalations.models import Escalation, OutcomeStatement
from aman.escalations.tokens import PartnerCaller, partner_outcome_record, partner_token_authenticate

TAG = ["partner"]
REFERENCE = OpenApiParameter(
    "reference", OpenApiTypes.STR, OpenApiParameter.PATH, description="The notice's reference, e.g. AMN-7K3Q-9XZ2-E12."
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="16 to 200 characters (letters, digits, - _ . :), one per answer, e.g. a UUID. A retry with "
    "the same key and body gets the first answer back.",
)
NOT_FOUND = schema.error("No such escalation for this partner (`not_found`), whether it exists for another or not.")
AUTH_ERRORS = {
    401: schema.error("No token, or a wrong or revoked one (`not_authenticated`, `authentication_failed`)."),
    429: schema.error("Over the token's rate limit (`rate_limited`); see Retry-After."),
}


class PartnerTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <partner token>``; anything else is refused, never passed on."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[PartnerCaller, None] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _sep, secret = header.partition(" ")
        if not header:
            return None
        if scheme != self.keyword:
            raise exceptions.AuthenticationFailed()
        token = partner_token_authenticate(secret=secret.strip())
        if token is None:
            raise exceptions.AuthenticationFailed()
        return PartnerCaller(token=token), None

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="aman-partner"'


class PartnerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[misc]
    target_class = "aman.api.escalations.partner.PartnerTokenAuthentication"
    name = "partnerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A partner's API token (amanpt_…)."}


class IsPartner(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return isinstance(request.user, PartnerCaller)


class PartnerApiView(ApiView):
    authentication_classes = [PartnerTokenAuthentication]
    permission_classes = [IsPartner]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        limit, window = ratelimit.parse_rate(getattr(settings, "AMAN_PARTNER_API_RATE", "600/minute"))
        ident = str(self.caller(request).token.pk)
        if not ratelimit.hit(scope="partner-api", ident=ident, limit=limit, window_seconds=window):
            raise exceptions.Throttled(wait=window)

    def caller(self, request: Request) -> PartnerCaller:
        return cast(PartnerCaller, request.user)

    def get_escalation(self, request: Request, reference: str) -> Escalation:
        escalation = selectors.partner_escalation_get(token=self.caller(request).token, reference=reference[:80])
        if escalation is None:
            raise exceptions.NotFound()
        return escalation


def _with_statements(rows: Any) -> Any:
    return rows.prefetch_related(Prefetch("statements", queryset=OutcomeStatement.objects.order_by("created_at", "id")))


class PartnerEscalationListApi(PartnerApiView):
    @extend_schema(
        operation_id="partner_escalation_list",
        summary="Escalations sent to this partner",
        description=(
            "Oldest first, by the time they were sent. `since` (exclusive) pages on: pass the answer's "
            "`next_since` to get the following ones."
        ),
        tags=TAG,
        parameters=[PartnerListParamsSerializer],
        responses={200: PartnerEscalationPageSerializer, 400: schema.BAD_REQUEST, **AUTH_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = PartnerListParamsSerializer(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        rows = selectors.partner_escalations(token=self.caller(request).token).order_by("sent_at", "id")
        if params.validated_data["since"] is not None:
            rows = rows.filter(sent_at__gt=params.validated_data["since"])
        limit = params.validated_data["limit"]
        page = list(_with_statements(rows)[: limit + 1])
        more = len(page) > limit
        page = page[:limit]
        return Response(
            {
                "results": PartnerEscalationSerializer(page, many=True).data,
                "next_since": page[-1].sent_at.isoformat() if more and page else None,
            }
        )


class PartnerEscalationDetailApi(PartnerApiView):
    @extend_schema(
        operation_id="partner_escalation_retrieve",
        summary="One escalation sent to this partner",
        tags=TAG,
        parameters=[REFERENCE],
        responses={200: PartnerEscalationSerializer, 404: NOT_FOUND, **AUTH_ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        escalation = self.get_escalation(request, reference)
        row = _with_statements(Escalation.objects.select_related("case").filter(pk=escalation.pk)).get()
        return Response(PartnerEscalationSerializer(row).data)


class PartnerOutcomeApi(PartnerApiView):
    @extend_schema(
        operation_id="partner_escalation_outcome",
        summary="Answer an escalation: the decision and its statement of reasons",
        description=(
            "The fields of a DSA Art. 17 statement of reasons. `more_info` asks the helpline for more and "
            "keeps the clock running; `appealed` reopens a decision under review. Idempotent by the "
            "`Idempotency-Key` header."
        ),
        tags=TAG,
        parameters=[REFERENCE, IDEMPOTENCY_KEY],
        request=PartnerOutcomeSerializer,
        responses={
            201: PartnerEscalationSerializer,
            200: OpenApiResponse(PartnerEscalationSerializer, description="A replay: the first answer."),
            400: schema.MALFORMED,
            404: NOT_FOUND,
            409: schema.error("The key was used with another body (`idempotency_key_reused`)."),
            413: schema.TOO_LARGE,
            415: schema.UNSUPPORTED,
            **AUTH_ERRORS,
        },
    )
    def post(self, request: Request, reference: str) -> Response:
        escalation = self.get_escalation(request, reference)
        key = idempotency_key_header(request, required=True)
        body = PartnerOutcomeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        digest = hashlib.sha256(json.dumps(d, sort_keys=True, default=str).encode()).hexdigest()
        answer = partner_outcome_record(
            escalation=escalation,
            token=self.caller(request).token,
            idempotency_key=key,
            request_digest=digest,
            outcome=d["outcome"],
            partner_reference=d["partner_reference"],
            decided_at=d["decided_at"],
            statement=body.statement(),
        )
        row = _with_statements(Escalation.objects.select_related("case").filter(pk=answer.escalation.pk)).get()
        response = Response(
            PartnerEscalationSerializer(row).data,
            status=status.HTTP_200_OK if answer.replayed else status.HTTP_201_CREATED,
        )
        if answer.replayed:
            response["Idempotent-Replayed"] = "true"
        return response
