"""Staff endpoints: queues, cases and what can be done to them, the audit log.

Every case is read through aman.cases.selectors, scoped to the requesting user; a case the user
may not see is a 404, exactly like a case that does not exist.
"""

from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response

from aman.api import schema
from aman.api.base import StaffApiView
from aman.api.cases.serializers import (
    AssignSerializer,
    AuditEventSerializer,
    AuditFiltersSerializer,
    CaseDetailSerializer,
    CaseFiltersSerializer,
    CaseListItemSerializer,
    CaseMessageSerializer,
    CaseNoteSerializer,
    MessageCreateSerializer,
    NoteCreateSerializer,
    QueueSerializer,
    ReopenSerializer,
    TransitionSerializer,
    TriageSerializer,
)
from aman.api.permissions import CanReadAudit
from aman.audit.events import EventType
from aman.audit.models import AuditEvent
from aman.audit.services import audit_record
from aman.cases import errors, services
from aman.cases.models import Case, Message, Note
from aman.cases.selectors import (
    QUEUES,
    audit_list_accessible,
    case_get_accessible,
    case_queue,
    case_timeline,
    queue_counts,
)
from aman.cases.states import REOPEN_FROM
from aman.intake.codes import normalize_reference

TAG = ["cases"]
PAGINATION_PARAMS = ("limit", "offset")
CASE_ERRORS = {
    401: schema.NOT_AUTHENTICATED,
    403: schema.FORBIDDEN,
    404: schema.NOT_FOUND,
}
WRITE_ERRORS = {
    400: schema.MALFORMED,
    **CASE_ERRORS,
    413: schema.TOO_LARGE,
    415: schema.UNSUPPORTED,
}


class Pagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200


def _filter_data(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.query_params.dict().items() if k not in PAGINATION_PARAMS}


class CaseApiView(StaffApiView):
    """A view about one case, found through the selector (never by id)."""

    def get_case(self, request: Request, reference: str) -> Case:
        normalized = normalize_reference(reference)
        case = case_get_accessible(user=request.user, reference=normalized) if normalized else None
        if case is None:
            raise NotFound()
        return case

    def render_case(self, case: Case, *, status_code: int = status.HTTP_200_OK) -> Response:
        prefetch_related_objects(
            [case],
            "items",
            Prefetch("messages", queryset=Message.objects.select_related("author")),
            Prefetch("notes", queryset=Note.objects.select_related("author")),
        )
        context = {"timeline": case_timeline(case=case)}
        return Response(CaseDetailSerializer(case, context=context).data, status=status_code)


class QueueListApi(StaffApiView):
    @extend_schema(
        operation_id="queue_list",
        summary="Queues and their counts",
        description="Counts are of the cases the user can see (agents: unassigned and their own).",
        tags=TAG,
        responses={200: QueueSerializer(many=True), 401: schema.NOT_AUTHENTICATED, 403: schema.FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        counts = queue_counts(user=request.user)
        rows = [{"code": q.code, "label": str(q.label), "count": counts.get(q.code) or 0} for q in QUEUES]
        return Response(QueueSerializer(rows, many=True).data)


class CaseListApi(StaffApiView, generics.ListAPIView):
    serializer_class = CaseListItemSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Case]:
        filters = CaseFiltersSerializer(data=_filter_data(self.request))
        filters.is_valid(raise_exception=True)
        return case_queue(user=self.request.user, filters=filters.to_filters())

    @extend_schema(
        operation_id="case_list",
        summary="Cases in a queue, filtered and searched",
        description=(
            "`q` searches the reference, the report's words, links and handles (Arabic letter variants are "
            "normalised). Open queues are ordered by urgency then age; `closed` by most recently closed."
        ),
        tags=TAG,
        parameters=[CaseFiltersSerializer],
        responses={200: CaseListItemSerializer(many=True), 400: schema.BAD_REQUEST, **CASE_ERRORS},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CaseDetailApi(CaseApiView):
    @extend_schema(
        operation_id="case_retrieve",
        summary="A case with its links, messages, notes and timeline",
        description="Viewing is recorded in the audit log. Reporter contact details are not part of the API.",
        tags=TAG,
        parameters=[schema.REFERENCE],
        responses={200: CaseDetailSerializer, **CASE_ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = self.get_case(request, reference)
        services.case_view_record(case=case, acting_user=request.user)  # type: ignore[arg-type]
        return self.render_case(case)


class CaseTriageApi(CaseApiView):
    @extend_schema(
        operation_id="case_triage",
        summary="Triage: category, urgency and risk flags",
        description="A new case becomes triaged. Changing the urgency recomputes the SLA due times.",
        tags=TAG,
        parameters=[schema.REFERENCE],
        request=TriageSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.get_case(request, reference)
        serializer = TriageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        case = services.case_triage(
            case=case,
            category=d["category"],
            urgency=d["urgency"],
            minor_involved=d.get("minor_involved", case.minor_involved),
            imminent_danger=d.get("imminent_danger", case.imminent_danger),
            self_harm=d.get("self_harm", case.self_harm),
            acting_user=request.user,  # type: ignore[arg-type]
        )
        return self.render_case(case)


class CaseAssignApi(CaseApiView):
    @extend_schema(
        operation_id="case_assign",
        summary="Assign or release a case",
        description="Agents take or release their own cases (`assignment_not_allowed` otherwise); "
        "supervisors and admins assign anyone on the staff.",
        tags=TAG,
        parameters=[schema.REFERENCE],
        request=AssignSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.get_case(request, reference)
        serializer = AssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.case_assign(
            case=case,
            assignee=serializer.validated_data["assignee"],
            acting_user=request.user,  # type: ignore[arg-type]
        )
        return self.render_case(case)


class CaseTransitionApi(CaseApiView):
    @extend_schema(
        operation_id="case_transition",
        summary="Change a case's status",
        description="Allowed moves are in `allowed_transitions` of the case (`transition_not_allowed` otherwise). "
        "Resolving needs an `outcome` (`outcome_required`); leaving resolved or closed is a reopen and needs a "
        "`reason` (`reason_required`).",
        tags=TAG,
        parameters=[schema.REFERENCE],
        request=TransitionSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.get_case(request, reference)
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        case = services.case_transition(
            case=case,
            to_status=d["status"],
            acting_user=request.user,  # type: ignore[arg-type]
            outcome=d["outcome"],
            outcome_note=d["outcome_note"],
            reason=d["reason"],
        )
        return self.render_case(case)


class CaseReopenApi(CaseApiView):
    @extend_schema(
        operation_id="case_reopen",
        summary="Reopen a resolved or closed case",
        description="Only a resolved or closed case can be reopened (`transition_not_allowed` otherwise).",
        tags=TAG,
        parameters=[schema.REFERENCE],
        request=ReopenSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.get_case(request, reference)
        serializer = ReopenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # case_reopen would also move an open triaged case to in progress; a reopen is only for finished cases.
        if case.status not in REOPEN_FROM:
            raise errors.TransitionNotAllowed()
        case = services.case_reopen(
            case=case,
            acting_user=request.user,  # type: ignore[arg-type]
            reason=serializer.validated_data["reason"],
        )
        return self.render_case(case)


class CaseNoteCreateApi(CaseApiView):
    @extend_schema(
        operation_id="case_note_create",
        summary="Add an internal note",
        description="Notes are for staff only; the reporter never sees them.",
        tags=TAG,
        parameters=[schema.REFERENCE],
        request=NoteCreateSerializer,
        responses={201: CaseNoteSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.get_case(request, reference)
        serializer = NoteCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = services.case_note_add(
            case=case,
            body=serializer.validated_data["body"],
            acting_user=request.user,  # type: ignore[arg-type]
        )
        return Response(CaseNoteSerializer(note).data, status=status.HTTP_201_CREATED)


class CaseMessageCreateApi(CaseApiView):
    @extend_schema(
        operation_id="case_message_create",
        summary="Write to the reporter",
        description="The reporter reads it with the follow-up code. The first message counts as the first response.",
        tags=TAG,
        parameters=[schema.REFERENCE],
        request=MessageCreateSerializer,
        responses={201: CaseMessageSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.get_case(request, reference)
        serializer = MessageCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.case_message_send(
            case=case,
            body=serializer.validated_data["body"],
            wait_for_reply=serializer.validated_data["wait_for_reply"],
            acting_user=request.user,  # type: ignore[arg-type]
        )
        return Response(CaseMessageSerializer(message).data, status=status.HTTP_201_CREATED)


class AuditListApi(StaffApiView, generics.ListAPIView):
    permission_classes = [CanReadAudit]
    serializer_class = AuditEventSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[AuditEvent]:
        filters = AuditFiltersSerializer(data=_filter_data(self.request))
        filters.is_valid(raise_exception=True)
        self.filters: dict[str, str] = {k: v for k, v in filters.validated_data.items() if v}
        qs = audit_list_accessible(user=self.request.user)
        if self.filters.get("case"):
            qs = qs.filter(case__reference=normalize_reference(self.filters["case"]) or "-")
        if self.filters.get("event_type"):
            qs = qs.filter(event_type=self.filters["event_type"])
        return qs

    @extend_schema(
        operation_id="audit_list",
        summary="The audit log, newest first",
        description="For supervisors and admins. Reading it is itself recorded.",
        tags=["audit"],
        parameters=[AuditFiltersSerializer],
        responses={
            200: AuditEventSerializer(many=True),
            400: schema.BAD_REQUEST,
            401: schema.NOT_AUTHENTICATED,
            403: schema.FORBIDDEN,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        audit_record(event_type=EventType.AUDIT_VIEWED, actor=request.user, data={"filters": self.filters})
        return response
