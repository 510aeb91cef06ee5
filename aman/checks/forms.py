"""Forms of the checks console: API keys, triage corrections, moderation input."""

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from aman.cases.choices import HarmCategory, Urgency
from aman.core import ratelimit

MAX_ORIGINS = 20


def _origins(value: str) -> list[str]:
    out = []
    for line in value.splitlines():
        line = line.strip().rstrip("/")
        if not line:
            continue
        if line == "*":
            out.append(line)
            continue
        parts = urlsplit(line)
        if parts.scheme not in ("https", "http") or not parts.netloc or parts.path or parts.query or "@" in line:
            raise forms.ValidationError(
                _("Write each origin as scheme and host only, for example https://comments.example.org."),
                code="invalid_origin",
            )
        out.append(f"{parts.scheme}://{parts.netloc.lower()}")
    if len(out) > MAX_ORIGINS:
        raise forms.ValidationError(_("Up to 20 origins per key."), code="too_many")
    return out


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Integrator"), max_length=120)
    allowed_origins = forms.CharField(
        label=_("Allowed origins (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
        help_text=_("Websites where the widget may call Aman. Use * only if any site may use this key."),
    )
    rate_limit = forms.CharField(
        label=_("Rate limit"),
        required=False,
        max_length=30,
        help_text=_("For example 600/minute. Empty: the default."),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    store_texts = forms.BooleanField(label=_("Keep the checked texts (the integrator asked for it)"), required=False)
    retention_days = forms.IntegerField(label=_("Keep them for (days)"), min_value=1, max_value=365, initial=30)

    def clean_allowed_origins(self) -> list[str]:
        return _origins(self.cleaned_data.get("allowed_origins", ""))

    def clean_rate_limit(self) -> str:
        value = self.cleaned_data.get("rate_limit", "").strip()
        if not value:
            return ""
        message = _("Write it as a number, a slash and second, minute, hour or day.")
        try:
            count, _window = ratelimit.parse_rate(value)
        except (ValueError, KeyError):
            raise forms.ValidationError(message, code="invalid") from None
        if count < 1:
            raise forms.ValidationError(message, code="invalid")
        return value


class ApiKeyEditForm(ApiKeyForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["name"]


class CorrectionForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=HarmCategory.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    minor_involved = forms.BooleanField(label=_("A child or teenager is involved"), required=False)
    imminent_danger = forms.BooleanField(label=_("Someone is in danger now"), required=False)
    self_harm = forms.BooleanField(label=_("Risk of suicide or self-harm"), required=False)


class ModerationForm(forms.Form):
    comments = forms.CharField(
        label=_("Comments, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "dir": "auto"}),
    )
    csv_file = forms.FileField(label=_("Or a CSV file of comments"), required=False)
