"""Errors of the check endpoint and the checks console; each has a stable code and a translated message."""

from django.utils.translation import gettext_lazy as _

from aman.core.errors import DomainError


class ApiKeyMissing(DomainError):
    code = "api_key_missing"
    status = 401
    message = _("Send your API key in the Authorization header: Api-Key <key>.")


class ApiKeyInvalid(DomainError):
    code = "api_key_invalid"
    status = 401
    message = _("This API key is not valid or was revoked.")


class OriginNotAllowed(DomainError):
    code = "origin_not_allowed"
    status = 403
    message = _("This website is not allowed to use this API key.")


class CheckIdInvalid(DomainError):
    code = "check_id_invalid"
    message = _("This check_id is not one of your checks, or it is more than a day old.")


class SuggestionDecided(DomainError):
    code = "suggestion_decided"
    status = 409
    message = _("Someone has already decided on this suggestion.")


class ModerationInputInvalid(DomainError):
    code = "moderation_input_invalid"
    message = _("Paste at least one comment, or choose a CSV file.")


class ModerationTooLarge(DomainError):
    code = "moderation_too_large"
    status = 413
    message = _("This is too much at once: up to 2,000 comments and 2 MB per list.")


class ModerationCsvInvalid(DomainError):
    code = "moderation_csv_invalid"
    message = _("This file could not be read as a CSV file. Save it as CSV (UTF-8) and try again.")
