"""The words of a nudge, in the caller's language. Codes are stable; messages are translated."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

RTL = {"ar", "ckb"}
UI_LANGUAGES = ("ar", "fr", "ckb", "en")

REASONS = {
    "offensive": _("It may read as insulting or hurtful."),
    "hate": _("It may attack people for who they are."),
    "threat": _("It may read as a threat."),
    "sexual_harassment": _("It may be read as sexual harassment."),
    "phone": _("It shows a phone number."),
    "national_id": _("It shows a national ID number."),
    "email": _("It shows an e-mail address."),
    "iban": _("It shows a bank account number (IBAN)."),
    "sensitive": _("It has a marker such as confidential or internal use."),
    "suspicious_link": _("It has a link that looks like a trick (phishing) or hides where it goes."),
}

TITLE = _("Think before you post")
MESSAGE = _("This might hurt someone. Do you want to post it anyway?")
MESSAGE_OFFICIAL = _("Before you publish: please check the points below.")
EDIT = _("Edit my post")
POST_ANYWAY = _("Post anyway")


def nudge(*, reasons: list[str], language: str, official: bool = False) -> dict[str, object]:
    """The nudge shown to the author, in ``language`` (one of the four UI languages)."""
    with translation.override(language):
        return {
            "language": language,
            "dir": "rtl" if language in RTL else "ltr",
            "title": str(TITLE),
            "message": str(MESSAGE_OFFICIAL if official else MESSAGE),
            "reasons": [{"code": code, "message": str(REASONS[code])} for code in reasons if code in REASONS],
            "edit": str(EDIT),
            "post_anyway": str(POST_ANYWAY),
        }
