"""The escalations section of the case page: ``{% load escalation_tags %}{% case_escalations %}``."""

from typing import Any

from django import template
from django.utils import timezone

from aman.escalations.selectors import escalations_for_case

register = template.Library()


@register.inclusion_tag("escalations/_case_section.html", takes_context=True)
def case_escalations(context: Any) -> dict[str, Any]:
    request = context["request"]
    case = context["case"]
    return {
        "case": case,
        "escalations": list(escalations_for_case(user=request.user, case=case)[:50]),
        "now": timezone.now(),
        "user": request.user,
    }
