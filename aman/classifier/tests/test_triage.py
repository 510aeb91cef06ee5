from aman.classifier.normalize import prepare
from aman.classifier.triage import CATEGORIES, DEFAULT_URGENCY, reason_for, risk_flags, urgency_for


def flags(text, category="other", p_self_harm=0.0, threat=0.0):
    return risk_flags(prepare(text).text, category, {"self_harm": p_self_harm}, threat)


def test_every_category_has_a_default_urgency():
    assert set(DEFAULT_URGENCY) == set(CATEGORIES)


def test_urgency_rules():
    assert urgency_for("account_compromise", []) == "medium"
    assert urgency_for("account_compromise", ["minor_involved"]) == "high"
    assert urgency_for("sextortion", []) == "high"
    assert urgency_for("sextortion", ["minor_involved"]) == "critical"
    assert urgency_for("sextortion", ["imminent_danger"]) == "critical"
    assert urgency_for("other", ["self_harm"]) == "critical"
    assert urgency_for("child_sexual_exploitation", []) == "critical"
    assert urgency_for("malicious_reporting", []) == "low"


def test_minor_cues_across_languages():
    assert "minor_involved" in flags("بنتي عمرها 14 سنة")
    assert "minor_involved" in flags("ابني عنده ١٢ سنة")
    assert "minor_involved" in flags("My 15 year old son")
    assert "minor_involved" in flags("ma fille de 13 ans")
    assert "minor_involved" in flags("کچەکەم تەمەنی ١٤ ساڵە")
    assert "minor_involved" not in flags("عمري 25 سنة")
    assert "minor_involved" not in flags("I am 30 years old")


def test_deadline_raises_imminent_danger_only_for_urgent_categories():
    assert "imminent_danger" in flags("ينشر صوري الليلة", "sextortion")
    assert "imminent_danger" in flags("he will post them tonight", "sextortion")
    assert "imminent_danger" not in flags("great match tonight", "other")
    assert "imminent_danger" not in flags("حسابي انسرق اليوم", "account_compromise")


def test_self_harm_flag_and_awareness_texts():
    assert "self_harm" in flags("ابي اموت وخلاص", "self_harm", 0.7)
    assert "self_harm" in flags("I want to kill myself", "other", 0.3)
    assert "self_harm" not in flags("اليوم العالمي لمنع الانتحار", "other", 0.3)
    assert "self_harm" not in flags("How can I help a friend who talks about suicide", "other", 0.3)


def test_reason_lists_flags():
    codes, text = reason_for("sextortion", 0.8, ["minor_involved"], uncertain=False)
    assert codes == ["category", "minor_involved"]
    assert "sextortion" in text and "80%" in text


def test_now_words_count_only_for_violence_and_self_harm():
    assert "imminent_danger" not in flags("ils m'ont enregistré et maintenant ils demandent de l'argent", "sextortion")
    assert "imminent_danger" not in flags("وسجلوني والحين يبتزوني", "sextortion")
    assert "imminent_danger" in flags("he is outside my house right now", "threat_violence")
    assert "imminent_danger" in flags("جاي يموتني دلوقتي", "threat_violence")
    assert "minor_involved" in flags("رجل بالغ يستدرج طفلا في التاسعة")
