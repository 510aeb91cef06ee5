"""Split rules on the shared corpora; skipped when ../shared/data/arabic-harm is absent."""

import pytest

from aman.classifier.training.corpora import read_corpora, split_of, text_key, training_rows, validation_rows
from aman.classifier.training.paths import DEFAULT_DATA_DIR

needs_corpora = pytest.mark.skipif(not DEFAULT_DATA_DIR.is_dir(), reason=f"corpora not found in {DEFAULT_DATA_DIR}")


def test_split_rule_is_deterministic():
    assert split_of("abc") == split_of("abc")
    assert {split_of(str(i)) for i in range(200)} == {"train", "validation", "test"}


def test_text_key_ignores_placeholders_and_punctuation():
    assert text_key("@someone يا حمار!! https://t.co/x") == text_key("USER يا حمار URL")


@pytest.fixture(scope="module")
def rows():
    return read_corpora(DEFAULT_DATA_DIR)


@needs_corpora
def test_no_held_out_text_reaches_training(rows):
    held = {text_key(r.text) for r in rows if r.split in ("test", "dev")}
    train = training_rows(rows)
    val = validation_rows(rows)
    assert train and val
    assert not held & {text_key(r.text) for r in train}
    assert not held & {text_key(r.text) for r in val}


@needs_corpora
def test_official_dev_sets_are_evaluation_only(rows):
    dev = [r for r in rows if r.source in ("osact2020_dev", "osact2022_dev")]
    assert dev and all(r.split == "dev" for r in dev)


@needs_corpora
def test_training_rows_are_deduplicated(rows):
    keys = [text_key(r.text) for r in training_rows(rows)]
    assert len(keys) == len(set(keys))
