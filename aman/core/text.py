"""Text helpers with no Django import: Arabic normalisation for search, input sanitising."""

import re
import unicodedata

_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_LETTER_MAP = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ې": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ة": "ه",
        "ە": "ه",
        "ک": "ك",
        "ڪ": "ك",
        "گ": "ك",
        "٠": "0",
        "١": "1",
        "٢": "2",
        "٣": "3",
        "٤": "4",
        "٥": "5",
        "٦": "6",
        "٧": "7",
        "٨": "8",
        "٩": "9",
        "۰": "0",
        "۱": "1",
        "۲": "2",
        "۳": "3",
        "۴": "4",
        "۵": "5",
        "۶": "6",
        "۷": "7",
        "۸": "8",
        "۹": "9",
    }
)
_SPACES = re.compile(r"\s+")
# Bidirectional embeddings, overrides and isolates (they can disguise a link or a name) and
# zero-width spaces. Joiners (ZWNJ, ZWJ) are kept in stored text: Kurdish spelling needs them.
_BIDI_OVERRIDES = re.compile("[\u200b\u202a-\u202e\u2066-\u2069\ufeff]")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u061c]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalize_for_search(text: str) -> str:
    """Fold a text so that Arabic letter variants, diacritics and case match each other."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _ARABIC_DIACRITICS.sub("", text).replace(_TATWEEL, "")
    text = text.translate(_LETTER_MAP).casefold()
    return _SPACES.sub(" ", text).strip()


def clean_user_text(text: str) -> str:
    """Remove null bytes, control characters and bidi overrides from free text; keep newlines."""
    text = text.replace("\x00", "")
    text = _CONTROL.sub("", text)
    text = _BIDI_OVERRIDES.sub("", text)
    return text.replace("\r\n", "\n").strip()
