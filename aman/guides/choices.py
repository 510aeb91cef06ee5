"""The vocabulary of guides, self-checks and risk assessments. Codes are stable; labels translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("ar", "fr", "ckb", "en")


class Topic(models.TextChoices):
    SECURE_ACCOUNT = "secure_account", _("Secure your account")
    REPORT_IN_APP = "report_in_app", _("Report in the app")
    PRIVACY = "privacy", _("Privacy settings")
    BLACKMAIL = "blackmail", _("Blackmail")
    HACKED_ACCOUNT = "hacked_account", _("Hacked account recovery")
    MASS_REPORTING = "mass_reporting", _("Mass reporting")
    PARENTS = "parents", _("For parents")
    WELLBEING = "wellbeing", _("Wellbeing")
    PAUSE = "pause", _("Practise the pause")


class GuidePlatform(models.TextChoices):
    TIKTOK = "tiktok", "TikTok"
    INSTAGRAM = "instagram", "Instagram"
    FACEBOOK = "facebook", "Facebook"
    WHATSAPP = "whatsapp", "WhatsApp"
    SNAPCHAT = "snapchat", "Snapchat"
    X = "x", "X (Twitter)"
    YOUTUBE = "youtube", "YouTube"
    TELEGRAM = "telegram", "Telegram"


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEWED = "reviewed", _("Reviewed")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Replaced by a newer version")


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry or government department")
    LOCAL = "local", _("Local or regional authority")
    INSTITUTION = "institution", _("Public institution")
    NGO = "ngo", _("Non-governmental organisation")
    OTHER = "other", _("Other")


class RiskArea(models.TextChoices):
    REPUTATION = "reputation", _("Reputation")
    DATA_LEAK = "data_leak", _("Leaks of sensitive or personal data")
    PHISHING = "phishing", _("Phishing")
    SOCIAL_ENGINEERING = "social_engineering", _("Social engineering")
    MALWARE = "malware", _("Malware")
    CREDENTIALS = "credentials", _("Passwords and recovery options")
    TURNOVER = "turnover", _("Staff turnover")
    TWO_FACTOR = "two_factor", _("Two-factor authentication")
    APPROVAL = "approval", _("Approval before posting")
    COMMENTS = "comments", _("Handling public comments")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


def risk_level(score: int) -> str:
    """Bands of likelihood × impact: low 1-5, medium 6-11, high 12-19, critical 20-25."""
    if score >= 20:
        return RiskLevel.CRITICAL
    if score >= 12:
        return RiskLevel.HIGH
    if score >= 6:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW
