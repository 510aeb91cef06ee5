from typing import Any

from django import template

from aman.accounts.home import home_url_for

register = template.Library()


@register.simple_tag(takes_context=True)
def home_url(context: Any) -> str:
    request = context.get("request")
    return home_url_for(getattr(request, "user", None))
