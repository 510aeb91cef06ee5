from django import template
from django.utils.functional import Promise

from aman.cases.choices import HarmCategory, Outcome, Urgency
from aman.cases.states import Status

register = template.Library()

_LABELS: dict[str, str | Promise] = {**dict(Status.choices), **dict(Outcome.choices)}


@register.filter
def status_label(code: object) -> object:
    """The translated label of a status or outcome code stored in an audit event."""
    return _LABELS.get(str(code), code) if code else code


@register.filter
def choice_label(code: object) -> object:
    """The translated label of a category or urgency code."""
    labels: dict[str, str | Promise] = {**dict(HarmCategory.choices), **dict(Urgency.choices)}
    return labels.get(str(code), code) if code else code
