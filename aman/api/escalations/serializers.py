"""Escalation endpoints: input and output shapes."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from aman.api.base import CleanTextField, PlainValueField, StrictBooleanField, StrictCharField, StrictSerializer
from aman.cases.choices import HarmCategory
from aman.escalations.models import NOTICE_LANGUAGES, Escalation, EscalationOutcome

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


class EscalationOutcomeSerializer(StrictSerializer):
    # A plain string checked against the choices: a second "outcome" enum would collide with the case's.
    outcome = StrictCharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=20,
        help_text="One of: " + ", ".join(EscalationOutcome.values) + "; empty to record only the reference.",
    )
    partner_reference = PlainValueField(max_length=200, required=False, allow_blank=True, default="")
    note = CleanTextField(max_chars=MAX_TEXT, required=False, allow_blank=True, default="")
    actioned_at = serializers.DateTimeField(required=False, allow_null=True, default=None)

    def validate_outcome(self, value: str) -> str:
        if value and value not in EscalationOutcome.values:
            raise serializers.ValidationError(
                serializers.ChoiceField.default_error_messages["invalid_choice"].format(input=value),
                code="invalid_choice",
            )
        return value


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
