"""JSON errors: a stable ``code``, a translated ``message`` and per-field ``fields``."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from aman.core.errors import DomainError


def _fields(detail: Any) -> dict[str, Any]:
    if isinstance(detail, dict):
        return {
            key: [str(item) for item in value] if isinstance(value, list) else _fields(value) if isinstance(value, dict) else [str(value)]
            for key, value in detail.items()
        }
    return {}


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
    if isinstance(exc, exceptions.ValidationError):
        body = {"code": "invalid", "message": _("Some fields need your attention."), "fields": _fields(exc.detail)}
    elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        body = {"code": "not_authenticated", "message": _("Sign in or send a valid token."), "fields": {}}
    elif isinstance(exc, exceptions.PermissionDenied):
        body = {"code": "permission_denied", "message": _("You do not have permission to do this."), "fields": {}}
    elif isinstance(exc, exceptions.NotFound):
        body = {"code": "not_found", "message": _("Not found."), "fields": {}}
    elif isinstance(exc, exceptions.Throttled):
        body = {"code": "rate_limited", "message": _("Too many requests. Please wait a little and try again."), "fields": {}}
        if exc.wait:
            response["Retry-After"] = str(int(exc.wait))
    elif isinstance(exc, exceptions.ParseError):
        body = {"code": "malformed", "message": _("The request body is not valid JSON."), "fields": {}}
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        body = {"code": "unsupported_media_type", "message": _("Send the request body as application/json."), "fields": {}}
    elif isinstance(exc, exceptions.MethodNotAllowed):
        body = {"code": "method_not_allowed", "message": _("This method is not allowed here."), "fields": {}}
    else:
        body = {"code": getattr(exc, "default_code", "error"), "message": str(getattr(exc, "detail", exc)), "fields": {}}
    response.data = body
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Token realm="aman"'
    return response
