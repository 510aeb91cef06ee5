from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aman.cases.choices import HarmCategory, Urgency
from aman.core.text import clean_user_text
from aman.escalations.models import (
    DECISION_OUTCOMES,
    NOTICE_LANGUAGES,
    Automation,
    DecisionGround,
    EscalationOutcome,
    Partner,
)
from aman.escalations.services import StatementInput

MAX_TEXT = 4000


def _clean_text(value: str, *, required: bool = False, max_length: int = MAX_TEXT) -> str:
    text = clean_user_text(value or "")
    if len(text) > max_length:
        raise ValidationError(_("Please shorten this text."), code="too_long")
    if required and not text:
        raise ValidationError(_("This field is required."), code="required")
    return text


class EscalationForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Send to"), queryset=Partner.objects.none(), empty_label=None)
    policy_category = forms.ChoiceField(label=_("Harm category"), choices=HarmCategory.choices)
    partner_policy = forms.CharField(label=_("The partner's policy (optional)"), required=False, max_length=200)
    language = forms.ChoiceField(
        label=_("Notice language"),
        choices=[("", _("The partner's first language")), *[(c, c) for c in NOTICE_LANGUAGES]],
        required=False,
    )
    items = forms.TypedMultipleChoiceField(
        label=_("Links and accounts"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    evidence = forms.TypedMultipleChoiceField(
        label=_("Evidence files"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    explanation = forms.CharField(
        label=_("Why the content is illegal or against the partner's rules"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_TEXT * 2,
    )
    override_reason = forms.CharField(
        label=_("Reason to send without the reporter's consent (supervisors only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=MAX_TEXT,
    )
    include_contact = forms.BooleanField(
        label=_("Include the reporter's contact details (police only, supervisors only)"), required=False
    )
    contact_reason = forms.CharField(
        label=_("Why the police need the contact details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=MAX_TEXT,
    )

    def __init__(self, *args: Any, partners: Any, items: list[Any], evidence: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]
        self.fields["items"].choices = [(i.pk, i.value) for i in items]  # type: ignore[attr-defined]
        self.fields["evidence"].choices = [  # type: ignore[attr-defined]
            (e.pk, f"{e.get_kind_display()} · {e.sha256[:12]}") for e in evidence
        ]

    def clean_explanation(self) -> str:
        return _clean_text(self.cleaned_data.get("explanation", ""), required=True)

    def clean_partner_policy(self) -> str:
        return _clean_text(self.cleaned_data.get("partner_policy", ""), max_length=200)

    def clean_override_reason(self) -> str:
        return _clean_text(self.cleaned_data.get("override_reason", ""), max_length=1000)

    def clean_contact_reason(self) -> str:
        return _clean_text(self.cleaned_data.get("contact_reason", ""), max_length=1000)


class SendForm(forms.Form):
    override_reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=MAX_TEXT)

    def clean_override_reason(self) -> str:
        return _clean_text(self.cleaned_data.get("override_reason", ""), max_length=1000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=MAX_TEXT)

    def clean_reason(self) -> str:
        return _clean_text(self.cleaned_data.get("reason", ""), max_length=1000)


class ManualSentForm(forms.Form):
    partner_reference = forms.CharField(label=_("The partner's reference"), required=False, max_length=400)

    def clean_partner_reference(self) -> str:
        return _clean_text(self.cleaned_data.get("partner_reference", ""), max_length=200)


class OutcomeForm(forms.Form):
    """The partner's answer with the fields of a DSA Art. 17 statement of reasons."""

    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", _("No decision yet")), *EscalationOutcome.choices], required=False
    )
    partner_reference = forms.CharField(label=_("The partner's reference"), required=False, max_length=400)
    actioned_at = forms.DateTimeField(
        label=_("Date of the decision (empty: now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    scope = forms.CharField(
        label=_("Where and for how long (territorial scope and duration)"), required=False, max_length=600
    )
    note = forms.CharField(
        label=_("Facts and circumstances the partner relied on"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT * 2,
    )
    ground = forms.ChoiceField(
        label=_("Ground of the decision"),
        choices=DecisionGround.choices,
        initial=DecisionGround.NOT_STATED,
        required=False,
    )
    ground_reference = forms.CharField(
        label=_("The law or the part of the terms relied on"), required=False, max_length=600
    )
    ground_explanation = forms.CharField(
        label=_("Why the partner found the content illegal or against its terms"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=MAX_TEXT * 2,
    )
    automated_detection = forms.ChoiceField(
        label=_("Found by automated means?"), choices=Automation.choices, initial=Automation.NOT_STATED, required=False
    )
    automated_decision = forms.ChoiceField(
        label=_("Decided by automated means?"),
        choices=Automation.choices,
        initial=Automation.NOT_STATED,
        required=False,
    )
    redress = forms.CharField(
        label=_("How the decision can be challenged (redress)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=MAX_TEXT * 2,
    )

    def clean_partner_reference(self) -> str:
        return _clean_text(self.cleaned_data.get("partner_reference", ""), max_length=200)

    def clean_note(self) -> str:
        return _clean_text(self.cleaned_data.get("note", ""))

    def clean_scope(self) -> str:
        return _clean_text(self.cleaned_data.get("scope", ""), max_length=300)

    def clean_ground(self) -> str:
        return self.cleaned_data.get("ground") or DecisionGround.NOT_STATED

    def clean_automated_detection(self) -> str:
        return self.cleaned_data.get("automated_detection") or Automation.NOT_STATED

    def clean_automated_decision(self) -> str:
        return self.cleaned_data.get("automated_decision") or Automation.NOT_STATED

    def clean_ground_reference(self) -> str:
        return _clean_text(self.cleaned_data.get("ground_reference", ""), max_length=300)

    def clean_ground_explanation(self) -> str:
        return _clean_text(self.cleaned_data.get("ground_explanation", ""))

    def clean_redress(self) -> str:
        return _clean_text(self.cleaned_data.get("redress", ""))

    def clean_actioned_at(self) -> Any:
        value = self.cleaned_data.get("actioned_at")
        if value is not None and value > timezone.now() + timedelta(minutes=5):
            raise ValidationError(_("The date of the decision cannot be in the future."), code="future")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("outcome") and not data.get("partner_reference"):
            raise ValidationError(_("Choose an outcome or write the partner's reference."), code="required")
        if (
            data.get("outcome") in DECISION_OUTCOMES
            and data.get("ground") in (DecisionGround.ILLEGAL, DecisionGround.INCOMPATIBLE)
            and not data.get("ground_reference")
        ):
            self.add_error(
                "ground_reference",
                ValidationError(
                    _("Name the law or the part of the terms and conditions the partner relied on."),
                    code="required",
                ),
            )
        return data

    def statement(self) -> StatementInput:
        d = self.cleaned_data
        return StatementInput(
            scope=d["scope"],
            facts=d["note"],
            ground=d["ground"],
            ground_reference=d["ground_reference"],
            ground_explanation=d["ground_explanation"],
            automated_detection=d["automated_detection"],
            automated_decision=d["automated_decision"],
            redress=d["redress"],
        )


class PartnerTokenForm(forms.Form):
    label = forms.CharField(label=_("What the token is for"), required=False, max_length=240)

    def clean_label(self) -> str:
        return _clean_text(self.cleaned_data.get("label", ""), max_length=120)


class TransparencyPeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To (included)"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise ValidationError(_("The end of the period must be after its start."), code="invalid")
            if (end - start).days > 366 * 5:
                raise ValidationError(_("Choose a period of at most five years."), code="invalid")
        return data


def _json_dict(value: Any, *, list_values: bool) -> dict[str, Any]:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise ValidationError(_("Enter a JSON object."), code="invalid")
    return value


class PartnerForm(forms.ModelForm):
    endpoint_url = forms.URLField(
        label=_("API or web form address"), required=False, max_length=500, assume_scheme="https"
    )
    endpoint_url = forms.URLField(
        label=_("API or web form address"), required=False, max_length=500, assume_scheme="https"
    )
    webhook_secret = forms.CharField(
        label=_("New signing secret (stored encrypted; leave empty to keep the current one)"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
    )

    class Meta:
        model = Partner
        fields = [
            "name",
            "slug",
            "kind",
            "channel",
            "platforms",
            "email_to",
            "contacts",
            "endpoint_url",
            "webhook_secret_env",
            "languages",
            "response_hours",
            "response_hours_by_urgency",
            "policy_map",
            "evidence_requirements",
            "consent_field",
            "max_attachment_mb",
            "active",
        ]
        widgets = {
            "contacts": forms.Textarea(attrs={"rows": 2}),
            "evidence_requirements": forms.Textarea(attrs={"rows": 3}),
            "response_hours_by_urgency": forms.Textarea(attrs={"rows": 2, "dir": "ltr"}),
            "policy_map": forms.Textarea(attrs={"rows": 6, "dir": "ltr"}),
        }

    def clean_name(self) -> str:
        return _clean_text(self.cleaned_data.get("name", ""), required=True, max_length=120)

    def clean_contacts(self) -> str:
        return _clean_text(self.cleaned_data.get("contacts", ""))

    def clean_evidence_requirements(self) -> str:
        return _clean_text(self.cleaned_data.get("evidence_requirements", ""))

    def clean_email_to(self) -> str:
        addresses = [a.strip() for a in self.cleaned_data.get("email_to", "").replace("\n", ",").split(",")]
        addresses = [a for a in addresses if a]
        for address in addresses:
            validate_email(address)
        return ", ".join(addresses)

    def clean_languages(self) -> str:
        codes = [c.strip() for c in self.cleaned_data.get("languages", "").split(",") if c.strip()]
        if not codes or any(c not in NOTICE_LANGUAGES for c in codes):
            raise ValidationError(_("Use language codes among: ar, fr, en, ckb."), code="invalid")
        return ",".join(codes)

    def clean_webhook_secret_env(self) -> str:
        value = self.cleaned_data.get("webhook_secret_env", "").strip()
        if value and not value.replace("_", "").isalnum():
            raise ValidationError(_("Use letters, digits and underscores only."), code="invalid")
        return value

    def clean_response_hours(self) -> int:
        hours = self.cleaned_data.get("response_hours") or 0
        if not 1 <= hours <= 24 * 60:
            raise ValidationError(_("Between 1 and 1440 hours."), code="invalid")
        return int(hours)

    def clean_response_hours_by_urgency(self) -> dict[str, int]:
        value = _json_dict(self.cleaned_data.get("response_hours_by_urgency"), list_values=False)
        out = {}
        for key, hours in value.items():
            if key not in Urgency.values or not isinstance(hours, int) or not 1 <= hours <= 24 * 60:
                raise ValidationError(
                    _("Use urgencies (critical, high, medium, low) with whole hours between 1 and 1440."),
                    code="invalid",
                )
            out[key] = hours
        return out

    def clean_policy_map(self) -> dict[str, list[str]]:
        value = _json_dict(self.cleaned_data.get("policy_map"), list_values=True)
        out: dict[str, list[str]] = {}
        for key, labels in value.items():
            if key not in HarmCategory.values or not isinstance(labels, list):
                raise ValidationError(
                    _("Map harm category codes to lists of the partner's policy names."), code="invalid"
                )
            cleaned = [clean_user_text(str(label))[:200] for label in labels if clean_user_text(str(label))]
            out[key] = cleaned[:20]
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        channel = data.get("channel")
        if channel == "email" and not data.get("email_to"):
            self.add_error("email_to", ValidationError(_("An e-mail partner needs an address."), code="required"))
        if channel == "webhook":
            url = data.get("endpoint_url") or ""
            if not url.startswith(("https://", "http://")):
                self.add_error(
                    "endpoint_url", ValidationError(_("A webhook partner needs an https:// address."), code="required")
                )
        return data
