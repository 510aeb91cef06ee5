"""What a reporter sends and reads. Validation is the portal's (aman.intake.validation)."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import get_error_detail

from aman.api.base import CleanTextField, ItemsField, PlainValueField, StrictBooleanField, StrictSerializer
from aman.cases.choices import Affected, AgeBand, ContactMethod, HarmCategory, Platform, Source
from aman.cases.models import Case, Message, ReportItem
from aman.cases.states import REPORTER_STATUS, Status
from aman.intake.services import ReportInput
from aman.intake.validation import MAX_DESCRIPTION, MAX_ITEMS, MAX_MESSAGE, clean_contact

MAX_EMAIL = 254


class ContactInputSerializer(StrictSerializer):
    method = serializers.ChoiceField(choices=ContactMethod.choices, default=ContactMethod.NONE)
    value = PlainValueField(required=False, allow_blank=True, default="", max_length=MAX_EMAIL)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        method, value = attrs.get("method", ContactMethod.NONE), attrs.get("value", "")
        try:
            if method == ContactMethod.NONE and value:
                raise DjangoValidationError(_("Leave this empty when you choose no contact."), code="not_allowed")
            value = clean_contact(method, value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"value": get_error_detail(exc)}) from None
        return {"method": method, "value": value}


class ConsentInputSerializer(StrictSerializer):
    """Each kind of escalation is off until the reporter turns it on."""

    platform = StrictBooleanField(
        default=False, help_text="Report to the platform through its trusted-flagger channel."
    )
    police = StrictBooleanField(default=False, help_text="Hand over to the police.")
    hotline = StrictBooleanField(default=False, help_text="Refer to a child-protection hotline (such as the IWF).")


class ConsentUpdateSerializer(StrictSerializer):
    platform = StrictBooleanField()
    police = StrictBooleanField()
    hotline = StrictBooleanField()


class ReportCreateSerializer(StrictSerializer):
    """The portal's report form as JSON."""

    category = serializers.ChoiceField(choices=HarmCategory.choices)
    platforms = serializers.ListField(
        child=serializers.ChoiceField(choices=Platform.choices), required=False, default=list, max_length=len(Platform)
    )
    items = ItemsField(
        required=False,
        default=list,
        help_text=f"Links (https://…) or account names (@name), at most {MAX_ITEMS}.",
    )
    description = CleanTextField(max_chars=MAX_DESCRIPTION, help_text="What happened, in the reporter's words.")
    affected = serializers.ChoiceField(choices=Affected.choices)
    age_band = serializers.ChoiceField(choices=AgeBand.choices)
    in_danger_now = StrictBooleanField(default=False)
    contact = ContactInputSerializer(required=False)
    consent = ConsentInputSerializer(required=False)
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        required=False,
        help_text="The reporter's language; by default the request's (Accept-Language).",
    )

    def validate_platforms(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    def to_input(self, *, default_language: str) -> ReportInput:
        d = self.validated_data
        contact = d.get("contact") or {"method": ContactMethod.NONE, "value": ""}
        consent = d.get("consent") or {}
        return ReportInput(
            category=d["category"],
            description=d["description"],
            affected=d["affected"],
            age_band=d["age_band"],
            platforms=list(d.get("platforms") or []),
            items=list(d.get("items") or []),
            in_danger_now=d.get("in_danger_now", False),
            contact_method=contact["method"],
            contact_value=contact["value"],
            consent_platform=consent.get("platform", False),
            consent_police=consent.get("police", False),
            consent_hotline=consent.get("hotline", False),
            language=d.get("language") or default_language,
            source=Source.API,
        )


class ReportCreatedSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="The case reference, e.g. AMN-7K3Q-9XZ2.")
    follow_up_code = serializers.CharField(
        allow_null=True,
        help_text=(
            "The secret follow-up code, shown once. On a replay (same Idempotency-Key and body) it is "
            "repeated for 24 hours, then null: the reporter must keep the code from the first answer."
        ),
    )
    status = serializers.ChoiceField(choices=Status.choices)


class ReplySerializer(StrictSerializer):
    message = CleanTextField(max_chars=MAX_MESSAGE)


class ItemsAddSerializer(StrictSerializer):
    items = ItemsField(allow_empty=False, help_text=f"Links (https://…) or account names (@name), at most {MAX_ITEMS}.")


class ReporterMessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = ["direction", "body", "created_at"]


class ReporterItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportItem
        fields = ["kind", "value", "created_at"]


class ConsentSerializer(serializers.ModelSerializer):
    platform = serializers.BooleanField(source="consent_platform")
    police = serializers.BooleanField(source="consent_police")
    hotline = serializers.BooleanField(source="consent_hotline")
    updated_at = serializers.DateTimeField(source="consent_updated_at", allow_null=True)

    class Meta:
        model = Case
        fields = ["platform", "police", "hotline", "updated_at"]


class ReporterCaseSerializer(serializers.ModelSerializer):
    """The reporter's view: no staff names, no notes, no triage."""

    status_text = serializers.SerializerMethodField()
    messages = ReporterMessageSerializer(many=True)
    items = ReporterItemSerializer(many=True)
    consent = ConsentSerializer(source="*")

    class Meta:
        model = Case
        fields = ["reference", "status", "status_text", "created_at", "messages", "items", "consent"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_status_text(self, case: Case) -> str:
        return str(REPORTER_STATUS.get(case.status, ""))
