"""What an integrator sends to the check endpoint and what it reads back."""

import re
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from aman.api.base import StrictCharField, StrictSerializer
from aman.checks.nudges import UI_LANGUAGES
from aman.checks.services.checking import OUTCOMES, PROFILES, TEXT_LANGUAGES

MAX_CHECK_CHARS = 10_000
FINDING_KINDS = ["phone", "national_id", "email", "iban", "sensitive", "suspicious_link"]


def inline_choice(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    """A choice field documented by a pattern rather than a shared enum component.

    The schema's enum components are named after the field; several of these names (language,
    outcome, kind) are taken by other endpoints' choice sets.
    """
    values = [c[0] if isinstance(c, tuple) else c for c in choices]
    schema = {
        "type": "string",
        "pattern": "^(" + "|".join(re.escape(v) for v in values) + ")$",
        "description": "One of: " + ", ".join(f"`{v}`" for v in values) + ".",
    }
    field_class = extend_schema_field(schema)(type("InlineChoiceField", (serializers.ChoiceField,), {}))
    return field_class(choices=choices, **kwargs)


class CheckRequestSerializer(StrictSerializer):
    text = StrictCharField(
        max_length=MAX_CHECK_CHARS,
        trim_whitespace=False,
        help_text="The text about to be posted, exactly as written (spans in `findings` index into it).",
    )
    language = inline_choice(
        TEXT_LANGUAGES,
        required=False,
        help_text="The text's language when known (detected otherwise). Not the interface language.",
    )
    ui_language = inline_choice(
        UI_LANGUAGES,
        required=False,
        help_text="Language of the nudge. Default: Accept-Language, then `language`, then Arabic.",
    )
    profile = inline_choice(
        PROFILES,
        default="default",
        help_text="`official`: also look for personal data, sensitive markers and suspicious links.",
    )

    def validate_text(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(self.fields["text"].error_messages["blank"], code="blank")
        return value


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class NudgeSerializer(serializers.Serializer):
    language = serializers.CharField()
    dir = inline_choice(["rtl", "ltr"])
    title = serializers.CharField()
    message = serializers.CharField()
    reasons = ReasonSerializer(many=True)
    edit = serializers.CharField(help_text="Label of the button that goes back to the text.")
    post_anyway = serializers.CharField(help_text="Label of the button that posts as it is.")


class FindingSerializer(serializers.Serializer):
    kind = inline_choice(FINDING_KINDS)
    start = serializers.IntegerField(help_text="Start of the span, in Unicode code points.")
    end = serializers.IntegerField(help_text="End of the span (exclusive), in Unicode code points.")
    start_utf16 = serializers.IntegerField(help_text="The same span in UTF-16 code units (JavaScript strings).")
    end_utf16 = serializers.IntegerField()
    text = StrictCharField(help_text="text[start:end]")
    detail = serializers.DictField(help_text="country, reasons, marker, …")


class CheckResponseSerializer(serializers.Serializer):
    check_id = serializers.CharField(help_text="Send it back with the outcome; valid for 24 hours.")
    decision = inline_choice(["ok", "reconsider"])
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Stable codes, e.g. offensive, phone.")
    scores = serializers.DictField(child=serializers.FloatField())
    labels = serializers.ListField(child=serializers.CharField())
    hate_type = serializers.CharField(allow_null=True)
    language = serializers.CharField(help_text="The text's language as detected or given.")
    profile = serializers.CharField()
    model_version = serializers.CharField()
    nudge = NudgeSerializer(allow_null=True)
    findings = FindingSerializer(many=True, required=False, help_text="Only with profile=official.")


class OutcomeRequestSerializer(StrictSerializer):
    check_id = StrictCharField(max_length=300)
    outcome = inline_choice(OUTCOMES)


class OutcomeResponseSerializer(serializers.Serializer):
    counted = serializers.BooleanField(help_text="False when this outcome of this check was already counted.")
