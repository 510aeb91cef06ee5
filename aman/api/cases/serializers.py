"""What staff send and read. Reporter contact details are never here (the console shows them, audited)."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from aman.accounts.models import User
from aman.api.base import CleanTextField, PlainValueField, StrictBooleanField, StrictCharField, StrictSerializer
from aman.audit.events import EventType
from aman.audit.models import AuditEvent
from aman.cases.choices import HarmCategory, Outcome, Platform, Urgency
from aman.cases.models import Case, Message, Note, ReportItem
from aman.cases.selectors import QUEUE_CODES, CaseFilters
from aman.cases.states import Status, allowed_transitions
from aman.intake.validation import MAX_DESCRIPTION, MAX_MESSAGE

MAX_QUERY = 200


# Input ----------------------------------------------------------------------------------------


class CaseFiltersSerializer(StrictSerializer):
    """Query parameters of the case list (limit and offset are the paginator's)."""

    queue = serializers.ChoiceField(choices=QUEUE_CODES, default="all")
    q = StrictCharField(required=False, allow_blank=True, default="", max_length=MAX_QUERY)
    category = serializers.ChoiceField(choices=HarmCategory.choices, required=False, allow_blank=True, default="")
    platform = serializers.ChoiceField(choices=Platform.choices, required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=Status.choices, required=False, allow_blank=True, default="")
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, allow_blank=True, default="")

    def to_filters(self) -> CaseFilters:
        d = self.validated_data
        return CaseFilters(
            queue=d["queue"],
            q=d["q"],
            category=d["category"],
            platform=d["platform"],
            status=d["status"],
            urgency=d["urgency"],
        )


class AuditFiltersSerializer(StrictSerializer):
    case = StrictCharField(required=False, allow_blank=True, default="", max_length=32, help_text="A case reference.")
    event_type = serializers.ChoiceField(choices=EventType.choices, required=False, allow_blank=True, default="")


class TriageSerializer(StrictSerializer):
    """Risk flags left out keep their current values."""

    category = serializers.ChoiceField(choices=HarmCategory.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    minor_involved = StrictBooleanField(required=False)
    imminent_danger = StrictBooleanField(required=False)
    self_harm = StrictBooleanField(required=False)


class AssignSerializer(StrictSerializer):
    assignee = PlainValueField(allow_null=True, max_length=150, help_text="A staff username, or null to release.")

    def validate_assignee(self, value: str | None) -> User | None:
        if value is None:
            return None
        user = User.objects.filter(username=value).first()
        if user is None:
            raise serializers.ValidationError(_("There is no staff member with this username."), code="unknown_user")
        return user


class TransitionSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=Status.choices)
    outcome = serializers.ChoiceField(
        choices=Outcome.choices, required=False, allow_blank=True, default="", help_text="Needed to resolve."
    )
    outcome_note = CleanTextField(max_chars=MAX_DESCRIPTION, required=False, allow_blank=True, default="")
    reason = CleanTextField(
        max_chars=MAX_MESSAGE, required=False, allow_blank=True, default="", help_text="Needed to reopen."
    )


class ReopenSerializer(StrictSerializer):
    reason = CleanTextField(max_chars=MAX_MESSAGE)


class NoteCreateSerializer(StrictSerializer):
    body = CleanTextField(max_chars=MAX_MESSAGE)


class MessageCreateSerializer(StrictSerializer):
    body = CleanTextField(max_chars=MAX_MESSAGE)
    wait_for_reply = StrictBooleanField(
        default=False, help_text="Also move the case to 'waiting on reporter' when that is allowed."
    )


# Output ---------------------------------------------------------------------------------------


class AuthorField(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        user: Any = super().get_attribute(instance)
        return user.get_username() if user is not None else None

    def to_representation(self, value: Any) -> str:
        return str(value)


class CaseListItemSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    category_label = serializers.CharField(source="get_category_display")
    urgency_label = serializers.CharField(source="get_urgency_display")
    platforms = serializers.ListField(source="platform_list", child=serializers.ChoiceField(choices=Platform.choices))
    assignee = AuthorField(help_text="Username, or null when nobody holds the case.")
    first_response_overdue = serializers.BooleanField()
    resolution_overdue = serializers.BooleanField()

    class Meta:
        model = Case
        fields = [
            "reference",
            "status",
            "status_label",
            "category",
            "category_label",
            "urgency",
            "urgency_label",
            "platforms",
            "minor_involved",
            "imminent_danger",
            "self_harm",
            "assignee",
            "created_at",
            "first_response_due",
            "resolution_due",
            "first_responded_at",
            "first_response_overdue",
            "resolution_overdue",
            "closed_at",
        ]


class CaseItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportItem
        fields = ["kind", "value", "added_by_reporter", "created_at"]


class CaseMessageSerializer(serializers.ModelSerializer):
    author = AuthorField()

    class Meta:
        model = Message
        fields = ["id", "direction", "body", "author", "created_at"]


class CaseNoteSerializer(serializers.ModelSerializer):
    author = AuthorField()

    class Meta:
        model = Note
        fields = ["id", "body", "author", "created_at"]


class TimelineEventSerializer(serializers.ModelSerializer):
    event_label = serializers.CharField(source="get_event_type_display")
    actor = serializers.CharField(source="actor_label")

    class Meta:
        model = AuditEvent
        fields = ["sequence", "occurred_at", "event_type", "event_label", "actor", "data"]


class CaseConsentSerializer(serializers.ModelSerializer):
    platform = serializers.BooleanField(source="consent_platform")
    police = serializers.BooleanField(source="consent_police")
    hotline = serializers.BooleanField(source="consent_hotline")
    updated_at = serializers.DateTimeField(source="consent_updated_at", allow_null=True)

    class Meta:
        model = Case
        fields = ["platform", "police", "hotline", "updated_at"]


class CaseDetailSerializer(CaseListItemSerializer):
    """A case for staff. ``contact_method`` says whether the reporter left contact details, not what they are."""

    allowed_transitions = serializers.SerializerMethodField()
    consent = CaseConsentSerializer(source="*")
    items = CaseItemSerializer(many=True)
    messages = CaseMessageSerializer(many=True)
    notes = CaseNoteSerializer(many=True)
    timeline = serializers.SerializerMethodField()
    # Plain strings in the schema: the same choice sets are already described as CategoryEnum and ContactMethod.
    reported_category = serializers.CharField(help_text="The category the reporter chose (a category code).")
    contact_method = serializers.CharField(help_text="none, email or phone: whether contact details were left.")

    class Meta(CaseListItemSerializer.Meta):
        fields = [
            *CaseListItemSerializer.Meta.fields,
            "reported_category",
            "source",
            "language",
            "affected",
            "age_band",
            "in_danger_now",
            "description",
            "contact_method",
            "consent",
            "outcome",
            "outcome_note",
            "resolved_at",
            "last_reporter_activity_at",
            "purged_at",
            "updated_at",
            "allowed_transitions",
            "items",
            "messages",
            "notes",
            "timeline",
        ]

    @extend_schema_field(TimelineEventSerializer(many=True))
    def get_timeline(self, case: Case) -> list[dict[str, Any]]:
        """The timeline is read by the view (aman.cases.selectors.case_timeline) and passed in."""
        return TimelineEventSerializer(self.context.get("timeline", []), many=True).data  # type: ignore[return-value]

    @extend_schema_field({"type": "array", "items": {"$ref": "#/components/schemas/StatusEnum"}})
    def get_allowed_transitions(self, case: Case) -> list[str]:
        return sorted(allowed_transitions(case.status))


class QueueSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=QUEUE_CODES)
    label = serializers.CharField()  # type: ignore[assignment]  # the queue's name, not Field.label
    count = serializers.IntegerField()


class AuditEventSerializer(serializers.ModelSerializer):
    event_label = serializers.CharField(source="get_event_type_display")
    actor = serializers.CharField(source="actor_label")
    case = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = ["sequence", "occurred_at", "event_type", "event_label", "actor", "case", "data", "prev_hash", "hash"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_case(self, event: AuditEvent) -> str | None:
        return event.case.reference if event.case is not None else None
