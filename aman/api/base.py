"""Building blocks shared by every endpoint: a bounded JSON parser, strict fields, base views."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.fields import get_error_detail
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.validators import ProhibitSurrogateCharactersValidator
from rest_framework.views import APIView

from aman.api.parsers import MAX_BODY_BYTES, BoundedJSONParser  # noqa: F401 - re-exported
from aman.api.permissions import IsStaffMember
from aman.core import ratelimit
from aman.core.text import clean_user_text
from aman.intake.validation import clean_free_text, parse_items

MAX_UNKNOWN_FIELDS_REPORTED = 10


def django_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    """A shared (Django) validator's error as DRF's, keeping its stable code."""
    return serializers.ValidationError(get_error_detail(exc))


_NO_NULLS = ProhibitNullCharactersValidator()
_NO_SURROGATES = ProhibitSurrogateCharactersValidator()


class StrictCharField(serializers.CharField):
    """A JSON string and nothing else (DRF would otherwise turn 12 or 1.5 into text)."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))


def _no_hidden_characters(value: str) -> None:
    """Links, handles, addresses and names never need bidi overrides, controls or zero-width spaces."""
    if "\x00" not in value and clean_user_text(value) != value.strip():
        raise serializers.ValidationError(
            _("Remove the invisible or control characters from this value."), code="invalid_characters"
        )


class PlainValueField(StrictCharField):
    """A single value such as a link, a handle, an e-mail address or a username: no hidden characters."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(_no_hidden_characters)


class CleanTextField(StrictCharField):
    """Free text cleaned by the shared validator (bidi overrides and control characters removed).

    Null bytes and lone surrogates are refused outright, as the portal's forms refuse them.
    Length is counted after cleaning, with the shared limits and their ``too_long`` code.
    """

    def __init__(self, *, max_chars: int, **kwargs: Any) -> None:
        self.max_chars = max_chars
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        raw = super().to_internal_value(data)
        _NO_SURROGATES(raw)
        try:
            _NO_NULLS(raw)
            text = clean_free_text(raw, max_length=self.max_chars)
        except DjangoValidationError as exc:
            raise django_errors(exc) from None
        if not text and not self.allow_blank:
            self.fail("blank")
        return text


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false; not "yes", 1 or "on"."""

    def to_internal_value(self, data: Any) -> bool:
        if data is True or data is False:
            return data
        self.fail("invalid", input=data)
        raise AssertionError  # pragma: no cover - fail() raises


class ItemsField(serializers.ListField):
    """Links and account handles, one per list entry, checked by the portal's shared validator."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("child", PlainValueField())
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[tuple[str, str]]:  # type: ignore[override]
        lines = super().to_internal_value(data)
        try:
            return parse_items(lines)
        except DjangoValidationError as exc:
            raise django_errors(exc) from None


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a misspelt field is an error rather than silently lost."""

    def to_internal_value(self, data: Any) -> Any:
        unknown: dict[str, list[ErrorDetail]] = {}
        if isinstance(data, Mapping):
            extra = [key for key in data if key not in self.fields][:MAX_UNKNOWN_FIELDS_REPORTED]
            unknown = {
                str(key): [ErrorDetail(str(_("This field is not expected.")), code="unknown_field")] for key in extra
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if unknown and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**unknown, **exc.detail}) from None
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value

    def create(self, validated_data: Any) -> Any:  # pragma: no cover - input-only serializers
        raise NotImplementedError

    def update(self, instance: Any, validated_data: Any) -> Any:  # pragma: no cover - input-only serializers
        raise NotImplementedError


class ReportRateThrottle(BaseThrottle):
    """AMAN_REPORT_RATE per connection, shared with the portal's report form.

    The identity is the request's client token (a keyed, daily-rotating hash made by the privacy
    middleware), never the IP address, which the middleware has already removed.
    """

    scope = "report"

    def __init__(self) -> None:
        self.window = 0

    def get_ident(self, request: Request) -> str:
        return str(request.client_token)  # type: ignore[attr-defined]

    def allow_request(self, request: Request, view: Any) -> bool:
        count, self.window = ratelimit.parse_rate(settings.AMAN_REPORT_RATE)
        return ratelimit.hit(scope=self.scope, ident=self.get_ident(request), limit=count, window_seconds=self.window)

    def wait(self) -> float | None:
        return float(self.window) if self.window else None


class ApiView(APIView):
    """JSON in, JSON out, never cached (answers carry case data or secrets)."""

    parser_classes = [BoundedJSONParser]
    renderer_classes = [JSONRenderer]

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response


class PublicApiView(ApiView):
    """For reporters: no account, no session, no cookie (so no CSRF either)."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]


class StaffApiView(ApiView):
    """For helpline staff: token or session; active with a role (fails closed)."""

    permission_classes = [IsStaffMember]
