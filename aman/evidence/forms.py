from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Several files in one field; each is checked by content later, never by its name."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [f for f in files if f]


class EvidenceUploadForm(forms.Form):
    evidence = EvidenceFilesField(label=_("Files"))
    description = forms.CharField(label=_("What do these files show? (optional)"), max_length=500, required=False)

    def clean_evidence(self) -> list[Any]:
        files = self.cleaned_data.get("evidence") or []
        if not files:
            raise forms.ValidationError(_("Choose at least one file."))
        return files


class PacketForm(forms.Form):
    target = forms.CharField(label=_("Who is this packet for?"), max_length=120)
    evidence = forms.TypedMultipleChoiceField(label=_("Evidence to include"), coerce=int, choices=[])

    def __init__(self, *args: Any, item_choices: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = item_choices or []  # type: ignore[attr-defined]


class ChecklistForm(forms.Form):
    requirement = forms.CharField(max_length=40)
    met = forms.BooleanField(required=False)


class PreferenceForm(forms.Form):
    blur = forms.BooleanField(label=_("Blur pictures until I choose to look"), required=False)
    greyscale = forms.BooleanField(label=_("Show pictures in greyscale"), required=False)
