"""Staff endpoints for escalations: list and create on a case, send, record the partner's answer.

Escalations are found through aman.escalations.selectors (scoped to the cases the user can see);
one out of reach is a 404 like one that does not exist. Sending only queues: delivery runs in the
background task, so the answer shows ``queued`` (or ``awaiting_approval`` for the police).
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from aman.api import schema
from aman.api.base import StaffApiView
from aman.api.cases.views import CASE_ERRORS, WRITE_ERRORS, CaseApiView
from aman.api.escalations.serializers import (
    EscalationCreateSerializer,
    EscalationOutcomeSerializer,
    EscalationSendSerializer,
    EscalationSerializer,
)
from aman.escalations import selectors, services
from aman.escalations.models import Escalation

TAG = ["escalations"]
ESCALATION_ID = OpenApiParameter("escalation_id", int, OpenApiParameter.PATH, description="The escalation's id.")


def _render(escalation: Escalation, status_code: int = status.HTTP_200_OK) -> Response:
    escalation = (
        Escalation.objects.select_related("case", "partner").prefetch_related("deliveries").get(pk=escalation.pk)
    )
    return Response(EscalationSerializer(escalation).data, status=status_code)


class CaseEscalationsApi(CaseApiView):
    @extend_schema(
        operation_id="case_escalation_list",
        summary="A case's escalations",
        tags=TAG,
        parameters=[schema.REFERENCE],
        responses={200: EscalationSerializer(many=True), **CASE_ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = self.get_case(request, reference)
        rows: QuerySet[Escalation] = selectors.escalations_for_case(user=request.user, case=case).prefetch_related(
            "deliveries"
        )
        return Response(EscalationSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="case_escalation_create",
        summary="Draft an escalation and render its notice",
        description=(
            "Checks the consent gate (`consent_missing`, `override_not_allowed`, `override_reason_required`). "
            "The answer holds the notice exactly as it will be sent; send it with `/escalations/{id}/send`."
        ),
        tags=TAG,
        parameters=[schema.REFERENCE],
        request=EscalationCreateSerializer,
        responses={201: EscalationSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.get_case(request, reference)
        serializer = EscalationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        partner = selectors.partners_active(user=request.user).filter(slug=d["partner"]).first()
        if partner is None:
            raise NotFound()
        escalation = services.escalation_create(
            case=case,
            partner=partner,
            policy_category=d["category"],
            partner_policy=d["partner_policy"],
            language=d["language"],
            item_ids=d["items"],
            evidence_ids=d["evidence"],
            explanation=d["explanation"],
            override_reason=d["override_reason"],
            include_contact=d["include_contact"],
            contact_reason=d["contact_reason"],
            acting_user=request.user,  # type: ignore[arg-type]
        )
        return _render(escalation, status.HTTP_201_CREATED)


class EscalationApiView(StaffApiView):
    def get_escalation(self, request: Request, escalation_id: int) -> Escalation:
        escalation = selectors.escalation_get_accessible(user=request.user, escalation_id=escalation_id)
        if escalation is None:
            raise NotFound()
        return escalation


class EscalationDetailApi(EscalationApiView):
    @extend_schema(
        operation_id="escalation_retrieve",
        summary="An escalation with its notice and delivery attempts",
        tags=TAG,
        parameters=[ESCALATION_ID],
        responses={200: EscalationSerializer, **CASE_ERRORS},
    )
    def get(self, request: Request, escalation_id: int) -> Response:
        return _render(self.get_escalation(request, escalation_id))


class EscalationSendApi(EscalationApiView):
    @extend_schema(
        operation_id="escalation_send",
        summary="Send a drafted escalation",
        description="Queues it for delivery, or for a supervisor's approval when it goes to the police.",
        tags=TAG,
        parameters=[ESCALATION_ID],
        request=EscalationSendSerializer,
        responses={200: EscalationSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, escalation_id: int) -> Response:
        escalation = self.get_escalation(request, escalation_id)
        serializer = EscalationSendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        escalation = services.escalation_send(
            escalation=escalation,
            acting_user=request.user,  # type: ignore[arg-type]
            override_reason=serializer.validated_data["override_reason"],
        )
        return _render(escalation)


class EscalationOutcomeApi(EscalationApiView):
    @extend_schema(
        operation_id="escalation_outcome",
        summary="Record the partner's answer",
        description=(
            "An outcome, the partner's reference, or both, with the fields of a DSA Art. 17 statement of "
            "reasons. `more_info` keeps the clock running; `appealed` reopens a decided escalation and "
            "restarts the clock."
        ),
        tags=TAG,
        parameters=[ESCALATION_ID],
        request=EscalationOutcomeSerializer,
        responses={200: EscalationSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, escalation_id: int) -> Response:
        escalation = self.get_escalation(request, escalation_id)
        serializer = EscalationOutcomeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        escalation = services.escalation_outcome_record(
            escalation=escalation,
            acting_user=request.user,  # type: ignore[arg-type]
            outcome=d["outcome"],
            partner_reference=d["partner_reference"],
            actioned_at=d["actioned_at"],
            statement=serializer.statement(),
        )
        return _render(escalation)
