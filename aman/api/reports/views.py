"""The reporter's endpoints: submit a report; come back with the reference and the code."""

import hashlib
import json
from typing import Any

from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from aman.api import schema
from aman.api.base import PublicApiView, ReportRateThrottle
from aman.api.errors import ReportNotFound
from aman.api.idempotency import idempotency_key_header
from aman.api.reports.serializers import (
    ConsentSerializer,
    ConsentUpdateSerializer,
    ItemsAddSerializer,
    ReplySerializer,
    ReportCreatedSerializer,
    ReportCreateSerializer,
    ReporterCaseSerializer,
    ReporterItemSerializer,
    ReporterMessageSerializer,
)
from aman.cases.models import Case
from aman.intake import services

TAG = ["reports"]
FOLLOW_UP_CODE_HEADER = "X-Follow-Up-Code"


def _idempotency_key(request: Request, serializer: ReportCreateSerializer) -> str:
    """The client's key bound to the body it came with.

    A replay answers with the follow-up code, so a key alone must not open someone else's case:
    the same key with a different body is a different report. Short keys are refused.
    """
    key = idempotency_key_header(request, required=False)
    if not key:
        return ""
    body = {k: v for k, v in serializer.validated_data.items() if k != "language"}
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
    return f"api|{key}|{digest}"


def _reporter_case(request: Request, reference: str) -> Case:
    """The case if the follow-up code matches; otherwise the same 404, whatever went wrong."""
    code = request.headers.get(FOLLOW_UP_CODE_HEADER, "")
    if not code.strip():
        raise ReportNotFound()
    case = services.followup_authenticate(
        reference=reference,
        code=code,
        client_token=request.client_token,  # type: ignore[attr-defined]
    )
    if case is None:
        raise ReportNotFound()
    return case


class ReportCreateApi(PublicApiView):
    throttle_classes = [ReportRateThrottle]

    @extend_schema(
        operation_id="report_create",
        summary="Submit a report",
        description=(
            "Public, no account. Rate-limited per connection (the address itself is never stored). "
            "Answers 201 with the case reference and the secret follow-up code, which is shown only once. "
            "With an `Idempotency-Key`, a retry of the same body answers 200 with the same reference; its "
            "`follow_up_code` is repeated for 24 hours and is null after that."
        ),
        tags=TAG,
        auth=[],
        parameters=[schema.IDEMPOTENCY_KEY],
        request=ReportCreateSerializer,
        responses={
            201: ReportCreatedSerializer,
            200: ReportCreatedSerializer,
            400: schema.MALFORMED,
            413: schema.TOO_LARGE,
            415: schema.UNSUPPORTED,
            429: schema.RATE_LIMITED,
        },
    )
    def post(self, request: Request) -> Response:
        serializer = ReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key = _idempotency_key(request, serializer)
        data = serializer.to_input(default_language=translation.get_language() or "ar")
        submission = services.report_submit(data=data, idempotency_key=key)
        body = ReportCreatedSerializer(
            {
                "reference": submission.case.reference,
                "follow_up_code": submission.follow_up_code,
                "status": submission.case.status,
            }
        ).data
        return Response(body, status=status.HTTP_200_OK if submission.replayed else status.HTTP_201_CREATED)


class ReportDetailApi(PublicApiView):
    @extend_schema(
        operation_id="report_retrieve",
        summary="The reporter's view of a report",
        description="Status in plain words, the helpline's messages and the reporter's, links, consent.",
        tags=TAG,
        auth=[],
        parameters=[schema.REFERENCE, schema.FOLLOW_UP_CODE],
        responses={200: ReporterCaseSerializer, 404: schema.REPORT_NOT_FOUND},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = _reporter_case(request, reference)
        services.followup_view_record(case=case)
        return Response(ReporterCaseSerializer(case).data)

    @extend_schema(
        operation_id="report_reply",
        summary="Reply to the helpline",
        description="A reply brings a case waiting on the reporter back to work, and reopens a finished one.",
        tags=TAG,
        auth=[],
        parameters=[schema.REFERENCE, schema.FOLLOW_UP_CODE],
        request=ReplySerializer,
        responses={
            201: ReporterMessageSerializer,
            400: schema.MALFORMED,
            404: schema.REPORT_NOT_FOUND,
            413: schema.TOO_LARGE,
            415: schema.UNSUPPORTED,
        },
    )
    def post(self, request: Request, reference: str) -> Response:
        case = _reporter_case(request, reference)
        serializer = ReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.reporter_reply(case=case, body=serializer.validated_data["message"])
        return Response(ReporterMessageSerializer(message).data, status=status.HTTP_201_CREATED)


class ReportItemsAddApi(PublicApiView):
    @extend_schema(
        operation_id="report_items_add",
        summary="Add links or account names",
        description="Answers with every link and account name on the report.",
        tags=TAG,
        auth=[],
        parameters=[schema.REFERENCE, schema.FOLLOW_UP_CODE],
        request=ItemsAddSerializer,
        responses={
            201: ReporterItemSerializer(many=True),
            400: schema.MALFORMED,
            404: schema.REPORT_NOT_FOUND,
            413: schema.TOO_LARGE,
            415: schema.UNSUPPORTED,
        },
    )
    def post(self, request: Request, reference: str) -> Response:
        case = _reporter_case(request, reference)
        serializer = ItemsAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.reporter_items_add(case=case, items=serializer.validated_data["items"])
        return Response(ReporterItemSerializer(case.items.all(), many=True).data, status=status.HTTP_201_CREATED)


class ReportConsentUpdateApi(PublicApiView):
    @extend_schema(
        operation_id="report_consent_update",
        summary="Change consent",
        description="All three answers are required; each kind of escalation happens only with consent.",
        tags=TAG,
        auth=[],
        parameters=[schema.REFERENCE, schema.FOLLOW_UP_CODE],
        request=ConsentUpdateSerializer,
        responses={
            200: ConsentSerializer,
            400: schema.MALFORMED,
            404: schema.REPORT_NOT_FOUND,
            413: schema.TOO_LARGE,
            415: schema.UNSUPPORTED,
        },
    )
    def put(self, request: Request, reference: str) -> Response:
        case = _reporter_case(request, reference)
        serializer = ConsentUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d: dict[str, Any] = serializer.validated_data
        case = services.reporter_consent_update(
            case=case, platform=d["platform"], police=d["police"], hotline=d["hotline"]
        )
        return Response(ConsentSerializer(case).data)
