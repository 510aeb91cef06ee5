"""The pre/post quiz: key points of the safety guides, as data, in Arabic, Central Kurdish, French and English.

The same questions are asked before and after a workshop; the difference in scores is the
knowledge gained. Each question has three options and one right answer (``answer``, 0-based).
Questions are identified by a stable ``id`` so answers stored with a response stay readable if
the bank grows.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    id: str
    text: dict[str, str]
    options: tuple[dict[str, str], ...]
    answer: int

    def text_in(self, language: str) -> str:
        return self.text.get(language) or self.text["en"]

    def options_in(self, language: str) -> list[str]:
        return [o.get(language) or o["en"] for o in self.options]


def _q(qid: str, text: dict[str, str], options: list[dict[str, str]], answer: int) -> Question:
    return Question(qid, text, tuple(options), answer)


QUESTIONS: tuple[Question, ...] = (
    _q(
        "blackmail-pay",
        {
            "ar": "شخص يهدد بنشر صور خاصة إن لم تدفع له مالاً. ما التصرف الأسلم؟",
            "ckb": "کەسێک هەڕەشە دەکات وێنەی تایبەت بڵاو دەکاتەوە ئەگەر پارەی پێ نەدەیت. باشترین کار چییە؟",
            "fr": "Quelqu'un menace de publier des images intimes si vous ne payez pas. Que faire ?",
            "en": "Someone threatens to publish intimate images unless they are paid. What is safest?",
        },
        [
            {
                "ar": "الدفع مرة واحدة لينتهي الأمر",
                "ckb": "یەک جار پارە بدەیت بۆ ئەوەی کۆتایی بێت",
                "fr": "Payer une fois pour que cela s'arrête",
                "en": "Pay once so that it stops",
            },
            {
                "ar": "عدم الدفع، وحفظ الأدلة، وطلب المساعدة",
                "ckb": "پارە نەدەیت، بەڵگە بپارێزیت و داوای یارمەتی بکەیت",
                "fr": "Ne pas payer, garder les preuves et demander de l'aide",
                "en": "Do not pay, keep the evidence and ask for help",
            },
            {
                "ar": "حذف الحساب والرسائل فوراً",
                "ckb": "هەژمار و نامەکان یەکسەر بسڕیتەوە",
                "fr": "Supprimer tout de suite le compte et les messages",
                "en": "Delete the account and messages at once",
            },
        ],
        1,
    ),
    _q(
        "keep-evidence",
        {
            "ar": "قبل الإبلاغ عن حساب مسيء، ما الذي يجب حفظه؟",
            "ckb": "پێش ڕاپۆرتکردنی هەژمارێکی سووکایەتیئامێز، چی دەبێت بپارێزرێت؟",
            "fr": "Avant de signaler un compte abusif, que faut-il garder ?",
            "en": "Before reporting an abusive account, what should be kept?",
        },
        [
            {
                "ar": "لا شيء، المنصة تعرف كل شيء",
                "ckb": "هیچ، پلاتفۆرمەکە هەموو شتێک دەزانێت",
                "fr": "Rien, la plateforme sait tout",
                "en": "Nothing, the platform knows everything",
            },
            {
                "ar": "رابط الحساب ولقطات شاشة بالتاريخ",
                "ckb": "بەستەری هەژمارەکە و وێنەی شاشە لەگەڵ بەروار",
                "fr": "Le lien du compte et des captures d'écran datées",
                "en": "The account link and dated screenshots",
            },
            {
                "ar": "كلمة مرور الحساب المسيء",
                "ckb": "وشەی نهێنیی هەژمارە سووکایەتیئامێزەکە",
                "fr": "Le mot de passe du compte abusif",
                "en": "The abusive account's password",
            },
        ],
        1,
    ),
    _q(
        "two-factor",
        {
            "ar": "ما أفضل حماية لحسابك من الاختراق؟",
            "ckb": "باشترین پاراستن بۆ هەژمارەکەت لە هاککردن چییە؟",
            "fr": "Quelle est la meilleure protection contre le piratage de votre compte ?",
            "en": "What best protects your account from being hacked?",
        },
        [
            {
                "ar": "تفعيل التحقق بخطوتين",
                "ckb": "چالاککردنی پشتڕاستکردنەوەی دوو هەنگاوی",
                "fr": "Activer la validation en deux étapes",
                "en": "Turning on two-step verification",
            },
            {
                "ar": "استخدام كلمة المرور نفسها في كل مكان",
                "ckb": "هەمان وشەی نهێنی لە هەموو شوێنێک",
                "fr": "Utiliser le même mot de passe partout",
                "en": "Using the same password everywhere",
            },
            {
                "ar": "مشاركة الرمز مع صديق موثوق",
                "ckb": "کۆدەکە بە هاوڕێیەکی متمانەپێکراو بدەیت",
                "fr": "Partager le code avec un ami de confiance",
                "en": "Sharing the code with a trusted friend",
            },
        ],
        0,
    ),
    _q(
        "code-request",
        {
            "ar": "وصلتك رسالة من «صديق» يطلب رمز التحقق الذي أُرسل إلى هاتفك. ماذا تفعل؟",
            "ckb": "نامەیەک لە «هاوڕێیەک»ەوە دێت داوای ئەو کۆدە دەکات کە بۆ مۆبایلەکەت هاتووە. چی دەکەیت؟",
            "fr": "Un « ami » vous demande par message le code reçu sur votre téléphone. Que faites-vous ?",
            "en": 'A "friend" messages you asking for the code sent to your phone. What do you do?',
        },
        [
            {
                "ar": "إرساله لأنه صديق",
                "ckb": "دەینێریت چونکە هاوڕێیە",
                "fr": "L'envoyer, c'est un ami",
                "en": "Send it, they are a friend",
            },
            {
                "ar": "عدم إرساله أبداً؛ قد يكون حسابه مخترقاً",
                "ckb": "هەرگیز ناینێریت؛ لەوانەیە هەژمارەکەی هاککرابێت",
                "fr": "Ne jamais l'envoyer : son compte est peut-être piraté",
                "en": "Never send it: their account may be hacked",
            },
            {
                "ar": "إرسال نصف الرمز فقط",
                "ckb": "تەنها نیوەی کۆدەکە دەنێریت",
                "fr": "N'en envoyer que la moitié",
                "en": "Send only half of the code",
            },
        ],
        1,
    ),
    _q(
        "report-in-app",
        {
            "ar": "ما أول خطوة ضد حساب مزيّف ينتحل شخصيتك؟",
            "ckb": "یەکەم هەنگاو دژی هەژمارێکی ساختە کە خۆی بە تۆ دەناسێنێت چییە؟",
            "fr": "Quelle est la première étape contre un faux compte qui usurpe votre identité ?",
            "en": "What is the first step against a fake account pretending to be you?",
        },
        [
            {
                "ar": "الإبلاغ عنه من داخل التطبيق",
                "ckb": "ڕاپۆرتکردنی لە ناو ئەپەکەدا",
                "fr": "Le signaler dans l'application",
                "en": "Report it inside the app",
            },
            {
                "ar": "الرد عليه بالشتائم",
                "ckb": "وەڵامدانەوەی بە جنێو",
                "fr": "Lui répondre par des insultes",
                "en": "Reply with insults",
            },
            {
                "ar": "تجاهله فهو سيختفي وحده",
                "ckb": "پشتگوێی بخەیت، خۆی نامێنێت",
                "fr": "L'ignorer, il disparaîtra seul",
                "en": "Ignore it, it will go away by itself",
            },
        ],
        0,
    ),
    _q(
        "privacy-settings",
        {
            "ar": "من يجب أن يرى صورك ومنشوراتك الشخصية؟",
            "ckb": "کێ دەبێت وێنە و پۆستە تایبەتییەکانت ببینێت؟",
            "fr": "Qui devrait voir vos photos et publications personnelles ?",
            "en": "Who should see your personal photos and posts?",
        },
        [
            {
                "ar": "الجميع، فهذا أفضل للمتابعين",
                "ckb": "هەمووان، بۆ شوێنکەوتووان باشترە",
                "fr": "Tout le monde, c'est mieux pour les abonnés",
                "en": "Everyone, it is better for followers",
            },
            {
                "ar": "من تختارهم عبر إعدادات الخصوصية",
                "ckb": "ئەوانەی هەڵیاندەبژێریت لە ڕێکخستنەکانی تایبەتمەندی",
                "fr": "Les personnes choisies dans les paramètres de confidentialité",
                "en": "The people you choose in the privacy settings",
            },
            {
                "ar": "لا يمكن التحكم بذلك",
                "ckb": "ناتوانرێت کۆنترۆڵ بکرێت",
                "fr": "On ne peut pas le contrôler",
                "en": "It cannot be controlled",
            },
        ],
        1,
    ),
    _q(
        "trusted-adult",
        {
            "ar": "طفل يتعرض للتنمّر على الإنترنت. ما أهم نصيحة له؟",
            "ckb": "منداڵێک لە ئینتەرنێت تەنگی پێ هەڵدەچنرێت. گرنگترین ئامۆژگاری بۆی چییە؟",
            "fr": "Un enfant subit de l'intimidation en ligne. Quel est le conseil le plus important ?",
            "en": "A child is being bullied online. What is the most important advice?",
        },
        [
            {"ar": "أن يبقي الأمر سراً", "ckb": "بە نهێنی بیهێڵێتەوە", "fr": "Garder le secret", "en": "Keep it secret"},
            {
                "ar": "أن يتحدث مع شخص بالغ يثق به",
                "ckb": "لەگەڵ کەسێکی گەورەی متمانەپێکراو قسە بکات",
                "fr": "En parler à un adulte de confiance",
                "en": "Talk to a trusted adult",
            },
            {
                "ar": "أن يرد بالمثل",
                "ckb": "بە هەمان شێوە وەڵام بداتەوە",
                "fr": "Répondre de la même façon",
                "en": "Hit back the same way",
            },
        ],
        1,
    ),
    _q(
        "not-your-fault",
        {
            "ar": "إذا نُشرت صورة خاصة لشخص دون موافقته، فالخطأ خطأ من؟",
            "ckb": "ئەگەر وێنەیەکی تایبەتی کەسێک بەبێ ڕەزامەندی بڵاوکرایەوە، هەڵەی کێیە؟",
            "fr": "Si une image intime est partagée sans consentement, à qui est la faute ?",
            "en": "If someone's intimate image is shared without consent, whose fault is it?",
        },
        [
            {
                "ar": "الشخص الذي في الصورة",
                "ckb": "ئەو کەسەی لە وێنەکەدایە",
                "fr": "La personne sur l'image",
                "en": "The person in the image",
            },
            {
                "ar": "من نشرها دون موافقة",
                "ckb": "ئەوەی بەبێ ڕەزامەندی بڵاوی کردەوە",
                "fr": "Celui qui l'a partagée sans consentement",
                "en": "Whoever shared it without consent",
            },
            {"ar": "لا أحد", "ckb": "هیچ کەس", "fr": "Personne", "en": "Nobody"},
        ],
        1,
    ),
)

QUESTION_IDS = tuple(q.id for q in QUESTIONS)


def quiz_score(answers: dict[str, int]) -> int:
    """The number of right answers among ``answers`` (question id -> option index)."""
    return sum(1 for q in QUESTIONS if answers.get(q.id) == q.answer)
