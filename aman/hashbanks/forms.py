from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

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


class ProtectForm(forms.Form):
    """What a reporter's browser sends: the PDQ hash, its quality and the reporter's consent."""

    pdq = forms.CharField(max_length=64, min_length=64)
    quality = forms.IntegerField(min_value=0, max_value=100)
    consent = forms.BooleanField(
        label=_(
            "I agree that Aman keeps this code and shares it with platforms and partner helplines to find "
            "and remove copies of the picture."
        ),
    )

    def clean_pdq(self) -> str:
        try:
            return normalize_hash(SignalType.PDQ, self.cleaned_data["pdq"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid_hash") from None
