"""The ``Idempotency-Key`` header, as the reports API and the partner API both take it."""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.request import Request

PATTERN = re.compile(r"[A-Za-z0-9_\-.:]{16,200}")


def idempotency_key_header(request: Request, *, required: bool) -> str:
    """The client's key, checked: 16 to 200 letters, digits, ``- _ . :``. Empty when optional and absent."""
    key = request.headers.get("Idempotency-Key", "")
    if not key and not required:
        return ""
    if not PATTERN.fullmatch(key):
        message = _("Use 16 to 200 letters, digits, dashes, dots, colons or underscores, for example a UUID.")
        raise serializers.ValidationError(
            {"Idempotency-Key": [ErrorDetail(str(message), code="invalid_idempotency_key")]}
        )
    return key
