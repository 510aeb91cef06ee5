"""The insult lexicon: words that insult a person, obscenities and curses in every supported
language become shared tokens, so what the model learns from one dialect reaches the others."""

import json

import pytest

from aman.classifier.lexicon import LEXICON_VERSION, feature_text, insult_cues
from aman.classifier.model import DEFAULT_MODEL_DIR, Classifier, ModelError
from aman.classifier.normalize import prepare


def cues(text: str) -> list[str]:
    return insult_cues(prepare(text).text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("يا غبي اسكت", ["insult_word", "vocative_insult"]),
        ("ياكلب", ["insult_word", "vocative_insult"]),  # the vocative written onto the word
        ("يالحمار", ["insult_word", "vocative_insult"]),
        ("والحمار واقف", ["insult_word"]),  # a clitic in front, no vocative
        ("انت قليل الأدب", ["insult_word"]),  # a phrase, with a letter variant
        ("يا ابن الحرام", ["vulgar", "vocative_insult"]),
        ("الله يلعنك يا كلب", ["insult_word", "curse", "vocative_insult"]),
        ("الله لايوفقك", ["curse"]),  # a curse alone is not a vocative insult
        ("ya 7mar", ["insult_word", "vocative_insult"]),  # Arabizi
        ("ferme ta gueule connard", ["insult_word", "curse"]),  # French
        ("you are a fucking idiot", ["insult_word", "vulgar"]),  # English
        ("ئەو کەرە", ["insult_word"]),  # Central Kurdish
    ],
)
def test_insults_are_found_in_every_language(text: str, expected: list[str]) -> None:
    assert cues(text) == expected


@pytest.mark.parametrize(
    "text",
    ["صباح الخير يا جماعة", "كلبي نايم", "bonjour à tous", "good morning", "", "يا", "ابن الجيران"],
)
def test_ordinary_texts_get_no_insult_token(text: str) -> None:
    assert cues(text) == []


def test_tokens_are_appended_after_the_text() -> None:
    folded = prepare("يا غبي").text
    with_tokens = feature_text(folded)
    assert with_tokens.startswith(folded + " ")
    assert len(with_tokens.split()) == len(folded.split()) + 2 + 1  # cue group "insult" + 2 insult tokens
    assert all(0xE100 <= ord(t) < 0xE200 for t in with_tokens.split()[len(folded.split()) :])


def test_the_shipped_model_was_trained_with_this_lexicon() -> None:
    meta = json.loads((DEFAULT_MODEL_DIR / "model.json").read_text(encoding="utf-8"))
    assert meta["lexicon"] == LEXICON_VERSION


def test_a_model_trained_with_another_lexicon_is_refused() -> None:
    good = Classifier.load()
    meta = dict(good.meta, lexicon="0" * 16)
    arrays = {
        "post_w": good.post_w, "post_b": good.post_b,
        "hate_type_rows": [], "hate_type_values": [], "hate_type_b": good.hate_type_b,
        "triage_rows": [], "triage_values": [], "triage_b": good.triage_b,
    }  # fmt: skip
    with pytest.raises(ModelError, match="lexicon"):
        Classifier(meta, arrays)  # type: ignore[arg-type]
