"""Validation shared by the portal forms and the API: links and account handles."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext_lazy as _

from aman.cases.choices import ContactMethod
from aman.core.text import clean_user_text

MAX_ITEMS = 20
MAX_ITEM_LENGTH = 500
MAX_DESCRIPTION = 5000
MAX_MESSAGE = 5000
HANDLE_PATTERN = re.compile(r"^@?[\w.\-]{1,64}$", re.UNICODE)
_url_validator = URLValidator(schemes=["http", "https"])
_DOMAIN_LIKE = re.compile(r"^(www\.)?[\w\-]+(\.[\w\-]+)+(/\S*)?$", re.UNICODE)


def parse_item(raw: str) -> tuple[str, str]:
    """Return ('url', value) or ('handle', value); raise ValidationError otherwise."""
    value = clean_user_text(raw)
    if not value:
        raise ValidationError(_("This line is empty."), code="empty")
    if len(value) > MAX_ITEM_LENGTH:
        raise ValidationError(
            _("A link or account name can have at most %(max)d characters."),
            code="too_long",
            params={"max": MAX_ITEM_LENGTH},
        )
    candidate = value
    if not re.match(r"^[a-z][a-z0-9+.\-]*://", candidate, re.IGNORECASE) and _DOMAIN_LIKE.match(candidate):
        candidate = "https://" + candidate
    if "://" in candidate:
        try:
            _url_validator(candidate)
        except ValidationError:
            raise ValidationError(
                _("“%(value)s” is not a valid web link. Links start with https://"),
                code="invalid_url",
                params={"value": value[:80]},
            ) from None
        return "url", candidate
    if HANDLE_PATTERN.match(value):
        return "handle", value if value.startswith("@") else "@" + value
    raise ValidationError(
        _("“%(value)s” is not a valid link or account name."), code="invalid_item", params={"value": value[:80]}
    )


def parse_items(lines: list[str]) -> list[tuple[str, str]]:
    lines = [line for line in lines if line and line.strip()]
    if len(lines) > MAX_ITEMS:
        raise ValidationError(
            _("You can add at most %(max)d links or account names at a time."),
            code="too_many",
            params={"max": MAX_ITEMS},
        )
    items: list[tuple[str, str]] = []
    errors: list[ValidationError] = []
    for line in lines:
        try:
            item = parse_item(line)
        except ValidationError as exc:
            errors.append(exc)
            continue
        if item not in items:
            items.append(item)
    if errors:
        raise ValidationError(errors)
    return items


def clean_free_text(value: str, *, max_length: int) -> str:
    text = clean_user_text(value or "")
    if len(text) > max_length:
        raise ValidationError(
            _("Please shorten this text to %(max)d characters (it has %(length)d)."),
            code="too_long",
            params={"max": max_length, "length": len(text)},
        )
    return text


def clean_email(value: str) -> str:
    email = clean_user_text(value or "")
    try:
        EmailValidator()(email)
    except ValidationError:
        raise ValidationError(
            _("Enter a valid e-mail address, or choose “No contact”."), code="invalid_email"
        ) from None
    return email


PHONE_PATTERN = re.compile(r"^\+?[0-9]{6,15}$")


def clean_phone(value: str) -> str:
    compact = re.sub(r"[\s\-().]", "", clean_user_text(value or ""))
    compact = compact.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789"))
    if not PHONE_PATTERN.match(compact):
        raise ValidationError(
            _("Enter a phone number with digits only, for example +9647701234567."), code="invalid_phone"
        )
    return compact


def clean_contact(method: str, value: str) -> str:
    """The contact detail for its method (the portal and the API share these rules); '' for none."""
    if method == ContactMethod.EMAIL:
        return clean_email(value)
    if method == ContactMethod.PHONE:
        return clean_phone(value)
    return ""
