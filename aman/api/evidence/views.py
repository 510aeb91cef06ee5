"""Evidence over the API: a reporter adds files with the follow-up code; staff list and add them.

Uploads are ``multipart/form-data`` with one or more ``evidence`` parts. Each file is checked by
its content, encrypted and stored exactly as in the portal; one refused file never stops the
others, and each refusal carries a stable code and a translated message.
"""

from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from aman.api import schema
from aman.api.base import PublicApiView, StaffApiView
from aman.api.reports.views import _reporter_case
from aman.cases.selectors import case_get_accessible
from aman.evidence import selectors, services
from aman.evidence.models import EvidenceItem
from aman.evidence.services import AddResult

TAG = ["evidence"]


class EvidenceFactsSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = EvidenceItem
        fields = [
            "id",
            "kind",
            "detected_type",
            "size",
            "sha256",
            "md5",
            "pdq",
            "pdq_quality",
            "received_at",
            "added_by",
        ]


class ReporterEvidenceSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = EvidenceItem
        fields = ["id", "kind", "size", "received_at"]


RESULT = inline_serializer(
    "EvidenceUploadResult",
    {
        "added": EvidenceFactsSerializer(many=True),
        "rejected": serializers.ListField(child=serializers.DictField()),
    },
)
UPLOAD = inline_serializer("EvidenceUpload", {"evidence": serializers.ListField(child=serializers.FileField())})


def _files(request: Request) -> list[Any]:
    files = request.FILES.getlist("evidence")
    if not files:
        raise ValidationError(
            {"evidence": [serializers.ErrorDetail(str(_("Choose at least one file.")), code="required")]}
        )
    return files


def _answer(result: AddResult, facts: type[serializers.ModelSerializer]) -> Response:  # type: ignore[type-arg]
    body = {
        "added": facts(result.added, many=True).data,
        "rejected": [{"name": r.name, "code": r.code, "message": str(r.message)} for r in result.rejected],
    }
    return Response(body, status=status.HTTP_201_CREATED if result.added else status.HTTP_400_BAD_REQUEST)


class ReportEvidenceAddApi(PublicApiView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="report_evidence_add",
        summary="Add screenshots or files to a report",
        description="multipart/form-data with one or more `evidence` files (pictures, MP4, PDF, chat text).",
        tags=["reports"],
        auth=[],
        parameters=[schema.REFERENCE, schema.FOLLOW_UP_CODE],
        request={"multipart/form-data": UPLOAD},
        responses={201: RESULT, 400: RESULT, 404: schema.REPORT_NOT_FOUND, 413: schema.TOO_LARGE},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = _reporter_case(request, reference)
        result = services.evidence_files_add(case=case, files=_files(request), by_reporter=True)
        return _answer(result, ReporterEvidenceSerializer)


class CaseEvidenceApi(StaffApiView):
    parser_classes = [MultiPartParser]

    def _case(self, request: Request, reference: str) -> Any:
        case = case_get_accessible(user=request.user, reference=reference)
        if case is None:
            raise Http404
        return case

    @extend_schema(
        operation_id="case_evidence_list",
        summary="The evidence of a case (facts and hashes; never the content)",
        tags=TAG,
        parameters=[schema.REFERENCE],
        responses={200: EvidenceFactsSerializer(many=True)},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = self._case(request, reference)
        items = selectors.evidence_list(user=request.user, case=case).filter(purged_at__isnull=True)
        return Response(EvidenceFactsSerializer(items, many=True).data)

    @extend_schema(
        operation_id="case_evidence_add",
        summary="Add files to a case's evidence",
        tags=TAG,
        parameters=[schema.REFERENCE],
        request={"multipart/form-data": UPLOAD},
        responses={201: RESULT, 400: RESULT, 404: schema.REPORT_NOT_FOUND},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self._case(request, reference)
        result = services.evidence_files_add(
            case=case, files=_files(request), by_reporter=False, acting_user=request.user
        )
        return _answer(result, EvidenceFactsSerializer)
