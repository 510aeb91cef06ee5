"""Escalation endpoints: input and output shapes."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from aman.api.base import CleanTextField, PlainValueField, StrictBooleanField, StrictCharField, StrictSerializer
from aman.cases.choices import HarmCategory
from aman.escalations.models import NOTICE_LANGUAGES, Automation, DecisionGround, Escalation, EscalationOutcome
from aman.escalations.notice import notice_reference
from aman.escalations.services import StatementInput

MAX_TEXT = 4000
MAX_REASON = 1000


class EscalationCreateSerializer(StrictSerializer):
    partner = serializers.SlugField(help_text="The partner's short name, e.g. `meta`, `community-police`.")
    category = serializers.ChoiceField(choices=HarmCategory.choices, help_text="The harm category reported.")
    partner_policy = CleanTextField(max_chars=200, required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(
        choices=[(c, c) for c in NOTICE_LANGUAGES], required=False, allow_blank=True, default=""
    )
    items = serializers.ListField(
        child=serializers.IntegerField(min_value=1), max_length=200, default=list, help_text="Link and account ids."
    )
    evidence = serializers.ListField(
        child=serializers.IntegerField(min_value=1), max_length=50, default=list, help_text="Evidence file ids."
    )
    explanation = CleanTextField(max_chars=MAX_TEXT, help_text="Why the content is illegal or against the rules.")
    override_reason = CleanTextField(
        max_chars=MAX_REASON, required=False, allow_blank=True, default="", help_text="Supervisors only."
    )
    include_contact = StrictBooleanField(default=False, help_text="Police only, supervisors only.")
    contact_reason = CleanTextField(max_chars=MAX_REASON, required=False, allow_blank=True, default="")


class EscalationSendSerializer(StrictSerializer):
    override_reason = CleanTextField(
        max_chars=MAX_REASON, required=False, allow_blank=True, default="", help_text="Supervisors only."
    )


def _choice_field(choices: Any, default: str, help_text: str) -> StrictCharField:
    # Plain strings checked against the choices: enums named after shared words would collide.
    return StrictCharField(
        required=False,
        allow_blank=False,
        default=default,
        max_length=20,
        help_text=help_text + " " + ", ".join(choices),
    )


def _check_choice(value: str, allowed: Any) -> str:
    if value and value not in allowed:
        raise serializers.ValidationError(
            serializers.ChoiceField.default_error_messages["invalid_choice"].format(input=value),
            code="invalid_choice",
        )
    return value


class StatementFieldsSerializer(StrictSerializer):
    """The fields of a DSA Art. 17 statement of reasons."""

    scope = CleanTextField(
        max_chars=300, required=False, allow_blank=True, default="", help_text="Territorial scope and duration."
    )
    facts = CleanTextField(
        max_chars=MAX_TEXT, required=False, allow_blank=True, default="", help_text="Facts and circumstances."
    )
    ground = _choice_field(DecisionGround.values, DecisionGround.NOT_STATED, "Legal or contractual ground; one of:")
    ground_reference = CleanTextField(
        max_chars=300, required=False, allow_blank=True, default="", help_text="The law or terms relied on."
    )
    ground_explanation = CleanTextField(max_chars=MAX_TEXT, required=False, allow_blank=True, default="")
    automated_detection = _choice_field(Automation.values, Automation.NOT_STATED, "One of:")
    automated_decision = _choice_field(Automation.values, Automation.NOT_STATED, "One of:")
    redress = CleanTextField(
        max_chars=MAX_TEXT, required=False, allow_blank=True, default="", help_text="How to challenge the decision."
    )

    def validate_ground(self, value: str) -> str:
        return _check_choice(value, DecisionGround.values)

    def validate_automated_detection(self, value: str) -> str:
        return _check_choice(value, Automation.values)

    def validate_automated_decision(self, value: str) -> str:
        return _check_choice(value, Automation.values)

    def statement(self) -> StatementInput:
        d = self.validated_data
        return StatementInput(
            scope=d["scope"],
            facts=d.get("facts", "") or d.get("note", ""),
            ground=d["ground"],
            ground_reference=d["ground_reference"],
            ground_explanation=d["ground_explanation"],
            automated_detection=d["automated_detection"],
            automated_decision=d["automated_decision"],
            redress=d["redress"],
        )


class EscalationOutcomeSerializer(StatementFieldsSerializer):
    outcome = StrictCharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=20,
        help_text="One of: " + ", ".join(EscalationOutcome.values) + "; empty to record only the reference.",
    )
    partner_reference = PlainValueField(max_length=200, required=False, allow_blank=True, default="")
    note = CleanTextField(
        max_chars=MAX_TEXT, required=False, allow_blank=True, default="", help_text="Same as `facts` (older name)."
    )
    actioned_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Date of the decision (default: now)."
    )

    def validate_outcome(self, value: str) -> str:
        return _check_choice(value, EscalationOutcome.values)


class PartnerOutcomeSerializer(StatementFieldsSerializer):
    """A partner's answer: what it did, and its statement of reasons."""

    outcome = StrictCharField(max_length=20, help_text="One of: " + ", ".join(EscalationOutcome.values) + ".")
    partner_reference = PlainValueField(max_length=200, required=False, allow_blank=True, default="")
    decided_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Date of the decision (default: now)."
    )

    def validate_outcome(self, value: str) -> str:
        return _check_choice(value, EscalationOutcome.values)


class PartnerStatementSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    partner_reference = serializers.CharField()
    decided_at = serializers.DateTimeField()
    scope = serializers.CharField()
    facts = serializers.CharField()
    ground = serializers.CharField()
    ground_reference = serializers.CharField()
    ground_explanation = serializers.CharField()
    automated_detection = serializers.CharField()
    automated_decision = serializers.CharField()
    redress = serializers.CharField()
    recorded_via = serializers.CharField(source="source", help_text="console, partner_api or migrated.")
    created_at = serializers.DateTimeField(help_text="When Aman recorded it.")


class PartnerEscalationSerializer(serializers.Serializer):
    """What a partner sees of an escalation sent to it: the notice it received, the clock, its answers."""

    reference = serializers.SerializerMethodField(help_text="The notice's reference, e.g. AMN-7K3Q-9XZ2-E12.")
    status = serializers.CharField()
    category = serializers.CharField(source="policy_category")
    partner_policy = serializers.CharField()
    language = serializers.CharField()
    notice_subject = serializers.CharField()
    notice_text = serializers.CharField(help_text="Empty once the case's data is purged (retention).")
    sent_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    outcome = serializers.CharField()
    partner_reference = serializers.CharField()
    statements = PartnerStatementSerializer(many=True)

    def get_reference(self, obj: Escalation) -> str:
        return notice_reference(obj)


class PartnerEscalationPageSerializer(serializers.Serializer):
    results = PartnerEscalationSerializer(many=True)
    next_since = serializers.DateTimeField(
        allow_null=True, help_text="Pass as `since` for the next page; null when there is no more."
    )


class PartnerListParamsSerializer(StrictSerializer):
    since = serializers.DateTimeField(required=False, allow_null=True, default=None)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=200, default=50)


class DeliverySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    channel = serializers.CharField()
    result = serializers.CharField()
    reference = serializers.CharField()
    created_at = serializers.DateTimeField()


class EscalationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.CharField(source="case.reference")
    partner = serializers.CharField(source="partner.slug")
    partner_name = serializers.CharField(source="partner.name")
    channel = serializers.CharField(source="partner.channel")
    status = serializers.CharField()
    policy_category = serializers.CharField()
    partner_policy = serializers.CharField()
    language = serializers.CharField()
    notice_subject = serializers.CharField()
    notice_text = serializers.CharField()
    without_consent = serializers.SerializerMethodField()
    outcome = serializers.CharField()
    partner_reference = serializers.CharField()
    sent_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    actioned_at = serializers.DateTimeField()
    attempts = serializers.IntegerField()
    last_error = serializers.CharField()
    deliveries = DeliverySerializer(many=True)

    def get_without_consent(self, obj: Escalation) -> bool:
        return bool(obj.override_reason)

    def to_representation(self, instance: Any) -> Any:
        return super().to_representation(instance)
