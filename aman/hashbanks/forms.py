from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aman.cases.choices import AgeBand, HarmCategory
from aman.hashbanks.models import CATEGORY_CHOICES, MAX_THRESHOLD, BankKind, SignalType
from aman.hashbanks.services import normalize_hash
from aman.intake.validation import clean_free_text

MAX_LOOKUP_HASHES = 100
MAX_IMPORT_BYTES = 50 * 1024 * 1024


def _plain(value: str, max_length: int) -> str:
    """Null bytes, control characters and bidi overrides removed; too long is an error."""
    return clean_free_text(value or "", max_length=max_length)


class BankForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=[c for c in BankKind.choices if c[0] != BankKind.REPORTER])
    category = forms.ChoiceField(label=_("Category"), choices=CATEGORY_CHOICES)
    partner_name = forms.CharField(label=_("Partner"), max_length=120, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    threshold = forms.IntegerField(label=_("Matching threshold"), min_value=0, max_value=MAX_THRESHOLD, initial=31)

    def clean_name(self) -> str:
        return _plain(self.cleaned_data["name"], 120)

    def clean_description(self) -> str:
        return _plain(self.cleaned_data.get("description", ""), 2000)


class BankEditForm(forms.Form):
    active = forms.BooleanField(label=_("Used for matching"), required=False)
    threshold = forms.IntegerField(label=_("Matching threshold"), min_value=0, max_value=MAX_THRESHOLD)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_description(self) -> str:
        return _plain(self.cleaned_data.get("description", ""), 2000)


class HashAddForm(forms.Form):
    signal_type = forms.ChoiceField(label=_("Type"), choices=SignalType.choices)
    value = forms.CharField(label=_("Hash"), max_length=200)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "signal_type" in data and "value" in data:
            try:
                data["value"] = normalize_hash(data["signal_type"], data["value"])
            except ValueError as exc:
                self.add_error("value", str(exc))
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawal"), max_length=500)

    def clean_reason(self) -> str:
        reason = _plain(self.cleaned_data["reason"], 500)
        if not reason:
            raise forms.ValidationError(_("Please give a reason for the withdrawal."), code="required")
        return reason


class ImportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("text", _("Signal lines (pdq <hash>, md5 <hash>)")), ("csv", _("CSV with provenance"))],
    )
    file = forms.FileField(label=_("File"))
    source = forms.CharField(label=_("Source"), max_length=200, required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is too large for the browser (50 MB at most). Use the import command."), code="too_large"
            )
        return upload


class LookupForm(forms.Form):
    hashes = forms.CharField(
        label=_("Hashes, one per line (PDQ: 64 hexadecimal characters, MD5: 32)"),
        widget=forms.Textarea(attrs={"rows": 6, "dir": "ltr", "spellcheck": "false"}),
        max_length=MAX_LOOKUP_HASHES * 80,
    )

    def clean_hashes(self) -> tuple[list[str], list[str]]:
        lines = [line.strip() for line in self.cleaned_data["hashes"].splitlines() if line.strip()]
        if len(lines) > MAX_LOOKUP_HASHES:
            raise forms.ValidationError(
                _("Please look up at most %(max)d hashes at a time.") % {"max": MAX_LOOKUP_HASHES}, code="too_many"
            )
        pdq: list[str] = []
        md5: list[str] = []
        problems = []
        for number, line in enumerate(lines, start=1):
            parts = line.split()
            value = parts[-1].lower()
            kind = SignalType.PDQ if len(value) == 64 else SignalType.MD5
            try:
                (pdq if kind == SignalType.PDQ else md5).append(normalize_hash(kind, value))
            except ValueError:
                problems.append(number)
        if problems:
            raise forms.ValidationError(
                _("These lines are not PDQ or MD5 hashes: %(lines)s")
                % {"lines": ", ".join(str(n) for n in problems[:20])},
                code="invalid_hash",
            )
        return list(dict.fromkeys(pdq)), list(dict.fromkeys(md5))


PROTECT_CATEGORIES = [
    (HarmCategory.NCII.value, _("Someone shared, or may share, an intimate picture without my agreement")),
    (HarmCategory.SEXTORTION.value, _("Someone threatens to share a picture unless I pay or send more")),
    (HarmCategory.CHILD_SEXUAL_EXPLOITATION.value, _("The picture shows a child")),
]
ATTACH_NEW = "new"
INCOMPLETE = _("The picture's codes are incomplete. Please choose it again.")
ATTACH_EXISTING = "existing"


class ProtectForm(forms.Form):
    """What a reporter's browser sends: the picture's hashes (never the picture), and the case
    they belong to (a new report, or an existing one with its reference and follow-up code)."""

    kind = forms.ChoiceField(choices=[("image", "image"), ("video", "video")], initial="image")
    pdq = forms.CharField(max_length=64, required=False)
    dihedral = forms.CharField(max_length=8 * 65, required=False)
    quality = forms.IntegerField(min_value=0, max_value=100, required=False)
    md5 = forms.CharField(max_length=32, required=False)
    attach = forms.ChoiceField(
        label=_("Which report is this picture for?"),
        choices=[(ATTACH_NEW, _("Start a new report")), (ATTACH_EXISTING, _("Add it to my report"))],
        initial=ATTACH_NEW,
        widget=forms.RadioSelect,
    )
    category = forms.ChoiceField(
        label=_("What is happening?"), choices=PROTECT_CATEGORIES, widget=forms.RadioSelect, required=False
    )
    age_band = forms.ChoiceField(
        label=_("How old is the person in the picture?"),
        choices=AgeBand.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    reference = forms.CharField(
        label=_("Case reference"), max_length=40, required=False, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    code = forms.CharField(
        label=_("Follow-up code"),
        max_length=64,
        required=False,
        widget=forms.PasswordInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that Aman keeps these codes with my report and shares them with platforms and partner "
            "helplines to find and remove copies of the picture."
        ),
    )

    def __init__(self, *args: Any, session_case: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session_case = session_case
        # Only the questions of the chosen way are required (the page shows only those).
        existing = self.data.get("attach") == ATTACH_EXISTING
        for name in ("category", "age_band"):
            self.fields[name].required = not existing
        for name in ("reference", "code"):
            self.fields[name].required = not session_case and (existing or not self.is_bound)

    def clean_pdq(self) -> str:
        value = self.cleaned_data.get("pdq") or ""
        if not value:
            return ""
        try:
            return normalize_hash(SignalType.PDQ, value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid_hash") from None

    def clean_dihedral(self) -> list[str]:
        text = self.cleaned_data.get("dihedral") or ""
        values = [v for v in text.split(",") if v.strip()]
        if values and len(values) != 8:
            raise forms.ValidationError(INCOMPLETE, code="dihedral")
        try:
            return [normalize_hash(SignalType.PDQ, v) for v in values]
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid_hash") from None

    def clean_md5(self) -> str:
        value = self.cleaned_data.get("md5") or ""
        if not value:
            return ""
        try:
            return normalize_hash(SignalType.MD5, value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid_hash") from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pdq, dihedral, md5 = data.get("pdq"), data.get("dihedral") or [], data.get("md5")
        if not self.errors:
            if not pdq and not md5:
                raise forms.ValidationError(
                    _("Choose a picture or a video first: its code is made on this device."), code="no_hash"
                )
            if pdq and dihedral and dihedral[0] != pdq:
                self.add_error("dihedral", INCOMPLETE)
            if pdq and data.get("quality") is None:
                self.add_error("quality", INCOMPLETE)
        return data


class CaseLoginForm(forms.Form):
    """A reporter opens their report (reference and follow-up code) to withdraw their picture codes."""

    reference = forms.CharField(
        label=_("Case reference"), max_length=40, widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"})
    )
    code = forms.CharField(
        label=_("Follow-up code"),
        max_length=64,
        widget=forms.PasswordInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
