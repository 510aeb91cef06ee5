"""The project's own examples: well-formed, covering every variety, category and hard negatives."""

from collections import Counter

from aman.classifier.training.corpora import read_examples
from aman.classifier.training.paths import EXAMPLES_DIR
from aman.classifier.triage import CATEGORIES

VARIETIES = {"iraqi", "gulf", "levantine", "egyptian", "maghrebi", "msa", "arabizi", "french", "kurdish", "english"}


def test_examples_parse_and_cover_every_variety_and_category():
    rows = read_examples(EXAMPLES_DIR)
    assert {r.dialect for r in rows} == VARIETIES
    assert {r.category for r in rows} == set(CATEGORIES)
    kinds = Counter((r.dialect, r.kind) for r in rows)
    for v in VARIETIES:
        assert kinds[(v, "report")] >= 15, v
        assert kinds[(v, "neg")] >= 4, v
        assert kinds[(v, "post")] >= 4, v


def test_examples_are_unique():
    rows = read_examples(EXAMPLES_DIR)
    texts = Counter(r.text for r in rows)
    assert [t for t, n in texts.items() if n > 1] == []


def test_detected_language_matches_the_file():
    from aman.classifier.normalize import detect_language

    expected = {"arabizi": "arabizi", "french": "fr", "kurdish": "ckb", "english": "en"}
    rows = read_examples(EXAMPLES_DIR)
    wrong = [r.id for r in rows if detect_language(r.text) != expected.get(r.dialect, "ar")]
    # A few short mixed lines may be misread; most must be right.
    assert len(wrong) <= len(rows) * 0.03, wrong


def test_hard_negatives_have_no_post_labels():
    for r in read_examples(EXAMPLES_DIR):
        if r.kind == "neg":
            assert not any(r.labels.values()), r.id
            assert r.category == "other", r.id
