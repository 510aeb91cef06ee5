"""Where each role lands after signing in (and where the console's brand link points)."""

from typing import Any

from django.urls import reverse


def home_url_for(user: Any) -> str:
    """Helpline staff land on the case queue, training roles on the training pages, others on sign-in."""
    if user is not None and getattr(user, "is_authenticated", False):
        if user.is_helpline_staff:
            return reverse("cases:queue")
        if user.can_use_training:
            return reverse("training:home")
    return reverse("accounts:login")
