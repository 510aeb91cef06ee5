"""Multilingual cue lists turned into shared feature tokens. No Django import.

The n-gram features of a Kurdish or French report have almost nothing in common with those of an
Egyptian one, and the project's own examples are few per language. So each text also gets one
token per *cue group* it matches (``threat``, ``intimate``..., each written as one private-use
character). The groups list the
same idea in every supported language; the linear heads learn one weight per group, which
carries what is learned in one language over to the others.

Phrases are folded with the same normaliser as the texts, so letter variants need not be listed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from aman.classifier.normalize import fold


def _variants(phrase: str) -> set[str]:
    """A phrase folded like the texts, with and without combining marks."""
    f = fold(phrase)
    return {f, "".join(c for c in unicodedata.normalize("NFD", f) if not unicodedata.combining(c))}


def _folded_set(phrases: str) -> frozenset[str]:
    """Every phrase of a ``|``-separated list, folded (see ``_variants``)."""
    return frozenset(v for phrase in phrases.split("|") if phrase.strip() for v in _variants(phrase))


def cues(phrases: str) -> re.Pattern[str]:
    """A regex over folded text from phrases separated by ``|`` (each phrase folded too)."""
    ordered = sorted(_folded_set(phrases), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in ordered) + r")(?!\w)")


GROUPS: dict[str, str] = {
    "threat": (
        "يهدد|يهددني|يهددها|يهدده|يهددوني|تهديد|هددني|هدد|بيهددني|بيهددها|كيهددني|كيهددها|عم يهددني|عم يهددها|ديهددني|"
        "menace|menacé|menaces|menacer|threat|threats|threatens|threatened|threatening|هەڕەشە|هەڕەشەی|"
        "yhadded|yhaddedha|byhadedni|kayhded|ythadded"
    ),
    "kill_hurt": (
        "اقتلك|اقتله|يقتلني|يقتلني|يموتني|اذبحك|اذبحچ|بيذبحني|بذبحك|لأدبحك|ادبحك|لأكسر|بكسر|اكسر راسك|يكسرلي|"
        "نهرس|اقطعك|هقطعك|سأقتلك|يضربني|ويضربني|نحرق|بحرق|سنحرق|نحرقلك|غادي يقتلني|دەمکوژێت|دەتکوژم|کوشتن|کوشتنم|"
        "tuer|te tuer|me tuer|casser la gueule|brûler|kill you|kill me|break your|beat you|burn your|"
        "la2tlak|y9tlni|ndbe7ek|7ay2tolni|nkasrek"
    ),
    "publish": (
        "انشر|انشرها|ينشر|ينشرها|ينشرهم|بنشر|بينشرها|هينزلها|هنزل|بنزل|ننشر|نشر|نشرو|نشروا|نزل|نزلوا|حط|بلاو|ينزل|"
        "publier|diffuser|balance|balancer|publié|post them|share your|send it to|posted|shared|leak|"
        "بڵاو دەکاتەوە|بڵاوکردەوە|بڵاو دەکەمەوە|بڵاو کردەوە|nsharon|bnshor|ynsharhom|nshar|nashro"
    ),
    "intimate": (
        "صور|صوري|صورچ|صورك|صورها|صوره|تصاور|تصاوري|تصاورك|مقطع|المقاطع|فيديو|الفيديوات|فيديوهات|صور خاصة|الصور الخاصة|"
        "بدون هدوم|من غير هدوم|بلا حوايج|عريان|عارية|عاريه|بلا حجاب|بدون حجاب|من غير حجاب|حميمة|جسمك|جسمچ|"
        "photos|photo|vidéo|video|intimes|intime|nue|nu|nudes|nude|pictures|pics|private pictures|"
        "وێنە|وێنەی|وێنەکانم|وێنەکانت|ڤیدیۆی|ڕووت|ڕووتی|sowari|sowarek|tswer|tswira|sowar|bala 7dom"
    ),
    "money": (
        "فلوس|مصاري|مال|المال|ريال|دولار|جنيه|يورو|حول|حولتي|تحويل|ادفع|دفعت|payer|pay|money|argent|euros|"
        "پارە|پارەی|flous|masari|lflous"
    ),
    "hacked": (
        "تهكر|مهكر|انهكر|اتهكر|هكر|الهكر|اختراق|اخترق|مخترق|تم اختراق|انسرق|اتسرق|تسرق|سرق|سرقوا|استولى|"
        "piraté|pirate|hacked|hacker|hack|took over|sim swap|هاک|t7acka|enhacked|hacka"
    ),
    "credentials": (
        "الباسورد|الباسوورد|كلمة المرور|كلمة السر|المودباس|الرمز|كود|الكود|رقم الاسترداد|الايميل|الإيميل|الشريحة|"
        "mot de passe|code|sms|password|email|وشەی نهێنی|کۆدی|کۆد"
    ),
    "account": (
        "حسابي|الحساب|حساب|الأكونت|اكونت|أكونت|صفحة|صفحه|بروفايل|compte|profil|page|account|profile|"
        "ئەکاونتی|ئەکاونتێکی|ئەکاونتەکەم|پەیجێک|7assabi|compte"
    ),
    "fake": (
        "وهمي|فيك|مزيف|مزيفا|منتحل|باسمي|باسم|عاملة حالها|عاملة نفسها|سميتي|faux|fausse|fake|using my name|"
        "ساختە|ساختەی|3amla 7alha"
    ),
    "insult": (
        "سب|شتم|شتائم|شتايم|مسبات|يسبني|كيسبني|سبني|حمار|كلب|چلب|حيوان|متخلف|تافه|غبي|حقير|وسخ|"
        "insultes|insulte|connard|raté|insults|idiot|worthless|جنێو|گەمژە|7mar|kalb|wes5"
    ),
    "bullying": (
        "يتنمرون|تنمر|التنمر|يتمسخرو|مسخرة|تريقة|ميمز|يضحكون|تعليقات تضحك|harcelée|harcelé|harcèlement|bully|bullying|"
        "bullied|گاڵتە|گاڵتەی"
    ),
    "group": (
        "الشيعة|السنة|المسيحيين|اليهود|اللاجئين|السوريين|الأفارقة|السود|الطائفة|طائفة|الجنسية|هالجنسية|دين|الدين|الستات|النساء|"
        "migrants|réfugiés|religion|noirs|refugees|immigrants|ئێزیدییەکان|نەتەوەیەک|africains"
    ),
    "self_harm": (
        "انتحر|انتحار|تنتحر|هينتحر|اقتل نفسي|اقتل حالي|اموت|أموت|نموت|اخلص من حياتي|انهاء حياتي|تنهي حياتها|"
        "تجرح نفسها|ما اريد اعيش|ما بدي عيش|ما بقى بدي عيش|تقتل روحها|حبوب|"
        "suicide|suicider|en finir|plus envie de vivre|"
        "want to die|end her life|end my life|kill myself|خۆم بکوژم|نامەوێت بژیم|کۆتایی بە ژیانی|bade mout|nmout"
    ),
    "scam": (
        "ربحت|كسبت|جائزة|جايزة|مسابقة|استثمار|استثمر|بالاستثمار|رسوم|اشتراك|نصاب|احتيال|خيرية|وظيفة|ايفون|"
        "gagné|frais|offre d'emploi|won|prize|investment|giveaway|خەڵات|rbe7t"
    ),
    "bank": ("البطاقة|بطاقة|الفيزا|البنك|بنك|بياناتي|البنكية|carte|card number|card|bank|کارتی بانکی|ra9m l carte"),
    "address": (
        "عنواني|عنوان|العنوان|رقم تلفوني|رقم تليفوني|رقم جوالي|رقم التيليفون|هويتي|بياناتي الشخصية|سكني|وين ساكنة|"
        "adresse|numéro de téléphone|address|phone number|ناونیشانی|ژمارەی مۆبایل|ra9mi|3enwan"
    ),
    "mass_report": (
        "ريبورت|ريبورتات|بلاغات|تبليغات|يبلغون|بلاغات كاذبة|ينسد|يسكروها|تتسد|لإغلاقها|signalée en masse|"
        "mass reporting|mass report|gets banned|ڕیپۆرتی|dabkhrit"
    ),
    "gore": ("ذبح|دبح|دم|الدم|تعذيب|قتل|مروعة|عنف|exécutions|exécution|beheading|gore|torture"),
    "child": (
        "طفل|اطفال|أطفال|لأطفال|قاصر|ابني|بنتي|ابنتي|ولدي|ولدي|enfant|enfants|mon fils|ma fille|child|children|"
        "my son|my daughter|kid|کوڕەکەم|کچەکەم|منداڵ|ebni|binti"
    ),
    "sexual_request": (
        "تفتح الكاميرا|يحيد حوايجو|صور من غير هدوم|وهو عريان|نتقابل|تعالي|تعي لعندي|للخاص|بدي ياكي|نتفاهمو على جسمك|"
        "turn on the camera|touch you|send me nudes|envoie-moi|viens chez moi|m'occuper de ton corps|"
        "ajiw 3andi|ab3atili"
    ),
    "question": (
        "كيف|كيفاش|ازاي|شلون|شو|شنو|وش|ما هي|ما الفرق|هل|واش|هو أنا ممكن|comment|est-ce que|c'est quoi|how|can i|"
        "what|چۆن|چییە|دەتوانم|kifesh|shu|chno"
    ),
    "news_counter": (
        "الشرطة|البوليس|الداخلية|القبض|قبضت|شدو|لزموا|انمسك|خبر|بالاخبار|الاخبار|عنصري|العنصري|كراهية|كفى|جريمة|"
        "لا تتنمرون|متتنمرش|police|arrêté|racisme|arrested|racist|پۆلیس|l akhbar|chadou"
    ),
    "deadline": (
        "الليلة|اليوم|النهارده|بكرة|بكرا|غدا|باچر|خلال 24 ساعة|الحين|دلوقتي|هلق|هسه|دابا|الآن|"
        "ce soir|cette nuit|demain|"
        "avant|tonight|tomorrow|ئەمشەو|lyom|lyoum"
    ),
    "laugh": ("هههه|ههه|هه|haha|hahaha|lol|mdr|هاهاها|😂|🤣"),
}


# Insult words, written by the project (never taken from a corpus). A word seen once in training
# teaches the model little; a group token carries what all insults have in common to the insults
# the corpora never show, in every dialect and language. ``INSULTS`` holds words that insult a
# person (some also have a neutral sense: "dog", "donkey"), ``VULGAR`` sexual and obscene insults
# that have none. Both match with one clitic in front (و ف ب ك ل ال يا) and give a third token, the
# vocative insult ("يا غبي", "ya 7mar"), the commonest shape of a personal attack in these corpora.
INSULTS = (
    "كلب|كلاب|چلب|چلاب|جلب|حمار|حماره|حمير|حمارة|جحش|بغل|بهيم|بهايم|بهيمه|حيوان|حيوانه|حيوانات|خنزير|خنازير|"
    "قرد|قرود|قرده|تيس|ثور|بقره|دب|زباله|زبالة|مطي|زمال|كلخ|بوزبال|حلوف|بغله|جحاش|"
    "غبي|غبيه|اغبياء|اغبي|اهبل|هبله|هبل|عبيط|عبيطه|اهطل|هطله|متخلف|متخلفه|متخلفين|جاهل|جاهله|جهله|تافه|تافهه|"
    "تافهين|سخيف|سخيفه|احمق|حمقاء|حمقي|مغفل|مغفله|ابله|بليد|غشيم|دلخ|ثول|مسطول|مهبول|مهبوله|بهلول|مخبول|"
    "معتوه|مريض نفسي|فاشل|فاشله|فاشلين|خايب|خايبه|حقير|حقيره|حقراء|وسخ|وسخه|اوساخ|قذر|قذره|نجس|نجسه|"
    "واطي|واطيه|منحط|منحطه|ساقط|ساقطه|سافل|سافله|سفله|وضيع|خاين|خاينه|خونه|خائن|عميل|عملاء|كذاب|كذابه|"
    "كذابين|منافق|منافقه|منافقين|نصاب|حرامي|حراميه|جبان|جبانه|جبناء|رخيص|رخيصه|وقح|وقحه|قليل الادب|"
    "قليلة الادب|قليل الحيا|قليل الحياء|عديم الشرف|عديم الاخلاق|بلا شرف|بلا اخلاق|زفت|مرتزق|مرتزقه|"
    "بوق|ابواق|لقيط|لقيطه|قزم|اقزام|تخين|مكلبظ|قبيح|قبيحه|بشع|بشعه|عاله|طرطور|صايع|صايعه|هلفوت|بلطجي|"
    "نكره|حشره|حشرات|جرثومه|صرصور|دنيء|دنيئه|انذال|نذل|نذله|خسيس|لئيم|"
    "hmar|7mar|7mara|7mir|kalb|klab|chalb|ghabi|gha6i|ghbi|ahbal|hbil|mahbol|mahboul|7aywan|hayawan|"
    "7a9ir|haqir|wes5|wsakh|mtkhalef|metkhalef|zbel|zebla|bouzebal|7allouf|9rd|tafeh|"
    "idiot|idiote|imbécile|imbecile|crétin|cretin|débile|debile|abruti|abrutie|con|conne|connard|connasse|"
    "minable|bouffon|bouffonne|ordure|raclure|cafard|porc|chien|chienne|"
    "stupid|moron|morons|dumb|dumbass|loser|losers|retard|retarded|scum|trash|pig|pigs|dog|clown|"
    "imbecile|jerk|creep|freak|worthless|pathetic|"
    "کەر|کەرە|سەگ|سەگە|گەمژە|گێل|گێلە|بێشەرەف|بێ شەرەف|درۆزن|ناحەز|گوو|پیس|بەدبەخت|نەزان|بێ ئەدەب"
)
VULGAR = (
    "شرموط|شرموطه|شراميط|عاهر|عاهره|عاهرات|قحبه|قحاب|قحبة|منيوك|منيوكه|مناييك|متناك|متناكه|خول|خولات|علق|علوق|"
    "معرص|معرصين|عرص|ديوث|قواد|قواده|لوطي|زاني|زانيه|نغل|ابن الحرام|ولد الحرام|بنت الحرام|ابن الكلب|بنت الكلب|"
    "ولد الكلب|ابن القحبه|ولد القحبه|ابن الشرموطه|ابن المتناكه|كس امك|كسمك|كس اختك|كس|طيز|زب|زبي|نيك|انيك|"
    "نيكك|عير|عيري|زامل|زوامل|مخنث|منيوكين|فاجر|فاجره|عاهرة|"
    "sharmouta|sharmota|charmouta|9a7ba|qa7ba|kahba|kahbaa|zamel|zebi|zbi|nik|nayek|kos|kosomak|kousoumak|"
    "metnak|khawal|5awal|a7a|"
    "salope|pute|putain|enculé|encule|enculée|batard|bâtard|fils de pute|nique|niquer|ntm|ta mère|pd|pédé|"
    "bitch|bitches|slut|whore|bastard|asshole|fuck|fucking|fucker|motherfucker|dick|cunt|prick|"
    "قەحپە|حیز|بێناموس|بێ ناموس|گاندراو"
)


def _phrase_index() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    """One alternation over every phrase of every group (one regex pass per text)."""
    owners: dict[str, list[str]] = {}
    for name, phrases in GROUPS.items():
        for phrase in phrases.split("|"):
            if not phrase.strip():
                continue
            for variant in _variants(phrase):
                groups = owners.setdefault(variant, [])
                if name not in groups:
                    groups.append(name)
    ordered = sorted(owners, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in ordered) + r")(?!\w)")
    return pattern, {k: tuple(v) for k, v in owners.items()}


_ALL, _OWNERS = _phrase_index()
_ORDER = {name: i for i, name in enumerate(GROUPS)}


def cue_groups(folded: str) -> list[str]:
    """The cue groups a folded text matches, in the order of GROUPS."""
    found: set[str] = set()
    for m in _ALL.finditer(folded):
        found.update(_OWNERS[m.group(0)])
    return sorted(found, key=_ORDER.__getitem__)


CURSES = (
    "يلعن|يلعنك|يلعنه|يلعنها|يلعنكم|الله يلعنك|الله يلعنه|الله يلعنكم|لعنه الله|لعنة الله|لعنك الله|ملعون|ملعونه|"
    "يلعن ابوك|يلعن ابوه|يلعن امك|يلعن دينك|يلعن شكلك|الله ياخذك|الله ياخذه|الله ياخذكم|الله لا يوفقك|الله لايوفقك|"
    "الله لا يسامحك|الله لايسامحك|الله ينتقم منك|الله ينتقم|يخرب بيتك|يخرب بيتكم|تفو|تف عليك|تبا لك|تبا لكم|قبحك الله|"
    "قبحهم الله|قاتلك الله|قاتلهم الله|الله يقطعك|الله يحرقك|عساك|عسى الله ياخذك|انقلع|انقلعي|انطم|انطمي|اخرس|اخرسي|"
    "انكتم|سد بوزك|سكر بوزك|سد فمك|اسكت يا|حسبي الله عليك|حسبي الله فيك|الله يهينك|روح تنيل|في داهيه|"
    "nal3an|yel3an|yl3n|t3ala|tfou|inchallah tmout|"
    "va te faire|ta gueule|ferme ta gueule|ferme la|va crever|crève|creve|"
    "go to hell|shut up|fuck off|screw you|damn you|"
    "نەفرەتت لێ بێت|بمری|بێدەنگبە"
)
_CLITICS = ("وال", "بال", "فال", "يال", "ال", "يا", "و", "ف", "ب", "ك", "ل", "ya", "wa", "el")
_VOCATIVES = frozenset(("يا", "ya", "yaa", "ia", "ay"))


_KINDS = ("insult_word", "vulgar", "curse")


def _lookup() -> tuple[dict[str, tuple[int, bool]], dict[str, list[tuple[tuple[str, ...], int, bool]]]]:
    """Every listed form with each clitic in front -> (kinds as bits of ``_KINDS``, vocative
    clitic); phrases by their first word (with its clitics) -> the words that must follow."""
    words: dict[str, tuple[int, bool]] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], int, bool]]] = {}
    for bit, listed in enumerate((INSULTS, VULGAR, CURSES)):
        for entry in sorted(_folded_set(listed)):
            head, *rest = entry.split()
            for clitic in ("", *_CLITICS):
                form = clitic + head
                vocative = clitic in ("يا", "يال", "ya")
                if rest:
                    phrases.setdefault(form, []).append((tuple(rest), 1 << bit, vocative))
                else:
                    kinds, was_vocative = words.get(form, (0, False))
                    words[form] = (kinds | 1 << bit, was_vocative or vocative)
    return words, phrases


_WORDS, _PHRASES = _lookup()
_KEYS = frozenset(_WORDS) | frozenset(_PHRASES)


def insult_cues(folded: str) -> list[str]:
    """``insult_word``, ``vulgar``, ``curse`` and ``vocative_insult`` for a folded text.

    One set intersection for the whole text, then dictionary lookups for the few words that hit:
    a few microseconds per text, so the classifier keeps its speed."""
    words = folded.split()
    if _KEYS.isdisjoint(words):
        return []
    kinds, vocative = 0, False
    for i, word in enumerate(words):
        if word not in _KEYS:
            continue
        hits = [_WORDS[word]] if word in _WORDS else []
        for rest, bits, by_clitic in _PHRASES.get(word, ()):
            if tuple(words[i + 1 : i + 1 + len(rest)]) == rest:
                hits.append((bits, by_clitic))
        for bits, by_clitic in hits:
            kinds |= bits
            if bits & 3:  # an insult or a vulgar word, not a curse, after "يا"
                vocative = vocative or by_clitic or (i > 0 and words[i - 1] in _VOCATIVES)
    found = [name for bit, name in enumerate(_KINDS) if kinds & 1 << bit]
    if vocative:
        found.append("vocative_insult")
    return found


# One private-use character per group: its n-grams cannot collide with real text, and two
# adjacent group tokens form a pair n-gram (threat next to intimate images, say).
_TOKENS = {name: chr(0xE100 + i) for i, name in enumerate(GROUPS)}
_TOKENS.update({name: chr(0xE180 + i) for i, name in enumerate((*_KINDS, "vocative_insult"))})


def feature_text(folded: str) -> str:
    """The string the hasher sees: the folded text plus one token per matched cue group."""
    groups = cue_groups(folded) + insult_cues(folded)
    if not groups:
        return folded
    return folded + " " + " ".join(_TOKENS[name] for name in groups)


# Changes with any list above: the weights were trained on these tokens, so a model trained with
# another lexicon is refused at load (``ModelError``) instead of scoring with the wrong features.
LEXICON_VERSION = hashlib.sha256(
    "\x00".join([*GROUPS, *GROUPS.values(), INSULTS, VULGAR, CURSES, *_CLITICS, *sorted(_VOCATIVES)]).encode()
).hexdigest()[:16]
