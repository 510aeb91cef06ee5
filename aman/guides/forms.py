"""Forms of the guides app. Free text is cleaned (NUL, control characters, bidi overrides)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aman.cases.choices import HarmCategory
from aman.core.text import clean_user_text
from aman.guides.choices import LANGUAGES, GuidePlatform, OrganisationKind, Topic
from aman.guides.definitions import RiskQuestionnaire, SelfCheck, pick
from aman.guides.rendering import MAX_MARKDOWN
from aman.guides.scoring import NO, UNSURE, YES
from aman.guides.seed import SLUG

LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français", "ckb": "کوردی", "en": "English"}
LANGUAGE_CHOICES = [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the guides"), required=False, max_length=200)
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", _("All topics")), *Topic.choices], required=False)
    platform = forms.ChoiceField(
        label=_("Platform"), choices=[("", _("All platforms")), *GuidePlatform.choices], required=False
    )

    def values(self) -> dict[str, str]:
        if not self.is_valid():
            return {"q": "", "topic": "", "platform": ""}
        return {
            "q": clean_user_text(self.cleaned_data.get("q") or ""),
            "topic": self.cleaned_data.get("topic") or "",
            "platform": self.cleaned_data.get("platform") or "",
        }


def _clean_text(value: str, *, max_length: int) -> str:
    text = clean_user_text(value or "")
    if not text:
        raise forms.ValidationError(_("This field is required."), code="required")
    if len(text) > max_length:
        raise forms.ValidationError(_("This text is too long."), code="max_length")
    return text


class GuideMetaForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    platforms = forms.MultipleChoiceField(
        label=_("Platforms"), choices=GuidePlatform.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    categories = forms.MultipleChoiceField(
        label=_("Shown after reports of"),
        choices=[c for c in HarmCategory.choices if c[0] != HarmCategory.NOT_SURE],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    order = forms.IntegerField(label=_("Order in the list"), min_value=0, max_value=10_000, initial=100)


class GuideCreateForm(GuideMetaForm):
    slug = forms.CharField(
        label=_("Short name for the link (lower-case Latin letters, digits and hyphens)"), max_length=80
    )
    field_order = ["slug", "topic", "platforms", "categories", "order"]

    def clean_slug(self) -> str:
        slug = (self.cleaned_data.get("slug") or "").strip().lower()
        if not SLUG.match(slug):
            raise forms.ValidationError(_("Use lower-case Latin letters, digits and hyphens only."), code="invalid")
        return slug


class GuideTextForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=400)
    summary = forms.CharField(
        label=_("Summary (one short paragraph)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    body_markdown = forms.CharField(
        label=_("Text (Markdown: headings, lists, links)"),
        max_length=MAX_MARKDOWN,
        widget=forms.Textarea(attrs={"rows": 24, "dir": "auto"}),
    )

    def clean_title(self) -> str:
        return _clean_text(self.cleaned_data.get("title", ""), max_length=200)

    def clean_summary(self) -> str:
        return _clean_text(self.cleaned_data.get("summary", ""), max_length=1000)

    def clean_body_markdown(self) -> str:
        return _clean_text(self.cleaned_data.get("body_markdown", ""), max_length=MAX_MARKDOWN)


class SelfCheckForm(forms.Form):
    """One yes / no / not sure question per field, built from the platform's self-check."""

    def __init__(self, *args: Any, check: SelfCheck, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.check = check
        for question in check.questions:
            self.fields[f"q_{question.id}"] = forms.ChoiceField(
                label=pick(question.text, language),
                choices=[(YES, _("Yes")), (NO, _("No")), (UNSURE, _("I am not sure"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("Please choose an answer.")},
            )

    def answers(self) -> dict[str, str]:
        return {q.id: self.cleaned_data[f"q_{q.id}"] for q in self.check.questions}


class RiskForm(forms.Form):
    """One choice per question of the risk questionnaire, and the language of the report."""

    report_language = forms.ChoiceField(label=_("Language of the report"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args: Any, questionnaire: RiskQuestionnaire, language: str, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("report_language", language)
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.sections = []
        for risk in questionnaire.risks:
            names = []
            for question in risk.questions:
                name = questionnaire.field_name(risk, question)
                self.fields[name] = forms.ChoiceField(
                    label=pick(question.text, language),
                    choices=[(a.id, pick(a.text, language)) for a in question.answers],
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Please choose an answer.")},
                )
                names.append(name)
            self.sections.append((pick(risk.title, language), names))

    def section_fields(self) -> list[tuple[str, list[Any]]]:
        return [(title, [self[name] for name in names]) for title, names in self.sections]

    def answers(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if k != "report_language"}


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name of the organisation or team"), max_length=400)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)

    def clean_name(self) -> str:
        return _clean_text(self.cleaned_data.get("name", ""), max_length=200)


class SendGuideForm(forms.Form):
    guide = forms.SlugField(max_length=80)
