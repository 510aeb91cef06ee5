"""Text normalisation and language routing for the classifier. Pure Python, no Django import.

The classifier sees every text through :func:`prepare`, which

* detects the script and language (Arabic, Central Kurdish, Arabizi, French, English),
* folds Arabic: diacritics, tatweel, letter variants (alef, yeh, teh marbuta...), Persian and
  Kurdish letter forms, Arabic-Indic digits,
* collapses elongated letters (``ههههههه``, ``looool``) and repeated punctuation,
* turns links and user mentions into the placeholders ``URL`` and ``USER`` (the public corpora use
  the same), keeps hashtag words, separates emoji and drops skin-tone modifiers,
* for Arabizi, adds a rough transliteration to Arabic letters so that ``7mar`` meets ``حمار``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

LANGUAGES = ("ar", "ckb", "arabizi", "fr", "en")

_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u061c\u00ad]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|net|org|me|ly|io|co)(?:/\S*)?\b", re.IGNORECASE)
_DOMAIN_HINT = re.compile(r"\.(?:com|net|org|me|ly|io|co)\b", re.IGNORECASE)
_MENTION = re.compile(r"@\w+")
_PLACEHOLDER = re.compile(r"\b(?:URL|USER|NUM)\b|<\s*(?:url|user|LF)\s*>|_x000D_", re.IGNORECASE)
_RT = re.compile(r"^\s*RT\b:?", re.IGNORECASE)
_ELONGATED = re.compile(r"(.)\1{2,}")
_SPACES = re.compile(r"\s+")
# Emoji and pictographs: one token each; modifiers and joiners are dropped.
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\u2300-\u23ff\u2b00-\u2bff\U0001f000-\U0001f2ff\u3030\u303d]")
_EMOJI_MODIFIERS = re.compile("[\U0001f3fb-\U0001f3ff\ufe0e\ufe0f\u200d\u20e3]")
_PUNCT = re.compile(r"([!?.,;:،؛؟\"'()\[\]{}«»…*+=/\\|<>~^-])")

_ARABIC_LETTERS = re.compile("[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff]")
_KURDISH_LETTERS = re.compile("[\u0695\u06b5\u06c6\u06ce\u06d5\u06a4]")  # ڕ ڵ ۆ ێ ە ڤ
_LATIN_LETTERS = re.compile(r"[a-zA-Z\u00c0-\u024f]")
_ARABIZI_DIGIT = re.compile(r"(?:[a-z][235679]|[235679][a-z])", re.IGNORECASE)

_LETTER_MAP = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ې": "ي",
        "ێ": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ۆ": "و",
        "ة": "ه",
        "ە": "ه",
        "ھ": "ه",
        "ک": "ك",
        "ڪ": "ك",
        "گ": "ك",
        "ڕ": "ر",
        "ڵ": "ل",
        "ڤ": "ف",
        "پ": "ب",
        "چ": "ج",
        "ژ": "ز",
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
        "ـ": "",
        "\u00a0": " ",
    }
)

_FRENCH_WORDS = frozenset(
    [
        "le",
        "la",
        "les",
        "des",
        "est",
        "et",
        "je",
        "tu",
        "il",
        "elle",
        "nous",
        "vous",
        "pas",
        "une",
        "un",
        "mon",
        "ma",
        "mes",
        "ton",
        "ta",
        "tes",
        "sur",
        "avec",
        "pour",
        "dans",
        "qui",
        "que",
        "quoi",
        "ce",
        "cette",
        "c'est",
        "j'ai",
        "suis",
        "être",
        "avoir",
        "fait",
        "très",
        "mais",
        "ou",
        "donc",
        "aussi",
        "moi",
        "toi",
        "lui",
        "leur",
        "du",
        "au",
        "aux",
        "se",
        "ne",
        "plus",
        "tout",
        "rien",
        "ça",
        "veux",
        "peux",
        "vais",
        "photos",
        "compte",
        "argent",
        "menace",
    ]
)
_ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "is",
        "you",
        "your",
        "my",
        "to",
        "of",
        "it",
        "this",
        "that",
        "me",
        "i",
        "he",
        "she",
        "they",
        "we",
        "are",
        "was",
        "were",
        "have",
        "has",
        "be",
        "not",
        "with",
        "for",
        "on",
        "in",
        "what",
        "who",
        "will",
        "would",
        "can",
        "just",
        "do",
        "don't",
        "if",
        "so",
        "at",
        "by",
        "an",
        "from",
        "our",
        "their",
        "them",
        "him",
        "her",
        "account",
        "photos",
        "money",
        "please",
        "help",
    ]
)
_ARABIZI_WORDS = frozenset(
    [
        "ana",
        "enta",
        "enti",
        "inta",
        "inti",
        "howa",
        "hiya",
        "ya",
        "yalla",
        "wallah",
        "walah",
        "wlh",
        "inshallah",
        "mashallah",
        "habibi",
        "habibti",
        "3la",
        "3lik",
        "3endi",
        "3andi",
        "7aga",
        "7aja",
        "kifak",
        "kifik",
        "kif",
        "chou",
        "shu",
        "chno",
        "chnou",
        "wach",
        "wesh",
        "bzaf",
        "barcha",
        "mch",
        "msh",
        "mish",
        "mesh",
        "bas",
        "bass",
        "la2",
        "eh",
        "ah",
        "ya3ni",
        "yani",
        "hada",
        "hadi",
        "hadak",
        "hadik",
        "dyal",
        "dial",
        "mta3",
        "3ayz",
        "3awz",
        "3ayza",
        "bade",
        "baddi",
        "bidi",
        "ba3dein",
        "kda",
        "keda",
        "kteer",
        "ktir",
        "zay",
        "ezay",
        "ezzay",
        "leh",
        "lesh",
        "lech",
        "fin",
        "feen",
        "wen",
        "win",
        "hna",
        "hena",
        "ma3",
        "m3a",
        "bach",
        "besh",
        "bech",
        "rak",
        "raki",
        "rani",
        "nta",
        "nti",
        "ntiya",
        "howa",
        "lik",
        "lek",
        "khoya",
        "khouya",
        "sahbi",
        "sa7bi",
        "7ob",
        "7abibi",
        "5ara",
        "zebi",
        "zeby",
        "kalb",
        "kelb",
        "7mar",
        "hmar",
        "nik",
        "nayek",
        "sharmouta",
        "charmouta",
        "9a7ba",
        "kahba",
        "wald",
        "weld",
        "bent",
        "bint",
        "ukhti",
        "okhti",
        "akhi",
        "mama",
        "baba",
    ]
)


@dataclass(frozen=True)
class Prepared:
    """A text made ready for the feature hasher."""

    language: str
    text: str  # the normalised text that is hashed


def _is_arabizi(words: list[str], raw: str) -> bool:
    if _ARABIZI_DIGIT.search(raw):
        return True
    hits = sum(1 for w in words if w in _ARABIZI_WORDS)
    return hits >= 1 and hits >= 0.15 * max(len(words), 1)


def detect_language(text: str) -> str:
    """Guess the language of a short text: ``ar``, ``ckb``, ``arabizi``, ``fr`` or ``en``.

    Script first: Arabic letters with the Kurdish-only letters (ڕ ڵ ۆ ێ ە) are Central Kurdish,
    other Arabic script is Arabic. Latin script is Arabizi when digits stand for letters (3, 7, 9...)
    or common dialect words appear, else French or English by their function words. Ties and
    texts without letters go to Arabic, the platform's first language.
    """
    arabic = len(_ARABIC_LETTERS.findall(text))
    latin = len(_LATIN_LETTERS.findall(text))
    if arabic == 0 and latin == 0:
        return "ar"
    if arabic >= latin:
        kurdish = len(_KURDISH_LETTERS.findall(text))
        if kurdish >= 2 or (kurdish >= 1 and arabic < 25):
            return "ckb"
        return "ar"
    lowered = text.lower()
    words = re.findall(r"[a-z0-9\u00c0-\u024f']+", lowered)
    if _is_arabizi(words, lowered):
        return "arabizi"
    fr = sum(1 for w in words if w in _FRENCH_WORDS) + 2 * len(re.findall("[éèêàçùûôî]", lowered))
    en = sum(1 for w in words if w in _ENGLISH_WORDS)
    return "fr" if fr > en else "en"


# Arabizi to Arabic letters: digraphs first, then digits and single letters. Vowels a/e are
# dropped inside words (short vowels are not written), i/o/u become ي and و.
_ARABIZI_DIGRAPHS = (
    ("sh", "ش"),
    ("ch", "ش"),
    ("kh", "خ"),
    ("gh", "غ"),
    ("th", "ث"),
    ("dh", "ذ"),
    ("ou", "و"),
    ("ee", "ي"),
    ("oo", "و"),
    ("aa", "ا"),
)
_ARABIZI_SINGLE = str.maketrans(
    {
        "2": "ء",
        "3": "ع",
        "5": "خ",
        "6": "ط",
        "7": "ح",
        "8": "غ",
        "9": "ق",
        "b": "ب",
        "t": "ت",
        "j": "ج",
        "g": "ج",
        "d": "د",
        "r": "ر",
        "z": "ز",
        "s": "س",
        "f": "ف",
        "q": "ق",
        "k": "ك",
        "l": "ل",
        "m": "م",
        "n": "ن",
        "h": "ه",
        "w": "و",
        "y": "ي",
        "i": "ي",
        "o": "و",
        "u": "و",
        "p": "ب",
        "v": "ف",
        "c": "ك",
        "x": "كس",
        "e": "",
        "a": "",
    }
)
_ARABIZI_WORD = re.compile(r"[a-z0-9]+")


def arabizi_to_arabic(text: str) -> str:
    """A rough, lossy transliteration of Arabizi into Arabic letters, for features only."""

    def word(match: re.Match[str]) -> str:
        w = match.group(0)
        if w.isdigit():
            return w
        first = ""
        if w[0] in "ae":
            first, w = "ا", w[1:]
        for a, b in _ARABIZI_DIGRAPHS:
            w = w.replace(a, b)
        return first + w.translate(_ARABIZI_SINGLE)

    return _ARABIZI_WORD.sub(word, text)


def fold(text: str) -> str:
    """Normalise one text without language-specific additions (used by :func:`prepare`)."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    if text.startswith(("RT", "rt", " ")):
        text = _RT.sub(" ", text)
    if "http" in text or "www" in text or _DOMAIN_HINT.search(text):
        text = _URL.sub(" URL ", text)
    if "@" in text:
        text = _MENTION.sub(" USER ", text)
    if "<" in text or "_x" in text or "URL" in text or "USER" in text or "url" in text or "user" in text:
        text = _PLACEHOLDER.sub(lambda m: " URL " if "url" in m.group(0).lower() else " USER ", text)
    text = text.replace("#", " ").replace("_", " ")
    text = _ARABIC_DIACRITICS.sub("", text)
    text = text.translate(_LETTER_MAP)
    text = _EMOJI_MODIFIERS.sub("", text)
    text = text.casefold()
    text = _ELONGATED.sub(r"\1\1", text)
    text = _EMOJI.sub(r" \g<0> ", text)
    text = _PUNCT.sub(r" \1 ", text)
    return _SPACES.sub(" ", text).strip()


def prepare(text: str, language: str | None = None) -> Prepared:
    """Detect the language (unless given) and return the text the hasher sees."""
    if language is not None:
        language = language.lower().replace("_", "-")
        language = {"ar-latn": "arabizi", "ku": "ckb", "ckb-arab": "ckb"}.get(language, language)
        if language not in LANGUAGES:
            language = language.split("-")[0]
            if language not in LANGUAGES:
                language = None
    if language is None:
        language = detect_language(text)
    folded = fold(text)
    if language in ("fr", "en"):
        # Accents vary in informal French; keep both spellings' n-grams close.
        folded = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    elif language == "arabizi":
        folded = f"{folded} | {arabizi_to_arabic(folded)}"
    return Prepared(language=language, text=folded)
