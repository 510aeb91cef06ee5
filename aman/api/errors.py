"""JSON errors: a stable ``code``, a translated ``message`` and per-field ``fields``.

Every error the API returns has the same shape::

    {"code": "invalid", "message": "Some fields need your attention.",
     "fields": {"description": [{"code": "too_long", "message": "Please shorten this text ..."}],
                "contact": {"value": [{"code": "invalid_phone", "message": "..."}]},
                "items": {"0": [{"code": "blank", "message": "..."}]}}}

``code`` values are stable and meant for programs; ``message`` values are translated into the
request's language (Accept-Language) and meant for people.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from aman.core.errors import DomainError


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = gettext_lazy("The request body is too large.")


class ReportNotFound(exceptions.NotFound):
    """The one answer to a wrong reference, a wrong code, or too many tries: it reveals nothing."""

    default_code = "not_found"
    default_detail = gettext_lazy(
        "We could not open a report with this reference and code. Check both and try again. "
        "After several wrong tries you will need to wait a few minutes."
    )


def _error(item: Any) -> dict[str, str]:
    return {"code": str(getattr(item, "code", None) or "invalid"), "message": str(item)}


def _field_errors(detail: Any) -> Any:
    """DRF's nested error detail as lists of {"code", "message"}, keyed by field (or list index)."""
    if isinstance(detail, dict):
        return {str(key): _field_errors(value) for key, value in detail.items()}
    if isinstance(detail, list | tuple):
        return [_field_errors(item) if isinstance(item, dict | list | tuple) else _error(item) for item in detail]
    return [_error(detail)]


def _fields(detail: Any) -> dict[str, Any]:
    if isinstance(detail, dict):
        return _field_errors(detail)
    return {api_settings.NON_FIELD_ERRORS_KEY: _field_errors(detail)}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response({"code": exc.code, "message": str(exc.message), "fields": {}}, status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    fields: dict[str, Any] = {}
    if isinstance(exc, exceptions.ValidationError):
        code, message, fields = "invalid", _("Some fields need your attention."), _fields(exc.detail)
    elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        code, message = "not_authenticated", _("Sign in or send a valid token.")
    elif isinstance(exc, exceptions.PermissionDenied):
        code, message = "permission_denied", _("You do not have permission to do this.")
    elif isinstance(exc, ReportNotFound):
        code, message = "not_found", str(exc.detail)
    elif isinstance(exc, exceptions.NotFound):
        code, message = "not_found", _("Not found.")
    elif isinstance(exc, exceptions.Throttled):
        code, message = "rate_limited", _("Too many requests. Please wait a little and try again.")
        wait = getattr(exc, "wait", None)
        if wait:
            response["Retry-After"] = str(int(wait))
    elif isinstance(exc, exceptions.ParseError):
        code, message = "malformed", _("The request body is not valid JSON.")
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        code, message = "unsupported_media_type", _("Send the request body as application/json.")
    elif isinstance(exc, exceptions.MethodNotAllowed):
        code, message = "method_not_allowed", _("This method is not allowed here.")
    elif isinstance(exc, exceptions.NotAcceptable):
        code, message = "not_acceptable", _("This endpoint answers in JSON only.")
    else:
        code = str(getattr(exc, "default_code", "error"))
        message = str(getattr(exc, "detail", exc))
    response.data = {"code": code, "message": message, "fields": fields}
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Token realm="aman"'
    return response
