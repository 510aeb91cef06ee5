"""Template tags that let the case page and the console header show what aman.checks knows."""

from typing import Any

from django import template

from aman.cases.choices import HarmCategory, Urgency
from aman.checks import selectors
from aman.checks.forms import CorrectionForm

register = template.Library()

FLAG_FIELDS = ("minor_involved", "imminent_danger", "self_harm")


@register.inclusion_tag("checks/_triage_suggestion_card.html", takes_context=True)
def triage_suggestion(context: Any, case: Any) -> dict[str, Any]:
    user = context["request"].user
    suggestion = selectors.suggestion_for_case(user=user, case=case)
    form = None
    if suggestion is not None and suggestion.state == "pending":
        form = CorrectionForm(
            initial={
                "category": suggestion.category,
                "urgency": suggestion.urgency,
                **{name: name in suggestion.flags for name in FLAG_FIELDS},
            },
            auto_id="id_correct_%s",
        )
    return {
        "suggestion": suggestion,
        "alert": selectors.open_alert_for_case(case=case) if suggestion is not None else None,
        "form": form,
        "category_label": HarmCategory(suggestion.category).label if suggestion else "",
        "urgency_label": Urgency(suggestion.urgency).label if suggestion else "",
        "csrf_token": context.get("csrf_token"),
        "request": context["request"],
    }


@register.inclusion_tag("checks/_header_alerts_list.html", takes_context=True)
def checks_header(context: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    can_duty = bool(user is not None and getattr(user, "is_authenticated", False) and user.can_see_all_cases)
    on_duty = selectors.is_on_duty(user=user) if can_duty else False
    return {
        "alerts": selectors.alerts_for_header(user=user, on_duty=on_duty) if on_duty else [],
        "can_duty": can_duty,
        "on_duty": on_duty,
        "csrf_token": context.get("csrf_token"),
        "user": user,
    }
