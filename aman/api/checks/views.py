"""'Think before you post' and the pre-publication check, for integrators with an API key.

The widget calls these from integrators' own sites, so both endpoints answer CORS preflight
for the origins an admin allowed on some key, and every answer to an allowed origin carries
Access-Control-Allow-Origin. The key itself is checked on the real request.
"""

from typing import Any

from django.conf import settings
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from aman.api import schema
from aman.api.base import PublicApiView
from aman.api.checks.serializers import (
    CheckRequestSerializer,
    CheckResponseSerializer,
    OutcomeRequestSerializer,
    OutcomeResponseSerializer,
)
from aman.checks.errors import OriginNotAllowed
from aman.checks.models import ApiKey
from aman.checks.nudges import UI_LANGUAGES
from aman.checks.services import apikey_authenticate, check_outcome_record, check_run
from aman.checks.services.keys import allowed_origins, apikey_from_headers
from aman.core import ratelimit

TAG = ["checks"]
DEFAULT_RATE = "600/minute"

API_KEY = OpenApiParameter(
    "Authorization",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="`Api-Key <key>` (or send the key in `X-Api-Key`). Keys are made by Aman's admins.",
)
KEY_ERRORS = {
    401: schema.error("No key (`api_key_missing`), or a wrong or revoked one (`api_key_invalid`)."),
    403: schema.error("The request comes from a website this key does not allow (`origin_not_allowed`)."),
    413: schema.TOO_LARGE,
    415: schema.UNSUPPORTED,
    429: schema.error("Over the key's rate limit (`rate_limited`); see Retry-After."),
}


def _origin_allowed(origin: str) -> bool:
    origins = allowed_origins()
    return "*" in origins or origin.rstrip("/").lower() in origins


def _key_rate(api_key: ApiKey) -> tuple[int, int]:
    rate = api_key.rate_limit or getattr(settings, "AMAN_CHECK_RATE", DEFAULT_RATE)
    try:
        return ratelimit.parse_rate(rate)
    except (ValueError, KeyError):
        return ratelimit.parse_rate(DEFAULT_RATE)


class KeyedApiView(PublicApiView):
    """Authenticated by an integrator's API key, rate-limited per key, CORS for the key's origins."""

    scope = "check"

    def authenticate_key(self, request: Request) -> ApiKey:
        api_key = apikey_authenticate(secret=apikey_from_headers(request.headers))
        origin = request.headers.get("Origin", "")
        if origin and not api_key.allows_origin(origin):
            raise OriginNotAllowed()
        limit, window = _key_rate(api_key)
        if not ratelimit.hit(scope=self.scope, ident=str(api_key.pk), limit=limit, window_seconds=window):
            raise exceptions.Throttled(wait=window)
        request.api_key = api_key  # type: ignore[attr-defined]
        return api_key

    def options(self, request: Request, *args: Any, **kwargs: Any) -> Response:  # type: ignore[override]
        """CORS preflight: 204, with the CORS headers only for allowed origins."""
        return Response(status=status.HTTP_204_NO_CONTENT)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        origin = request.headers.get("Origin", "")
        key = getattr(request, "api_key", None)
        if origin and (key.allows_origin(origin) if key is not None else _origin_allowed(origin)):
            response["Access-Control-Allow-Origin"] = origin
            if request.method == "OPTIONS":
                response["Access-Control-Allow-Methods"] = "POST, OPTIONS"
                response["Access-Control-Allow-Headers"] = "Authorization, X-Api-Key, Content-Type, Accept-Language"
                response["Access-Control-Max-Age"] = "600"
            response["Access-Control-Expose-Headers"] = "Retry-After, Content-Language"
        vary = response.get("Vary", "")
        response["Vary"] = f"{vary}, Origin" if vary else "Origin"
        return response


def _nudge_language(request: Request, data: dict[str, Any]) -> str:
    if data.get("ui_language"):
        return str(data["ui_language"])
    if request.headers.get("Accept-Language"):
        return translation.get_language() or "ar"
    if data.get("language") in UI_LANGUAGES:
        return str(data["language"])
    return settings.LANGUAGE_CODE


def _utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


class CheckApi(KeyedApiView):
    @extend_schema(
        operation_id="check_create",
        summary="Think before you post: check a text",
        description=(
            "Scores a text before it is posted and answers `ok` or `reconsider`, with the reasons and a kind "
            "nudge in the caller's language (`ui_language`, else Accept-Language). The author always decides. "
            "With `profile=official` (government and organisation accounts) it also finds personal data "
            "(phone numbers and national IDs of IQ, MA, SA, EG, AE, TN, DZ, JO; e-mails; IBANs), markers such "
            "as *confidential* or *internal use*, and suspicious links, each with its span in the text. "
            "The text is not stored unless the key was set up to keep texts (then for its retention period)."
        ),
        tags=TAG,
        auth=[],
        parameters=[API_KEY],
        request=CheckRequestSerializer,
        responses={200: CheckResponseSerializer, 400: schema.MALFORMED, **KEY_ERRORS},
    )
    def post(self, request: Request) -> Response:
        api_key = self.authenticate_key(request)
        serializer = CheckRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = check_run(
            api_key=api_key,
            text=data["text"],
            language=data.get("language"),
            profile=data["profile"],
            ui_language=_nudge_language(request, data),
        )
        body = result.body
        if "findings" in body:
            text = data["text"]
            for f in body["findings"]:
                f["start_utf16"], f["end_utf16"] = _utf16(text, f["start"]), _utf16(text, f["end"])
        return Response(body)


class CheckOutcomeApi(KeyedApiView):
    scope = "check-outcome"

    @extend_schema(
        operation_id="check_outcome_create",
        summary="Count what the author did with a nudge",
        description=(
            "`shown` when the nudge was shown, then `edited` or `posted_anyway`. Counted per key and day, "
            "once per check and outcome; nothing else is kept. Admins see the counts in the console."
        ),
        tags=TAG,
        auth=[],
        parameters=[API_KEY],
        request=OutcomeRequestSerializer,
        responses={200: OutcomeResponseSerializer, 400: schema.MALFORMED, **KEY_ERRORS},
    )
    def post(self, request: Request) -> Response:
        api_key = self.authenticate_key(request)
        serializer = OutcomeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        counted = check_outcome_record(api_key=api_key, **serializer.validated_data)
        return Response({"counted": counted})
