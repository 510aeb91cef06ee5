from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aman.accounts.models import HELPLINE_ROLES, User
from aman.cases.choices import HarmCategory, Outcome, Platform, Urgency
from aman.cases.selectors import QUEUE_CODES, CaseFilters
from aman.cases.states import Status
from aman.intake.validation import MAX_MESSAGE, clean_free_text


class FilterForm(forms.Form):
    queue = forms.ChoiceField(choices=[(c, c) for c in QUEUE_CODES], required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("Any category")), *HarmCategory.choices], required=False
    )
    platform = forms.ChoiceField(
        label=_("Platform"), choices=[("", _("Any platform")), *Platform.choices], required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any status")), *Status.choices], required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=[("", _("Any urgency")), *Urgency.choices], required=False)

    def filters(self) -> CaseFilters:
        if not self.is_valid():
            return CaseFilters(queue="all")
        d = self.cleaned_data
        return CaseFilters(
            queue=d.get("queue") or "all",
            q=d.get("q", ""),
            category=d.get("category", ""),
            platform=d.get("platform", ""),
            status=d.get("status", ""),
            urgency=d.get("urgency", ""),
        )


class TriageForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=HarmCategory.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    minor_involved = forms.BooleanField(label=_("Minor involved"), required=False)
    imminent_danger = forms.BooleanField(label=_("Imminent danger"), required=False)
    self_harm = forms.BooleanField(label=_("Self-harm risk"), required=False)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"), queryset=User.objects.none(), required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(is_active=True, role__in=HELPLINE_ROLES).order_by(  # type: ignore[attr-defined]
            "username"
        )


class TransitionForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Outcome.choices], required=False)
    outcome_note = forms.CharField(
        label=_("Outcome note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    reason = forms.CharField(label=_("Reason (needed to reopen)"), required=False, max_length=1000)


class TextForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_MESSAGE * 2)
    wait_for_reply = forms.BooleanField(label=_("Wait for the reporter's reply"), required=False)

    def clean_body(self) -> str:
        text = clean_free_text(self.cleaned_data.get("body", ""), max_length=MAX_MESSAGE)
        if not text:
            raise forms.ValidationError(_("Write something first."), code="required")
        return text
