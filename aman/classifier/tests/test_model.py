"""Tests of the shipped model. They need only the files in aman/classifier/model, not the corpora."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from aman.classifier import (
    CATEGORIES,
    FLAGS,
    POST_LABELS,
    URGENCIES,
    Classifier,
    ModelError,
    PostResult,
    TriageResult,
    load_default,
)
from aman.classifier.model import DEFAULT_MODEL_DIR

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return load_default()


def test_model_files_are_safe_and_small():
    files = {p.name for p in DEFAULT_MODEL_DIR.iterdir()}
    assert {"weights.npz", "model.json"} <= files
    assert not [f for f in files if f.endswith((".pkl", ".pickle", ".joblib"))]
    total = sum(p.stat().st_size for p in DEFAULT_MODEL_DIR.iterdir() if p.is_file())
    assert total <= 50 * 1024 * 1024
    with np.load(DEFAULT_MODEL_DIR / "weights.npz", allow_pickle=False) as npz:
        for name in npz.files:
            assert npz[name].dtype != object


def test_library_imports_neither_django_nor_sklearn():
    code = (
        "import sys; import aman.classifier as c; c.load_default().triage_report('test');"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('django', 'sklearn', 'scipy', 'pickle')];"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    # numpy itself may import pickle; what matters is that no model is unpickled (allow_pickle=False)
    assert [m for m in json.loads(out.stdout.replace("'", '"')) if m != "pickle"] == []


def test_load_default_is_cached(clf):
    assert load_default() is clf


def test_missing_model_dir_raises_model_error(tmp_path):
    with pytest.raises(ModelError):
        Classifier.load(tmp_path)


def test_other_format_version_is_refused():
    meta = json.loads((DEFAULT_MODEL_DIR / "model.json").read_text(encoding="utf-8"))
    meta["format_version"] = 999
    with pytest.raises(ModelError):
        Classifier(meta, {})


def test_classify_post_shape(clf):
    r = clf.classify_post("صباح الخير يا جماعة")
    assert isinstance(r, PostResult)
    assert set(r.scores) == set(POST_LABELS)
    assert all(0.0 <= v <= 1.0 for v in r.scores.values())
    assert set(r.labels) <= set(POST_LABELS)
    assert r.harmful == bool(r.labels)
    json.dumps(r.to_dict(), ensure_ascii=False)


def test_triage_report_shape(clf):
    t = clf.triage_report("حسابي انسرق وما اگدر ارجعه")
    assert isinstance(t, TriageResult)
    assert t.category in CATEGORIES
    assert t.urgency in URGENCIES
    assert set(t.flags) <= set(FLAGS)
    assert abs(sum(t.category_scores.values()) - 1.0) < 1e-3
    assert t.reason and t.reason_codes[0] == "category"
    json.dumps(t.to_dict(), ensure_ascii=False)


def test_batch_equals_single(clf):
    texts = ["انت حمار", "Mon compte a été piraté", "ابي اموت", "", "hello 😂😂"]
    batch = clf.classify_posts(texts)
    for text, b in zip(texts, batch, strict=True):
        assert clf.classify_post(text) == b


def test_empty_and_odd_inputs_do_not_crash(clf):
    for text in ["", " ", "😂", "\u202e\u200b", "a" * 5000, "١٢٣", "<script>alert(1)</script>"]:
        clf.classify_post(text)
        clf.triage_report(text)


def test_scores_order_clear_insult_above_greeting(clf):
    insult = clf.classify_post("يا حيوان يا حقير يا ابن الكلب")
    greeting = clf.classify_post("صباح الخير يا اصدقائي، يوم سعيد للجميع")
    assert insult.scores["offensive"] > greeting.scores["offensive"]
    assert "offensive" in insult.labels
    assert not greeting.harmful


def test_threat_scores_higher_than_banter(clf):
    threat = clf.classify_post("والله اذا شفتك راح اذبحك واحرق بيتك")
    banter = clf.classify_post("هههه وحشتني يا صاحبي، متى نشوفك؟")
    assert threat.scores["threat"] > banter.scores["threat"]


def test_triage_sextortion_report_with_minor_and_deadline(clf):
    t = clf.triage_report("بنتي عمرها ١٣ سنة، واحد يهددها ينشر صورها الخاصة اذا ما دفعت فلوس الليلة")
    assert t.category == "sextortion"
    assert "minor_involved" in t.flags
    assert "imminent_danger" in t.flags
    assert t.urgency == "critical"


def test_triage_self_harm_is_critical(clf):
    t = clf.triage_report("I can't go on anymore, I want to kill myself tonight")
    assert "self_harm" in t.flags
    assert t.urgency == "critical"


def test_triage_account_compromise_in_french(clf):
    t = clf.triage_report("Mon compte Facebook a été piraté, le pirate a changé mon mot de passe")
    assert t.language == "fr"
    assert t.category == "account_compromise"
    assert t.urgency == "medium"


def test_language_parameter_is_reported(clf):
    assert clf.classify_post("inta 7mar").language == "arabizi"
    assert clf.classify_post("anything", language="ckb").language == "ckb"


def test_classify_record_matches_cli_schema(clf):
    rec = clf.classify("يا كلب")
    assert set(rec) >= {"scores", "labels", "harmful", "category", "urgency", "flags"}


def test_hate_text_gets_a_target_type(clf):
    r = clf.classify_post("اليهود والنصارى كلاب ولازم نطردهم من بلادنا كلهم")
    assert "hate" in r.labels
    assert r.hate_type == "religion"


def test_model_card_has_current_figures():
    card = (DEFAULT_MODEL_DIR.parent / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "(run `make eval`)" not in card
    assert "osact2020_dev (dev)" in card
    metrics = json.loads((DEFAULT_MODEL_DIR / "metrics.json").read_text(encoding="utf-8"))
    meta = json.loads((DEFAULT_MODEL_DIR / "model.json").read_text(encoding="utf-8"))
    assert metrics["model_version"] == meta["version"]
