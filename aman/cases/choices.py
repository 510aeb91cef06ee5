"""The domain vocabulary of a case. Codes are stable; labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HarmCategory(models.TextChoices):
    SEXTORTION = "sextortion", _("Sextortion (blackmail with intimate images)")
    NCII = "ncii", _("Intimate images shared without consent")
    CHILD_SEXUAL_EXPLOITATION = "child_sexual_exploitation", _("Sexual content involving a child, or grooming")
    ACCOUNT_COMPROMISE = "account_compromise", _("Hacked or stolen account")
    IMPERSONATION = "impersonation", _("Fake account pretending to be me or someone else")
    HARASSMENT_BULLYING = "harassment_bullying", _("Harassment, bullying or stalking")
    HATE_SPEECH = "hate_speech", _("Hate speech against a group")
    THREAT_VIOLENCE = "threat_violence", _("Threat of violence")
    SELF_HARM = "self_harm", _("Suicide or self-harm risk")
    SCAM_FRAUD = "scam_fraud", _("Scam, fraud or phishing")
    PRIVACY_DOXXING = "privacy_doxxing", _("Personal information exposed")
    MALICIOUS_REPORTING = "malicious_reporting", _("Mass false reports against an account")
    HARMFUL_CONTENT = "harmful_content", _("Harmful or offensive content")
    OTHER = "other", _("Other, or a question")
    NOT_SURE = "not_sure", _("I am not sure")


class Urgency(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


URGENCY_RANK = {Urgency.CRITICAL: 0, Urgency.HIGH: 1, Urgency.MEDIUM: 2, Urgency.LOW: 3}

DEFAULT_URGENCY = {
    HarmCategory.SEXTORTION: Urgency.HIGH,
    HarmCategory.NCII: Urgency.HIGH,
    HarmCategory.CHILD_SEXUAL_EXPLOITATION: Urgency.CRITICAL,
    HarmCategory.ACCOUNT_COMPROMISE: Urgency.MEDIUM,
    HarmCategory.IMPERSONATION: Urgency.MEDIUM,
    HarmCategory.HARASSMENT_BULLYING: Urgency.MEDIUM,
    HarmCategory.HATE_SPEECH: Urgency.MEDIUM,
    HarmCategory.THREAT_VIOLENCE: Urgency.HIGH,
    HarmCategory.SELF_HARM: Urgency.CRITICAL,
    HarmCategory.SCAM_FRAUD: Urgency.MEDIUM,
    HarmCategory.PRIVACY_DOXXING: Urgency.HIGH,
    HarmCategory.MALICIOUS_REPORTING: Urgency.LOW,
    HarmCategory.HARMFUL_CONTENT: Urgency.LOW,
    HarmCategory.OTHER: Urgency.LOW,
    HarmCategory.NOT_SURE: Urgency.MEDIUM,
}


class Platform(models.TextChoices):
    TIKTOK = "tiktok", "TikTok"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    WHATSAPP = "whatsapp", "WhatsApp"
    SNAPCHAT = "snapchat", "Snapchat"
    X = "x", "X (Twitter)"
    YOUTUBE = "youtube", "YouTube"
    TELEGRAM = "telegram", "Telegram"
    OTHER = "other", _("Other")


class Affected(models.TextChoices):
    ME = "me", _("Me")
    MY_CHILD = "my_child", _("My child")
    SOMEONE_ELSE = "someone_else", _("Someone else")


class AgeBand(models.TextChoices):
    UNDER_13 = "under_13", _("Under 13")
    TEEN = "13_17", _("13 to 17")
    ADULT = "18_plus", _("18 or older")
    UNKNOWN = "unknown", _("I don't know")


class ContactMethod(models.TextChoices):
    NONE = "none", _("No contact: I will come back with my code")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")


class Source(models.TextChoices):
    PORTAL = "portal", _("Portal")
    API = "api", _("API")


class Outcome(models.TextChoices):
    CONTENT_REMOVED = "content_removed", _("Content removed or account restored")
    ADVICE_GIVEN = "advice_given", _("Advice and support given")
    REFERRED = "referred", _("Referred to another service")
    NOT_ACTIONABLE = "not_actionable", _("Not actionable")
    NO_RESPONSE = "no_response", _("Reporter did not respond")
    DUPLICATE = "duplicate", _("Duplicate of another case")
