from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aman.classifier import CATEGORIES, URGENCIES, load_default
from aman.classifier.normalize import fold, prepare

CLF = load_default()
ALPHABET = st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Z", "C"), exclude_characters="\ud800")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=300))
def test_any_text_is_classified_without_error(text):
    post = CLF.classify_post(text)
    assert all(0.0 <= v <= 1.0 for v in post.scores.values())
    report = CLF.triage_report(text)
    assert report.category in CATEGORIES
    assert report.urgency in URGENCIES


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_fold_is_idempotent_on_its_output(text):
    once = fold(text)
    assert fold(once) == fold(fold(once))
    assert prepare(text).language in ("ar", "ckb", "arabizi", "fr", "en")
