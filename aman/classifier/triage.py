"""Helpline triage rules on top of the category model: risk flags, urgency and a short reason.

The category comes from the linear model; the flags come from the model's self-harm probability
and from small multilingual cue lists below (ages, family words, deadlines). The rules are data
so they can be read and reviewed in one place. Everything here is a *suggestion* for the agent.
"""

from __future__ import annotations

import re

from aman.classifier.lexicon import cues

CATEGORIES = (
    "sextortion",
    "ncii",
    "child_sexual_exploitation",
    "account_compromise",
    "impersonation",
    "harassment_bullying",
    "hate_speech",
    "threat_violence",
    "self_harm",
    "scam_fraud",
    "privacy_doxxing",
    "malicious_reporting",
    "harmful_content",
    "other",
)
URGENCIES = ("low", "medium", "high", "critical")
FLAGS = ("self_harm", "minor_involved", "imminent_danger")

DEFAULT_URGENCY = {
    "sextortion": "high",
    "ncii": "high",
    "child_sexual_exploitation": "critical",
    "account_compromise": "medium",
    "impersonation": "medium",
    "harassment_bullying": "medium",
    "hate_speech": "medium",
    "threat_violence": "high",
    "self_harm": "critical",
    "scam_fraud": "medium",
    "privacy_doxxing": "high",
    "malicious_reporting": "low",
    "harmful_content": "low",
    "other": "low",
}


# Cues are matched on the folded text (see normalize.fold): letter variants merged, lower case,
# punctuation separated. Each list is multilingual: Arabic dialects, Kurdish, French, English, Arabizi.
_MINOR_AGE = re.compile(
    r"(?<!\d)(?:[4-9]|1[0-7])\s*(?:سنه|سنين|سنوات|عام|اعوام|ساڵ|سال|ans|an|years?|yo|yrs?|sana|3am|ans)(?!\w)"
    r"|(?:عمر\w*|بعمر|سن\w*|تبلغ من العمر|age|agee|âgée?|tەمەنی|تهمهني|3omr\w*)\s*(?:[4-9]|1[0-7])(?!\d)",
    re.IGNORECASE,
)
_MINOR_CUES = cues(
    "طفل|طفلة|طفلا|طفلاً|اطفال|أطفال|لأطفال|قاصر|قاصرة|قاصرين|بنتي|ابنتي|ابني|ولدي|"
    "بنت اختي|ابن اختي|تلميذ|تلميذة|تلاميذ|طالبات|"
    "بالمتوسطة|بالإعدادي|في إعدادي|بالابتدائي|بالمدرسة|مراهق|مراهقة|بنيتي|وليدي|أختي الصغيرة|اخوي الصغير|"
    "منداڵ|مندال|کچەکەم|کوڕەکەم|قوتابی|قوتابییەکانی|"
    "enfant|enfants|mineur|mineure|ma fille|mon fils|collégien|collégienne|élève|élèves|ado|adolescent|adolescente|"
    "child|children|kid|kids|minor|my daughter|my son|teenager|teenagers|teen|schoolgirl|schoolboy|after school|"
    "binti|bnti|ebni|ibni|weldi|wldi|sghira"
)
_DEADLINE_CUES = cues(
    "الليلة|الليله|اليوم|النهارده|بكرة|بكره|بكرا|لبكرا|غدا|غدوة|باجر|باچر|قبل بكرة|خلال 24 ساعة|خلال ساعة|خلال ساعتين|"
    "24 ساعة|قبل الصبح|الصبح|هاي الليلة|ساعة وحدة|خلال يوم|"
    "ئەمشەو|سبەینێ|ئەمڕۆ|لە ماوەی یەک کاتژمێردا|"
    "ce soir|cette nuit|demain|aujourd'hui|avant minuit|dans une heure|24h|24 h|"
    "tonight|tomorrow|today|by midnight|within 24 hours|in one hour|in an hour|24 hours|24h|"
    "lyoum|lyouma|lyom|ghedwa|ghodwa|bokra|bukra|lila|el lila"
)
# "Now" words say little in a sextortion story ("and now they want money"); they count only
# when someone threatens violence or self-harm.
_NOW_CUES = cues(
    "هلق|هسه|هسع|دلوقتي|توا|دابا|الحين|الآن|حالا|فورا|ئێستا|"
    "maintenant|tout de suite|en ce moment|right now|now|daba|tawa"
)
_SELF_HARM_CUES = cues(
    "انتحر|انتحار|هنتحر|هينتحر|راح تنتحر|راح انتحر|انتحاري|اقتل نفسي|اقتل حالي|اموت نفسي|أنهي حياتي|إنهاء حياتي|"
    "تنهي حياتها|ينهي حياته|اذي نفسي|اجرح نفسي|تجرح نفسها|يجرح نفسه|ما بدي عيش|بدي موت|ابي اموت|ابغى اموت|"
    "عايز اموت|عايزة أموت|عاوز اموت|نفسي اموت|بغيت نموت|نبغي نموت|نقتل روحي|تقتل روحها|اقتل روحي|اريد اموت|"
    "ما اريد اعيش|اخلص من حياتي|مش عايز اعيش|ما ابي اعيش|ما بقيتش قادرة نعيش|حبوب كثيرة|اقطع شراييني|"
    "خۆم بکوژم|خۆکوشتن|نامەوێت بژیم|دەمەوێت بمرم|کۆتایی بە ژیانی|"
    "suicide|suicider|me suicider|se suicider|me tuer|en finir|plus envie de vivre|me faire du mal|me couper|"
    "kill myself|end my life|end her life|end his life|end it all|want to die|hurt myself|cut myself|self harm|"
    "suicidal|no reason to live|"
    "bade mout|baddi mout|bghit nmout|n9tel rou7i|abi amoot|3ayez amoot|ma3ad bade 3ish"
)
_HELP_QUESTION = cues(
    "كيف اساعد|كيف أساعد|كيف نساعد|شو لازم اعمل|comment aider|how can i help|how do i help|"
    "اليوم العالمي|يوم عالمي|مو حل|ليس حلا|مش حل|awareness|prevention|prévention"
)
_DANGER_CUES = cues(
    "يتبعني|يلاحقني|لاحقني|قدام البيت|قدام الدار|تحت البيت|جاي للبيت|جاي يموتني|عند بابي|أمام منزلي|امام منزلي|"
    "معاه سلاح|معه سكين|بسكين|سلاح|وهو الحين في البيت|"
    "devant chez moi|devant ma porte|il me suit|arme|couteau|"
    "outside my house|following me|at my door|has a gun|knife|"
    "لە بەردەم ماڵەکەم|چەک"
)

REASON_TEXT = {
    "category": "most likely category: {category} ({p:.0%})",
    "low_confidence": "low confidence: check the category",
    "self_harm": "words about suicide or self-harm",
    "minor_involved": "a child or teenager seems to be involved",
    "imminent_danger": "a deadline or an immediate danger is mentioned",
    "default_urgency": "default urgency for {category}",
}


def risk_flags(folded: str, category: str, probs: dict[str, float], threat: float) -> list[str]:
    flags = []
    self_harm_cue = bool(_SELF_HARM_CUES.search(folded))
    helping_question = bool(_HELP_QUESTION.search(folded))
    p_sh = probs.get("self_harm", 0.0)
    # A missed self-harm signal costs more than a false alarm: any cue outside an awareness text
    # or a "how do I help" question raises the flag.
    if (category == "self_harm" and p_sh >= 0.5) or (self_harm_cue and not helping_question):
        flags.append("self_harm")
    if category == "child_sexual_exploitation" or _MINOR_CUES.search(folded) or _MINOR_AGE.search(folded):
        flags.append("minor_involved")
    urgent_category = category in ("sextortion", "threat_violence", "self_harm", "child_sexual_exploitation", "ncii")
    violent = category in ("threat_violence", "self_harm") or threat >= 0.5
    if (
        (urgent_category and _DEADLINE_CUES.search(folded))
        or (violent and _NOW_CUES.search(folded))
        or (_DANGER_CUES.search(folded) and (urgent_category or threat >= 0.5))
    ):
        flags.append("imminent_danger")
    return flags


def urgency_for(category: str, flags: list[str]) -> str:
    level = URGENCIES.index(DEFAULT_URGENCY[category])
    if "self_harm" in flags or "imminent_danger" in flags:
        level = URGENCIES.index("critical")
    if "minor_involved" in flags:
        sexual = category in ("sextortion", "ncii", "child_sexual_exploitation")
        level = max(level, URGENCIES.index("critical" if sexual else "high"))
    return URGENCIES[level]


def reason_for(category: str, p: float, flags: list[str], uncertain: bool) -> tuple[list[str], str]:
    codes = ["category"]
    parts = [REASON_TEXT["category"].format(category=category, p=p)]
    if uncertain:
        codes.append("low_confidence")
        parts.append(REASON_TEXT["low_confidence"])
    for flag in flags:
        codes.append(flag)
        parts.append(REASON_TEXT[flag])
    return codes, "; ".join(parts)
