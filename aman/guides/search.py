"""Search folding for guides: core's Arabic folding (letter variants, diacritics, tatweel, Kurdish
letters, digits, case) and, beyond it, Latin accents, so "securite" finds "sécurité"."""

import unicodedata

from aman.core.text import normalize_for_search


def fold(text: str) -> str:
    text = normalize_for_search(text)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def query_words(query: str, limit: int = 8) -> list[str]:
    return [w for w in fold(query[:200]).split() if w][:limit]
