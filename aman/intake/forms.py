from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aman.cases.choices import Affected, AgeBand, ContactMethod, HarmCategory, Platform
from aman.evidence.forms import EvidenceFilesField
from aman.intake.services import ReportInput
from aman.intake.validation import (
    MAX_DESCRIPTION,
    MAX_ITEM_LENGTH,
    MAX_ITEMS,
    MAX_MESSAGE,
    clean_contact,
    clean_free_text,
    parse_items,
)


def _lines(value: str) -> list[str]:
    return (value or "").replace("\r", "\n").split("\n")


class ItemsField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3, "dir": "ltr", "inputmode": "url", "autocapitalize": "off"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", MAX_ITEMS * (MAX_ITEM_LENGTH + 2))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[tuple[str, str]]:  # type: ignore[override]
        value = super().clean(value)
        return parse_items(_lines(value))


class ReportForm(forms.Form):
    category = forms.ChoiceField(label=_("What is happening?"), choices=HarmCategory.choices, widget=forms.RadioSelect)
    platforms = forms.MultipleChoiceField(
        label=_("Where is it happening?"), choices=Platform.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    items = ItemsField(
        label=_("Links and account names"),
        help_text=_("One per line: a link to the post or profile, or an account name such as @name."),
    )
    description = forms.CharField(
        label=_("What happened?"),
        help_text=_("Tell us in your own words. Do not send intimate images here."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_DESCRIPTION * 2,
    )
    evidence = EvidenceFilesField(
        label=_("Screenshots or files"),
        help_text=_(
            "Screenshots of the messages, the profile or the post help the most. "
            "Please do not send intimate pictures or pictures of children: a link is enough."
        ),
    )
    affected = forms.ChoiceField(label=_("Who is affected?"), choices=Affected.choices, widget=forms.RadioSelect)
    age_band = forms.ChoiceField(
        label=_("How old is the person this is happening to?"), choices=AgeBand.choices, widget=forms.RadioSelect
    )
    in_danger_now = forms.BooleanField(label=_("Someone is in danger right now"), required=False)
    contact_method = forms.ChoiceField(
        label=_("How can we reach you?"),
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        initial=ContactMethod.NONE,
        required=False,
    )
    contact_email = forms.CharField(label=_("E-mail"), required=False, max_length=254)
    contact_phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    consent_platform = forms.BooleanField(
        label=_("You may report this to the platform (TikTok, Meta, …) for me"), required=False
    )
    consent_police = forms.BooleanField(label=_("You may pass this to the police"), required=False)
    consent_hotline = forms.BooleanField(
        label=_("You may refer this to a child-protection hotline (such as the IWF)"), required=False
    )

    def clean_description(self) -> str:
        text = clean_free_text(self.cleaned_data.get("description", ""), max_length=MAX_DESCRIPTION)
        if not text:
            raise forms.ValidationError(_("Please tell us briefly what happened."), code="required")
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        method = data.get("contact_method") or ContactMethod.NONE
        data["contact_method"] = method
        field = {ContactMethod.EMAIL: "contact_email", ContactMethod.PHONE: "contact_phone"}.get(method)
        data["contact_value"] = ""
        if field:
            try:
                data["contact_value"] = clean_contact(method, data.get(field) or "")
            except forms.ValidationError as exc:
                self.add_error(field, exc)
        return data

    def to_input(self, *, language: str, source: str) -> ReportInput:
        d = self.cleaned_data
        return ReportInput(
            category=d["category"],
            description=d["description"],
            affected=d["affected"],
            age_band=d["age_band"],
            platforms=list(d.get("platforms") or []),
            items=d.get("items") or [],
            in_danger_now=bool(d.get("in_danger_now")),
            contact_method=d["contact_method"],
            contact_value=d.get("contact_value", ""),
            consent_platform=bool(d.get("consent_platform")),
            consent_police=bool(d.get("consent_police")),
            consent_hotline=bool(d.get("consent_hotline")),
            language=language,
            source=source,
        )


class FollowUpForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"dir": "ltr", "autocomplete": "off", "autocapitalize": "characters", "placeholder": "AMN-XXXX-XXXX"}
        ),
    )
    code = forms.CharField(
        label=_("Follow-up code"),
        max_length=64,
        widget=forms.PasswordInput(attrs={"dir": "ltr", "autocomplete": "off", "autocapitalize": "characters"}),
    )


class ReplyForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_MESSAGE * 2
    )

    def clean_message(self) -> str:
        text = clean_free_text(self.cleaned_data.get("message", ""), max_length=MAX_MESSAGE)
        if not text:
            raise forms.ValidationError(_("Write a message first."), code="required")
        return text


class AddItemsForm(forms.Form):
    items = ItemsField(label=_("Links and account names"), help_text=_("One per line."), required=True)

    def clean_items(self) -> list[tuple[str, str]]:
        items = self.cleaned_data.get("items") or []
        if not items:
            raise forms.ValidationError(_("Add at least one link or account name."), code="required")
        return items


class EvidenceForm(forms.Form):
    evidence = EvidenceFilesField(label=_("Screenshots or files"))

    def clean_evidence(self) -> list[Any]:
        files = self.cleaned_data.get("evidence") or []
        if not files:
            raise forms.ValidationError(_("Choose at least one file."))
        return files


class ConsentForm(forms.Form):
    consent_platform = ReportForm.base_fields["consent_platform"]
    consent_police = ReportForm.base_fields["consent_police"]
    consent_hotline = ReportForm.base_fields["consent_hotline"]
