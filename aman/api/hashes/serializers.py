"""What partners and staff send to the hash endpoints, and what they read back. No image ever."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from aman.api.base import CleanTextField, StrictCharField, StrictSerializer
from aman.hashbanks.models import MAX_THRESHOLD, SignalType, Verdict
from aman.hashbanks.services import normalize_hash

MAX_HASHES_PER_REQUEST = 1000
MAX_FETCH_LIMIT = 1000


class HashListField(serializers.ListField):
    """A list of hex hashes of one signal type: each checked, repeats refused, by index."""

    def __init__(self, *, signal_type: str, **kwargs: Any) -> None:
        self.signal_type = signal_type
        kwargs.setdefault("child", StrictCharField(max_length=80))
        kwargs.setdefault("max_length", MAX_HASHES_PER_REQUEST)
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", list)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[str]:  # type: ignore[override]
        values = super().to_internal_value(data)
        out: list[str] = []
        problems: dict[int, list[Any]] = {}
        seen: dict[str, int] = {}
        for i, value in enumerate(values):
            try:
                normalized = normalize_hash(self.signal_type, value)
            except ValueError as exc:
                problems[i] = [serializers.ErrorDetail(str(exc), code="invalid_hash")]
                continue
            if normalized in seen:
                problems[i] = [
                    serializers.ErrorDetail(
                        _("This hash is repeated (first at position %(index)d).") % {"index": seen[normalized]},
                        code="duplicate",
                    )
                ]
                continue
            seen[normalized] = i
            out.append(normalized)
        if problems:
            raise serializers.ValidationError(problems)  # type: ignore[arg-type]
        return out


class MatchRequestSerializer(StrictSerializer):
    pdq = HashListField(signal_type=SignalType.PDQ, help_text="PDQ hashes, 64 hex digits each.")
    md5 = HashListField(signal_type=SignalType.MD5, help_text="MD5 hashes, 32 hex digits each.")
    max_distance = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_THRESHOLD,
        help_text="PDQ Hamming distance for every bank; each bank's own threshold (31 by default) when left out.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        total = len(attrs.get("pdq", [])) + len(attrs.get("md5", []))
        if total == 0:
            raise serializers.ValidationError(_("Send at least one hash in pdq or md5."), code="empty")
        if total > MAX_HASHES_PER_REQUEST:
            raise serializers.ValidationError(
                _("Send at most %(max)d hashes per request.") % {"max": MAX_HASHES_PER_REQUEST}, code="too_many"
            )
        return attrs


class BankRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class MatchSerializer(serializers.Serializer):
    query_index = serializers.IntegerField(help_text="Position of the query: pdq first, then md5 after them.")
    query = serializers.CharField()
    signal_type = serializers.ChoiceField(choices=SignalType.choices)
    distance = serializers.IntegerField(help_text="Hamming distance (PDQ); 0 for MD5.")
    hash_id = serializers.IntegerField(help_text="The bank hash, for feedback.")
    value = serializers.CharField(help_text="The bank's hash.")
    bank = BankRefSerializer()
    category = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]  # the provenance field, not Field.source
    partner = serializers.CharField()
    added_at = serializers.DateTimeField()
    reviewed = serializers.BooleanField()
    quality = serializers.IntegerField(allow_null=True)


class MatchResponseSerializer(serializers.Serializer):
    matches = MatchSerializer(many=True)
    counts = serializers.DictField(child=serializers.IntegerField())


class FetchParamsSerializer(StrictSerializer):
    checkpoint = serializers.IntegerField(
        min_value=0, default=0, help_text="The next_checkpoint of the last page read; 0 for everything."
    )
    limit = serializers.IntegerField(min_value=1, max_value=MAX_FETCH_LIMIT, default=500)


class ChangeSerializer(serializers.Serializer):
    change = serializers.ChoiceField(choices=["add", "withdraw"])
    checkpoint = serializers.CharField(help_text="This change's number.")
    hash_id = serializers.IntegerField()
    signal_type = serializers.ChoiceField(choices=SignalType.choices)
    value = serializers.CharField()
    bank = BankRefSerializer()
    category = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]  # the provenance field, not Field.source
    partner = serializers.CharField()
    added_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    quality = serializers.IntegerField(allow_null=True)


class FetchResponseSerializer(serializers.Serializer):
    changes = ChangeSerializer(many=True)
    next_checkpoint = serializers.CharField(help_text="Pass it as checkpoint next time.")
    has_more = serializers.BooleanField()


class FeedbackRequestSerializer(StrictSerializer):
    hash_id = serializers.IntegerField(min_value=1, help_text="hash_id from a match or the change feed.")
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    comment = CleanTextField(max_chars=500, required=False, allow_blank=True, default="")


class FeedbackResponseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    hash_id = serializers.IntegerField()
    verdict = serializers.CharField()
    created_at = serializers.DateTimeField()


class BankSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    category = serializers.CharField()
    description = serializers.CharField()
    partner = serializers.CharField(source="partner_name")
    active = serializers.BooleanField()
    threshold = serializers.IntegerField()
    hashes = serializers.IntegerField(source="live_count")
    withdrawn = serializers.IntegerField(source="withdrawn_count")
