from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from aman.accounts.models import User
from aman.core.text import clean_user_text
from aman.training.models import (
    Audience,
    Country,
    Language,
    Participant,
    Programme,
    QuizPhase,
    Region,
    Trainer,
    VenueKind,
    Workshop,
)
from aman.training.quiz import QUESTIONS


class CleanTextMixin:
    """Every text field loses NUL, control characters and bidi overrides; required fields stay required."""

    text_fields: tuple[str, ...] = ()

    def _clean_texts(self, data: dict[str, Any]) -> dict[str, Any]:
        for name in self.text_fields:
            if isinstance(data.get(name), str):
                data[name] = clean_user_text(data[name])
                field = self.fields[name]  # type: ignore[attr-defined]
                if field.required and not data[name]:
                    self.add_error(name, _("This field is required."))  # type: ignore[attr-defined]
        return data


class ProgrammeForm(CleanTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    text_fields = ("name", "description")

    class Meta:
        model = Programme
        fields = ["name", "description", "starts_on", "ends_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any]:
        data = self._clean_texts(super().clean() or {})
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date is before the start date."))
        return data


class RegionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        from django.utils import translation

        return f"{obj.label_for(translation.get_language() or 'ar')} ({obj.get_country_display()})"


class WorkshopForm(CleanTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    text_fields = ("title", "venue")
    region = RegionChoiceField(label=_("Governorate or region"), queryset=Region.objects.filter(active=True))

    class Meta:
        model = Workshop
        fields = [
            "title",
            "date",
            "region",
            "venue",
            "venue_kind",
            "audience",
            "language",
            "capacity",
            "registration_open",
        ]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        if not 1 <= capacity <= 5000:
            raise forms.ValidationError(_("Capacity must be between 1 and 5,000."))
        return int(capacity)

    def clean(self) -> dict[str, Any]:
        return self._clean_texts(super().clean() or {})


class TrainerChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class AssignTrainersForm(forms.Form):
    trainers = TrainerChoiceField(
        label=_("Trainers"),
        queryset=Trainer.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class TrainerForm(CleanTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    text_fields = ("display_name", "qualifications")
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Governorates"), queryset=Region.objects.filter(active=True), required=False
    )

    class Meta:
        model = Trainer
        fields = ["display_name", "qualifications", "languages", "regions", "active"]
        widgets = {"qualifications": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        return self._clean_texts(super().clean() or {})


class TrainerCreateForm(TrainerForm):
    username = forms.RegexField(label=_("User name"), regex=r"^[\w.@+-]{3,150}$", max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=128)

    class Meta(TrainerForm.Meta):
        fields = ["username", "password", "display_name", "qualifications", "languages", "regions", "active"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken."), code="taken")
        return str(username)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password"):
            try:
                validate_password(data["password"], User(username=data.get("username", "")))
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class RegionForm(CleanTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    text_fields = ("name_ar", "name_en", "name_fr", "name_ckb")

    class Meta:
        model = Region
        fields = ["country", "code", "name_ar", "name_en", "name_fr", "name_ckb", "active"]

    def clean(self) -> dict[str, Any]:
        return self._clean_texts(super().clean() or {})


class RegistrationForm(CleanTextMixin, forms.Form):
    text_fields = ("full_name",)
    full_name = forms.CharField(
        label=_("Your full name (as it should appear on the certificate)"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("Only to send you the certificate."),
        required=False,
        max_length=254,
    )
    consent = forms.BooleanField(label=_("I agree"), required=True)

    def clean(self) -> dict[str, Any]:
        data = self._clean_texts(super().clean() or {})
        name = data.get("full_name", "")
        if name and name.startswith(("=", "+", "-", "@")):
            self.add_error("full_name", _("Please write your name without symbols at the start."))
        if name:
            data["full_name"] = " ".join(name.split())
        if data.get("email"):
            data["email"] = data["email"].lower()
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    consent_confirmed = forms.BooleanField(
        label=_("The people on this list agreed on paper to the participation text shown above."), required=True
    )


RATING_CHOICES = [(str(i), str(i)) for i in range(1, 6)]


class FeedbackForm(forms.Form):
    overall = forms.TypedChoiceField(
        label=_("How was the workshop overall? (1 = poor, 5 = excellent)"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    useful = forms.TypedChoiceField(
        label=_("How useful will it be for you? (1 = not at all, 5 = very)"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    recommend = forms.TypedChoiceField(
        label=_("Would you recommend it to others?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything else you want to tell us?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_comment(self) -> str:
        return clean_user_text(self.cleaned_data.get("comment") or "")


class QuizForm(forms.Form):
    participant: forms.ModelChoiceField = forms.ModelChoiceField(  # type: ignore[type-arg]
        label=_("Participant"), queryset=Participant.objects.none()
    )

    def __init__(self, *args: Any, participants: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["participant"]
        field.queryset = participants
        for number, question in enumerate(QUESTIONS, start=1):
            self.fields[f"q_{question.id}"] = forms.TypedChoiceField(
                label=f"{number}. {question.text_in(language)}",
                choices=[(str(i), text) for i, text in enumerate(question.options_in(language))],
                coerce=int,
                widget=forms.RadioSelect,
            )

    def answers(self) -> dict[str, int]:
        return {q.id: self.cleaned_data[f"q_{q.id}"] for q in QUESTIONS}


class DashboardFilterForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.all(), required=False)
    country = forms.ChoiceField(label=_("Country"), choices=[("", "—"), *Country.choices], required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


__all__ = ["Audience", "QuizPhase", "VenueKind"]
