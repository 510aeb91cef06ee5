"""Search for guides: core's Arabic folding (letter variants, diacritics, tatweel, Kurdish letters,
digits, case), Latin accents folded (so "securite" finds "sécurité"), and light stemming with the
Snowball stemmers for Arabic, French and English, so a word finds its other forms: "الحسابات"
finds "حسابك", "comptes" finds "compte", "locking" finds "lock".

A version's ``search_text`` is its folded text followed by the stems of its words; a query word
matches when the text contains the word itself or one of its stems. Kurdish has no stemmer here:
its words go through the Arabic one on both sides, and the word itself still matches as before.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import snowballstemmer

from aman.core.text import normalize_for_search

MIN_STEM = 3
_WORD = re.compile(r"\w+")
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")


def fold(text: str) -> str:
    text = normalize_for_search(text)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


@cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(language)


def _arabic_stem(word: str) -> str:
    """Snowball's Arabic stemmer takes one layer at a time ("حساباتي" -> "حسابات" -> "حساب"), and
    keeps the conjunction before the article ("والاختراق"): strip that, then stem to a fixed point."""
    if word.startswith("وال") and len(word) > 5:
        word = word[1:]
    for _ in range(3):
        stemmed = _stemmer("arabic").stemWord(word)
        if stemmed == word:
            break
        word = stemmed
    return word


@lru_cache(maxsize=50_000)  # bounded: query words come from anyone
def stems(word: str) -> frozenset[str]:
    """The word's stems (folded), for a word already through ``normalize_for_search``."""
    if _ARABIC_SCRIPT.search(word):
        found = {fold(_arabic_stem(word))}
    else:
        found = {fold(_stemmer(language).stemWord(word)) for language in ("french", "english")}
    return frozenset(s for s in found if len(s) >= MIN_STEM and s != fold(word))


def index_text(text: str) -> str:
    """What a guide version is searched in: its folded text, then its words' stems."""
    words = set(_WORD.findall(normalize_for_search(text)))
    found = sorted({stem for word in words for stem in stems(word)})
    return fold(text) + "\n" + " ".join(found)


def query_words(query: str, limit: int = 8) -> list[str]:
    return [w for w in fold(query[:200]).split() if w][:limit]


def query_terms(query: str, limit: int = 8) -> list[list[str]]:
    """Each query word with its stems: a guide matches when, for every word, it contains one of them."""
    terms = []
    for word in normalize_for_search(query[:200]).split()[:limit]:
        alternatives = [fold(word), *sorted(stems(word))]
        alternatives = [a for a in dict.fromkeys(alternatives) if a]
        if alternatives:
            terms.append(alternatives)
    return terms
