"""OpenAPI pieces shared by the endpoints: the error body, common headers and answers."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, for programs: invalid, not_found, rate_limited, …")
    message = serializers.CharField(help_text="For people, in the request's language (Accept-Language).")
    fields = serializers.DictField(  # type: ignore[assignment]  # the error body's key, not Serializer.fields
        child=serializers.JSONField(),
        help_text='Per field (nested for objects, by index for lists): a list of {"code", "message"}.',
    )


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorSerializer, description=description)


REFERENCE = OpenApiParameter(
    "reference", OpenApiTypes.STR, OpenApiParameter.PATH, description="Case reference, e.g. AMN-7K3Q-9XZ2."
)
FOLLOW_UP_CODE = OpenApiParameter(
    "X-Follow-Up-Code",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The secret follow-up code given when the report was submitted.",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "16 to 200 characters (letters, digits, - _ . :), random per report, e.g. a UUID. Retrying the same "
        "body with the same key returns the first case (200) instead of creating another."
    ),
)

BAD_REQUEST = error("Invalid input; see `fields`.")
MALFORMED = error("Invalid input (`invalid`, with `fields`) or a body that is not JSON (`malformed`).")
NOT_AUTHENTICATED = error("No valid token or session (`not_authenticated`).")
FORBIDDEN = error("Signed in, but not helpline staff with the needed role (`permission_denied`).")
NOT_FOUND = error("No such case, or not one you can see (`not_found`).")
REPORT_NOT_FOUND = error(
    "Wrong reference or code, or too many wrong tries (`not_found`). The answer is the same whether or not "
    "the reference exists."
)
TOO_LARGE = error("The body is over 128 KiB (`too_large`).")
UNSUPPORTED = error("The body is not application/json (`unsupported_media_type`).")
RATE_LIMITED = error("Too many reports from this connection (`rate_limited`); see Retry-After.")
