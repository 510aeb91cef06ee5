from aman.classifier.normalize import arabizi_to_arabic, detect_language, fold, prepare


def test_diacritics_tatweel_and_letter_variants_are_folded():
    assert fold("أَهْلاً") == fold("اهلا")
    assert fold("مـــرحـبـا") == "مرحبا"
    assert fold("إسلام آمنة") == "اسلام امنه"
    assert fold("مستشفى") == "مستشفي"


def test_elongation_is_collapsed():
    assert fold("هههههههه") == "هه"
    assert fold("looooool") == "lool"
    assert fold("حلوووووو") == "حلوو"


def test_urls_mentions_and_hashtags():
    out = fold("@someone شوف https://example.com/x #اخبار_اليوم")
    assert out.split() == ["user", "شوف", "url", "اخبار", "اليوم"]
    assert fold("RT @USER: مرحبا URL") == "user : مرحبا url"


def test_emoji_are_separate_tokens_without_skin_tone():
    out = fold("حلو😂😂👍🏽")
    assert "👍" in out.split()
    assert "\U0001f3fd" not in out
    assert out.startswith("حلو ")


def test_arabic_indic_digits():
    assert fold("عمري ١٥ سنة") == "عمري 15 سنه"


def test_language_detection():
    assert detect_language("والله لأكسر راسك") == "ar"
    assert detect_language("نامەوێت بژیم، دەمەوێت خۆم بکوژم") == "ckb"
    assert detect_language("wallah 3ayez a3raf enta fen") == "arabizi"
    assert detect_language("Mon compte a été piraté et je ne peux plus me connecter") == "fr"
    assert detect_language("My account was hacked and I cannot log in") == "en"
    assert detect_language("😂😂") == "ar"
    assert detect_language("") == "ar"


def test_arabizi_is_transliterated_for_features():
    assert arabizi_to_arabic("7mar") == "حمر"
    assert arabizi_to_arabic("3andi") == "عندي"
    p = prepare("inta 7mar w kalb")
    assert p.language == "arabizi"
    assert "حمر" in p.text and "7mar" in p.text


def test_explicit_language_wins_and_aliases_are_accepted():
    assert prepare("salut", "fr").language == "fr"
    assert prepare("text", "ar-Latn").language == "arabizi"
    assert prepare("text", "ckb_IQ").language == "ckb"
    assert prepare("text", "xx").language == "en"  # unknown codes fall back to detection


def test_french_accents_are_folded():
    assert prepare("Menacé à l'école", "fr").text == prepare("menace a l'ecole", "fr").text


def test_control_and_bidi_characters_are_removed():
    assert fold("a\u202eb\u200bc\x00d") == "abc d"
