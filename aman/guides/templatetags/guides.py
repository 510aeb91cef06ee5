"""Template tags for other apps' pages (the case page's "send a guide" form)."""

from typing import Any

from django import template

from aman.guides.models import GuideVersion
from aman.guides.selectors import guides_to_send as select_guides_to_send

register = template.Library()


@register.simple_tag(takes_context=True)
def guides_to_send(context: Any, case: Any) -> list[GuideVersion]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return select_guides_to_send(user=user, category=case.category, language=case.language)
