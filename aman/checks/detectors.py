"""Pre-publication detectors for official accounts. Pure Python: no Django import.

``detect(text)`` returns a list of ``Finding(kind, start, end, text, detail)`` where
``text == original[start:end]`` always holds. Kinds:

* ``phone``          phone numbers of IQ, MA, SA, EG, AE, TN, DZ, JO (local or international form)
* ``national_id``    national ID numbers of the same countries (checksums where a format has one)
* ``email``          e-mail addresses
* ``iban``           IBANs (any country) with a valid ISO 13616 mod-97 check
* ``sensitive``      markers such as "confidential", "internal use", سري, confidentiel
* ``suspicious_link`` punycode or mixed-script hosts, digit/letter swaps of brands, brand names in
                     another domain's subdomains, look-alikes of government and bank domains,
                     URL shorteners and bare IP addresses

Arabic-Indic digits (٠-٩, ۰-۹) are mapped one to one to ASCII before matching, so spans stay
valid in the original text. Formats, sources and limits are documented in docs/checks.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

KINDS = ("phone", "national_id", "email", "iban", "sensitive", "suspicious_link")
MAX_TEXT = 20_000

# One-to-one digit mapping: the normalised text has the same length as the original.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def normalize_digits(text: str) -> str:
    return text.translate(_DIGITS)


# -- checksums ---------------------------------------------------------------------------------


def luhn_valid(digits: str) -> bool:
    if not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


IBAN_LENGTHS = {
    # The eight countries (MA and DZ publish 28 and 26 without being in the SWIFT registry), then
    # common partners of the region.
    "IQ": 23, "JO": 30, "SA": 24, "EG": 29, "AE": 23, "TN": 24, "MA": 28, "DZ": 26,
    "LB": 28, "KW": 30, "QA": 29, "BH": 22, "OM": 23, "PS": 29, "LY": 25, "SD": 18, "YE": 30, "SY": 29,
    "FR": 27, "DE": 22, "GB": 22, "ES": 24, "IT": 27, "NL": 18, "BE": 16, "CH": 21, "TR": 26, "SE": 24,
}  # fmt: skip


def iban_valid(compact: str) -> bool:
    """ISO 13616: length per country (when known) and mod-97 == 1."""
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return False
    expected = IBAN_LENGTHS.get(compact[:2])
    if expected is not None and len(compact) != expected:
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


EG_GOVERNORATES = {
    "01", "02", "03", "04", "11", "12", "13", "14", "15", "16", "17", "18", "19",
    "21", "22", "23", "24", "25", "26", "27", "28", "29", "31", "32", "33", "34", "35", "88",
}  # fmt: skip


def egypt_id_valid(digits: str) -> bool:
    """14 digits: century (2 = 1900s, 3 = 2000s), YYMMDD birth date, governorate code, serial, check."""
    if len(digits) != 14 or digits[0] not in "23":
        return False
    year = (1900 if digits[0] == "2" else 2000) + int(digits[1:3])
    try:
        date(year, int(digits[3:5]), int(digits[5:7]))
    except ValueError:
        return False
    return digits[7:9] in EG_GOVERNORATES


def uae_id_valid(digits: str) -> bool:
    """Emirates ID: 15 digits, 784 (ISO country code), birth year, serial, Luhn check digit."""
    return len(digits) == 15 and digits.startswith("784") and 1900 <= int(digits[3:7]) <= 2100 and luhn_valid(digits)


def saudi_id_valid(digits: str) -> bool:
    """National ID (1…) or Iqama (2…): 10 digits with a Luhn check digit."""
    return len(digits) == 10 and digits[0] in "12" and luhn_valid(digits)


# -- phones ------------------------------------------------------------------------------------

# (country, international prefix, national significant number pattern, local trunk pattern)
PHONE_RULES: list[tuple[str, str, str, str | None]] = [
    ("IQ", "964", r"7[3-9]\d{8}|1\d{7}|[2-6]\d{7,8}", r"07[3-9]\d{8}"),
    ("MA", "212", r"[5-7]\d{8}", r"0[5-7]\d{8}"),
    ("SA", "966", r"5\d{8}|1\d{7,8}", r"05\d{8}"),
    ("EG", "20", r"1[0125]\d{8}|[2-9]\d{7,8}", r"01[0125]\d{8}"),
    ("AE", "971", r"5[024568]\d{7}|[2-9]\d{7}", r"05[024568]\d{7}"),
    ("TN", "216", r"[2-9]\d{7}", None),  # local numbers are 8 bare digits: only the +216 form is matched
    ("DZ", "213", r"[5-7]\d{8}|[2-4]\d{7}", r"0[5-7]\d{8}"),
    ("JO", "962", r"7[789]\d{7}|[2-6]\d{7}", r"07[789]\d{7}"),
]
_PHONE_INTL = [(c, p, re.compile(rf"(?:{n})")) for c, p, n, _ in PHONE_RULES]
_PHONE_LOCAL = [(c, re.compile(rf"(?:{loc})")) for c, _, _, loc in PHONE_RULES if loc]

# A run of digit groups joined by single separators, optionally after + or 00.
_NUMBER_RUN = re.compile(r"(?<![\w+])\+?\(?\d+\)?(?:[ .\-\u00a0]\(?\d+\)?)*(?!\w)", re.ASCII)
_GROUP = re.compile(r"\+?\(?\d+\)?", re.ASCII)


def _phone_countries(digits: str, international: bool) -> list[str]:
    if international or digits.startswith("00"):
        body = digits[2:] if digits.startswith("00") else digits
        out = []
        for country, prefix, nsn in _PHONE_INTL:
            if body.startswith(prefix):
                rest = body[len(prefix) :]
                rest = rest[1:] if rest.startswith("0") else rest  # "+964 (0)770…"
                if nsn.fullmatch(rest):
                    out.append(country)
        return out
    return [country for country, pattern in _PHONE_LOCAL if pattern.fullmatch(digits)]


# -- national IDs ------------------------------------------------------------------------------

_ID_CONTEXT = re.compile(
    r"(national\s*(?:id|number|card)|id\s*(?:card|number|no)|identity|\bcin\b|\bnin\b|carte\s+nationale|"
    r"identit[ée]|num[ée]ro\s+national|رقم\s*(?:ال)?وطني|(?:ال)?رقم\s+(?:ال)?قومي|(?:ال)?هوي[ةه]|(?:ال)?بطاق[ةه]|"
    r"(?:ال)?إقام[ةه]|(?:ال)?اقام[ةه]|سجل\s+مدني|ژمارەی\s+ناسنامە|ناسنامە)",
    re.IGNORECASE,
)
_CONTEXT_WINDOW = 48


def _has_id_context(norm: str, start: int) -> bool:
    return bool(_ID_CONTEXT.search(norm[max(0, start - _CONTEXT_WINDOW) : start]))


def _national_id(digits: str, norm: str, start: int, *, whole: bool = True) -> tuple[str, str] | None:
    """(country, how it was recognised) or None."""
    if len(digits) == 10 and saudi_id_valid(digits):
        return "SA", "luhn"
    if len(digits) == 14 and egypt_id_valid(digits):
        return "EG", "structure"
    if len(digits) == 15 and uae_id_valid(digits):
        return "AE", "luhn"
    if len(digits) == 18 and digits[0] in "12":
        return "DZ", "length"
    if not whole or not _has_id_context(norm, start):
        return None
    if len(digits) == 12:
        return "IQ", "context"
    if len(digits) == 10:
        return "JO", "context"
    if len(digits) == 8:
        return "TN", "context"
    return None


_MOROCCO_CIN = re.compile(r"(?<![\w@])[A-Z]{1,2}[0-9]{5,6}(?![\w@])")


# -- e-mails, IBANs ----------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.+\-])[A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,24}(?![\w\-])"
)
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?:[ \-]?[A-Za-z0-9]{1,4}){3,8}(?![A-Za-z0-9])")


# -- sensitive markers -------------------------------------------------------------------------

_AR_MARKS = "[\u064b-\u0652\u0640]*"  # diacritics and tatweel may sit between letters
_AR_LETTER = "\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff"
SENSITIVE_MARKERS = {
    "ar": [
        "سري للغاية", "سري جدا", "سري وشخصي", "سري", "سرية", "السرية", "بسرية تامة", "سري ومكتوم", "مكتوم",
        "للاستخدام الداخلي", "للاستعمال الداخلي", "للتداول الداخلي", "داخلي فقط", "استخدام داخلي",
        "غير مخصص للنشر", "ليس للنشر", "يمنع النشر", "ممنوع النشر", "محظور النشر", "لا للنشر", "مسودة",
    ],
    "fr": [
        "strictement confidentiel", "confidentiel", "confidentielle", "usage interne", "à usage interne",
        "diffusion restreinte", "ne pas diffuser", "secret défense", "document interne", "projet de document",
    ],
    "en": [
        "strictly confidential", "confidential", "internal use only", "for internal use", "internal use",
        "not for distribution", "not for publication", "do not share", "do not forward", "top secret",
        "classified", "restricted", "draft",
    ],
}  # fmt: skip


def _marker_pattern(phrase: str, lang: str) -> str:
    if lang == "ar":
        parts = []
        for ch in phrase:
            if ch == " ":
                parts.append(r"\s+")
            elif ch in "اأإآ":
                parts.append("[اأإآ]" + _AR_MARKS)
            elif ch in "ةه":
                parts.append("[ةه]" + _AR_MARKS)
            elif ch in "يى":
                parts.append("[يى]" + _AR_MARKS)
            else:
                parts.append(re.escape(ch) + _AR_MARKS)
        # A whole word: not inside a longer Arabic word (سري is not سريع), with optional ال/بـ/و.
        return rf"(?<![{_AR_LETTER}])(?:[وب]?)(?:{''.join(parts)})(?![{_AR_LETTER}])"
    body = r"\s+".join(re.escape(w) for w in phrase.split())
    return rf"(?<![\w]){body}(?![\w])"


_SENSITIVE = [
    (lang, phrase, re.compile(_marker_pattern(phrase, lang), re.IGNORECASE))
    for lang, phrases in SENSITIVE_MARKERS.items()
    for phrase in sorted(phrases, key=len, reverse=True)
]


# -- links -------------------------------------------------------------------------------------

BRANDS = {
    # brand label -> its own registrable domains
    "facebook": {"facebook.com", "fb.com", "fb.me"},
    "instagram": {"instagram.com"},
    "whatsapp": {"whatsapp.com", "wa.me", "whatsapp.net"},
    "tiktok": {"tiktok.com"},
    "snapchat": {"snapchat.com"},
    "telegram": {"telegram.org", "t.me", "telegram.me"},
    "youtube": {"youtube.com", "youtu.be"},
    "google": {"google.com", "goo.gl", "google.iq", "google.com.sa", "google.com.eg", "google.ae"},
    "gmail": {"gmail.com"},
    "microsoft": {"microsoft.com", "live.com", "outlook.com"},
    "outlook": {"outlook.com", "live.com"},
    "apple": {"apple.com", "icloud.com"},
    "icloud": {"icloud.com"},
    "paypal": {"paypal.com", "paypal.me"},
    "twitter": {"twitter.com", "x.com", "t.co"},
    "netflix": {"netflix.com"},
    "amazon": {"amazon.com", "amazon.sa", "amazon.ae", "amazon.eg"},
    "binance": {"binance.com"},
    "absher": {"absher.sa"},
    "alrajhibank": {"alrajhibank.com.sa"},
    "emiratesnbd": {"emiratesnbd.com"},
    "attijariwafabank": {"attijariwafabank.com"},
    "zaincash": {"zaincash.iq"},
    "qicard": {"qi.iq"},
}
# Government, bank and service domains of the region that phishing imitates (a small, editable list).
PROTECTED_DOMAINS = {
    "gov.iq", "ur.gov.iq", "moi.gov.iq", "gov.sa", "absher.sa", "my.gov.sa", "moi.gov.sa", "gov.eg",
    "digital.gov.eg", "u.ae", "moi.gov.ae", "gov.ma", "service-public.ma", "gov.tn", "interieur.gov.dz",
    "mfa.gov.dz", "jordan.gov.jo", "sanad.gov.jo", "alrajhibank.com.sa", "snb.com", "riyadbank.com",
    "nbe.com.eg", "banquemisr.com", "emiratesnbd.com", "adcb.com", "attijariwafabank.com", "cihbank.ma",
    "stb.com.tn", "badr-bank.dz", "arabbank.jo", "zaincash.iq", "qi.iq", "rafidain-bank.gov.iq",
    "paypal.com", "facebook.com", "instagram.com", "whatsapp.com", "tiktok.com", "google.com", "apple.com",
}  # fmt: skip
SHORTENERS = {
    "bit.ly", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "cutt.ly", "rebrand.ly", "shorturl.at",
    "tiny.cc", "rb.gy", "buff.ly", "s.id", "t.ly", "v.gd", "bitly.com", "shorte.st", "adf.ly", "lnkd.in",
}  # fmt: skip
_SECOND_LEVEL = {"com", "gov", "org", "net", "edu", "co", "ac", "mil", "gob", "sch", "nic", "info", "biz"}
_LEET = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s"})

_URL_SCHEME = re.compile(r"(?:(?:https?|hxxps?)://|www\.)[^\s<>\"'()\[\]{}،]+", re.IGNORECASE)
_URL_BARE = re.compile(
    r"(?<![\w@.\-])(?:[\w\-]+\.)+(?:[a-z]{2,24}|xn--[a-z0-9\-]{2,59})(?::[0-9]{2,5})?(?:/[^\s<>\"'()\[\]{}،]*)?"
    r"(?![\w@\-])",
    re.IGNORECASE,
)
_IPV4 = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{1,3}){3}$")


def registrable_domain(host: str) -> str:
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _script(ch: str) -> str:
    if ch.isascii():
        return "latin" if ch.isalpha() else "common"
    name = unicodedata.name(ch, "")
    for script in ("LATIN", "CYRILLIC", "GREEK", "ARABIC", "ARMENIAN", "HEBREW", "CJK"):
        if name.startswith(script):
            return script.lower()
    return "other"


def _distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance, giving up past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def _host_of(url: str) -> str:
    rest = re.sub(r"^(?:https?|hxxps?)://", "", url, flags=re.IGNORECASE)
    host = re.split(r"[/?#]", rest, maxsplit=1)[0]
    host = host.rsplit("@", 1)[-1]  # http://paypal.com@evil.example/ goes to evil.example
    host = re.sub(r":\d+$", "", host)
    return host.strip(".").lower()


def link_reasons(url: str) -> tuple[str, list[str], dict[str, Any]]:
    """(host, reason codes, extra detail) for one URL; no reasons means nothing suspicious."""
    host = _host_of(url)
    reasons: list[str] = []
    extra: dict[str, Any] = {}
    if "@" in re.sub(r"^(?:https?|hxxps?)://", "", url, flags=re.IGNORECASE).split("/", 1)[0]:
        reasons.append("userinfo")
    if _IPV4.match(host) or host.startswith("["):
        reasons.append("ip_address")
        return host, reasons, extra
    labels = [label for label in host.split(".") if label]
    if not labels:
        return host, reasons, extra
    if any(label.startswith("xn--") for label in labels):
        reasons.append("punycode")
    scripts = {_script(ch) for ch in host if _script(ch) != "common"}
    if not host.isascii():
        reasons.append("mixed_script" if len(scripts) > 1 else "non_ascii")
    domain = registrable_domain(host)
    if domain in SHORTENERS or host in SHORTENERS:
        reasons.append("shortener")
    owned = {d for domains in BRANDS.values() for d in domains}
    official = domain in owned or domain in PROTECTED_DOMAINS or host in PROTECTED_DOMAINS
    if not official:
        base = domain.split(".")[0]
        # Brand names in subdomains or glued into another domain: facebook.com.login-verify.xyz.
        for brand in BRANDS:
            parts = re.split(r"[.\-]", host[: -len(domain)] if host != domain else "")
            if brand in parts or (brand in base and base != brand and len(brand) >= 5):
                reasons.append("brand_in_other_domain")
                extra["brand"] = brand
                break
        # Digit/letter swaps: paypa1.com, faceb00k.com, rn for m.
        unleeted = base.translate(_LEET).replace("rn", "m").replace("vv", "w")
        if unleeted != base and unleeted in BRANDS:
            reasons.append("lookalike")
            extra["imitates"] = next(iter(sorted(BRANDS[unleeted])))
        else:
            # One or two edits away from a protected domain (gov.sa → qov.sa, absher.sa → absber.sa).
            for target in sorted(PROTECTED_DOMAINS):
                limit = 1 if len(target) < 9 else 2
                if domain != target and _distance(domain, target, limit) <= limit:
                    reasons.append("lookalike")
                    extra["imitates"] = target
                    break
            else:
                for brand, domains in BRANDS.items():
                    if len(brand) >= 5 and base != brand and _distance(base, brand, 1) <= 1:
                        reasons.append("lookalike")
                        extra["imitates"] = sorted(domains)[0]
                        break
    return host, reasons, extra


# -- the detector ------------------------------------------------------------------------------


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in taken)


def detect(text: str) -> list[Finding]:
    """Every finding in ``text``, in order of position. ``text[f.start:f.end] == f.text``."""
    text = text[:MAX_TEXT]
    norm = normalize_digits(text)
    assert len(norm) == len(text)
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int, detail: dict[str, Any]) -> None:
        findings.append(Finding(kind=kind, start=start, end=end, text=text[start:end], detail=detail))
        taken.append((start, end))

    def links(pattern: re.Pattern[str]) -> None:
        for m in pattern.finditer(norm):
            start, end = m.span()
            while end > start and norm[end - 1] in ".,;:!?؟":
                end -= 1
            if _overlaps(start, end, taken):
                continue
            host, reasons, extra = link_reasons(norm[start:end])
            if "." not in host and not _IPV4.match(host):
                continue
            if reasons:
                add("suspicious_link", start, end, {"host": host, "reasons": reasons, **extra})
            else:
                taken.append((start, end))  # a fine link: its digits are not a phone number

    # Links with a scheme first (their @ and digits are not e-mails or phones), then e-mails,
    # then bare domains (press.office@… is an e-mail, not the domain press.office).
    links(_URL_SCHEME)
    for m in _EMAIL.finditer(norm):
        if not _overlaps(*m.span(), taken):
            add("email", m.start(), m.end(), {"domain": m.group().rsplit("@", 1)[1].lower()})
    links(_URL_BARE)
    for m in _IBAN.finditer(norm):
        start, end = m.span()
        compact = re.sub(r"[ \-]", "", m.group()).upper()
        # The regex may run into the next word; shrink from the end until it validates.
        while len(compact) > 15 and not iban_valid(compact):
            end -= 1
            while end > start and norm[end - 1] in " -":
                end -= 1
            compact = re.sub(r"[ \-]", "", norm[start:end]).upper()
        if iban_valid(compact) and not _overlaps(start, end, taken):
            add("iban", start, end, {"country": compact[:2]})
    for m in _MOROCCO_CIN.finditer(norm):
        if _has_id_context(norm, m.start()) and not _overlaps(*m.span(), taken):
            add("national_id", m.start(), m.end(), {"country": "MA", "method": "context"})
    for m in _NUMBER_RUN.finditer(norm):
        groups = list(_GROUP.finditer(norm, m.start(), m.end()))
        i = 0
        while i < len(groups):
            for j in range(len(groups) - 1, i - 1, -1):
                start, end = groups[i].start(), groups[j].end()
                raw = norm[start:end]
                digits = re.sub(r"[^0-9]", "", raw)
                if _overlaps(start, end, taken):
                    continue
                countries = _phone_countries(digits, raw.lstrip("(").startswith("+"))
                if countries:
                    add("phone", start, end, {"countries": countries})
                    i = j + 1
                    break
                whole = i == 0 and j == len(groups) - 1  # a number guessed from context must stand alone
                ident = _national_id(digits, norm, start, whole=whole) if "+" not in raw else None
                if ident:
                    add("national_id", start, end, {"country": ident[0], "method": ident[1]})
                    i = j + 1
                    break
            else:
                i += 1
    for lang, phrase, pattern in _SENSITIVE:
        for m in pattern.finditer(norm):
            if not _overlaps(*m.span(), taken):
                add("sensitive", m.start(), m.end(), {"language": lang, "marker": phrase})
    findings.sort(key=lambda f: (f.start, f.end))
    return findings
