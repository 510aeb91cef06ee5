"""The partner registry as shipped: platforms, community police, hotlines and image-hash services.

Every address here is fictional (``example.org``): an administrator replaces them with the real
trusted-flagger channels the helpline has agreed with each partner. ``seed_partners`` creates
the partners that are missing and never overwrites an administrator's edits.
"""

from __future__ import annotations

from typing import Any

PLATFORM_POLICIES: dict[str, dict[str, list[str]]] = {
    "tiktok": {
        "sextortion": ["Sexual exploitation and gender-based violence"],
        "ncii": ["Non-consensual intimate imagery"],
        "child_sexual_exploitation": ["Youth safety: child sexual exploitation"],
        "account_compromise": ["Hacked account"],
        "impersonation": ["Impersonation"],
        "harassment_bullying": ["Harassment and bullying"],
        "hate_speech": ["Hateful behaviour"],
        "threat_violence": ["Violent threats"],
        "self_harm": ["Suicide and self-harm"],
        "scam_fraud": ["Frauds and scams"],
        "privacy_doxxing": ["Personal information (doxxing)"],
        "harmful_content": ["Shocking and graphic content"],
    },
    "meta": {
        "sextortion": ["Adult sexual exploitation (sextortion)"],
        "ncii": ["Non-consensual intimate imagery"],
        "child_sexual_exploitation": ["Child sexual exploitation, abuse and nudity"],
        "account_compromise": ["Hacked account recovery"],
        "impersonation": ["Account integrity and authentic identity"],
        "harassment_bullying": ["Bullying and harassment"],
        "hate_speech": ["Hateful conduct"],
        "threat_violence": ["Violence and incitement"],
        "self_harm": ["Suicide, self-injury and eating disorders"],
        "scam_fraud": ["Fraud, scams and deceptive practices"],
        "privacy_doxxing": ["Privacy violations"],
        "harmful_content": ["Violent and graphic content"],
    },
    "snapchat": {
        "sextortion": ["Sexual exploitation"],
        "ncii": ["Non-consensual intimate imagery"],
        "child_sexual_exploitation": ["Child sexual exploitation"],
        "account_compromise": ["Compromised account"],
        "impersonation": ["Impersonation"],
        "harassment_bullying": ["Harassment and bullying"],
        "hate_speech": ["Hateful content"],
        "threat_violence": ["Threats and violence"],
        "self_harm": ["Self-harm and suicide"],
        "scam_fraud": ["Fraud and spam"],
        "privacy_doxxing": ["Privacy"],
    },
    "x": {
        "sextortion": ["Non-consensual nudity / sextortion"],
        "ncii": ["Non-consensual nudity"],
        "child_sexual_exploitation": ["Child sexual exploitation"],
        "account_compromise": ["Hacked account"],
        "impersonation": ["Misleading and deceptive identities"],
        "harassment_bullying": ["Abuse and harassment"],
        "hate_speech": ["Hateful conduct"],
        "threat_violence": ["Violent speech"],
        "self_harm": ["Suicide and self-harm"],
        "scam_fraud": ["Financial scams"],
        "privacy_doxxing": ["Private information"],
    },
    "youtube": {
        "sextortion": ["Nudity and sexual content"],
        "ncii": ["Nudity and sexual content (non-consensual)"],
        "child_sexual_exploitation": ["Child safety"],
        "impersonation": ["Impersonation"],
        "harassment_bullying": ["Harassment and cyberbullying"],
        "hate_speech": ["Hate speech"],
        "threat_violence": ["Violent or dangerous content"],
        "self_harm": ["Suicide, self-harm and eating disorders"],
        "scam_fraud": ["Spam, deceptive practices and scams"],
        "privacy_doxxing": ["Privacy"],
        "harmful_content": ["Violent or graphic content"],
    },
    "telegram": {
        "sextortion": ["Illegal pornographic content"],
        "ncii": ["Illegal pornographic content"],
        "child_sexual_exploitation": ["Child abuse"],
        "impersonation": ["Fake account"],
        "harassment_bullying": ["Other illegal content"],
        "threat_violence": ["Violence"],
        "scam_fraud": ["Scam"],
        "privacy_doxxing": ["Personal details"],
    },
}

ALL_CATEGORIES = [
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
]

PLATFORM_EVIDENCE = (
    "Exact URL of each post, video or profile (not a screenshot alone); the account handle and profile link; "
    "for impersonation, the real account; screenshots with the date visible when messages are involved."
)

PARTNERS: list[dict[str, Any]] = [
    {
        "slug": "tiktok",
        "name": "TikTok",
        "kind": "platform",
        "channel": "manual",
        "platforms": "tiktok",
        "endpoint_url": "https://trusted-flagger.example.org/tiktok/report",
        "email_to": "",
        "contacts": "Trust & Safety, MENA trusted-partner programme (fictional)",
        "languages": "en,ar",
        "policy_map": PLATFORM_POLICIES["tiktok"],
        "evidence_requirements": PLATFORM_EVIDENCE,
        "consent_field": "consent_platform",
    },
    {
        "slug": "meta",
        "name": "Meta (Facebook, Instagram, WhatsApp)",
        "kind": "platform",
        "channel": "email",
        "platforms": "facebook,instagram,whatsapp",
        "email_to": "trusted-flagger@meta.example.org",
        "contacts": "Trusted partner channel, MENA (fictional)",
        "languages": "en,ar,fr",
        "policy_map": PLATFORM_POLICIES["meta"],
        "evidence_requirements": PLATFORM_EVIDENCE + " WhatsApp: the phone number and the chat export.",
        "consent_field": "consent_platform",
    },
    {
        "slug": "snapchat",
        "name": "Snapchat",
        "kind": "platform",
        "channel": "email",
        "platforms": "snapchat",
        "email_to": "trusted-flagger@snap.example.org",
        "languages": "en",
        "policy_map": PLATFORM_POLICIES["snapchat"],
        "evidence_requirements": "Username (not display name) and a screenshot of the profile with the date.",
        "consent_field": "consent_platform",
    },
    {
        "slug": "x",
        "name": "X",
        "kind": "platform",
        "channel": "manual",
        "platforms": "x",
        "endpoint_url": "https://trusted-flagger.example.org/x/report",
        "languages": "en,ar",
        "policy_map": PLATFORM_POLICIES["x"],
        "evidence_requirements": PLATFORM_EVIDENCE,
        "consent_field": "consent_platform",
    },
    {
        "slug": "youtube",
        "name": "YouTube",
        "kind": "platform",
        "channel": "manual",
        "platforms": "youtube",
        "endpoint_url": "https://trusted-flagger.example.org/youtube/priority-flagger",
        "languages": "en,ar,fr",
        "policy_map": PLATFORM_POLICIES["youtube"],
        "evidence_requirements": "Video URL with the time stamp, or the channel URL.",
        "consent_field": "consent_platform",
    },
    {
        "slug": "telegram",
        "name": "Telegram",
        "kind": "platform",
        "channel": "email",
        "platforms": "telegram",
        "email_to": "abuse@telegram.example.org",
        "languages": "en",
        "policy_map": PLATFORM_POLICIES["telegram"],
        "evidence_requirements": "Public t.me link of the channel, group or message; the @username.",
        "consent_field": "consent_platform",
    },
    {
        "slug": "community-police",
        "name": "Community police cybercrime unit",
        "kind": "police",
        "channel": "email",
        "email_to": "cyber-unit@police.example.org",
        "contacts": "Duty officer, community police (fictional)",
        "languages": "ar",
        "response_hours": 48,
        "response_hours_by_urgency": {"critical": 4, "high": 24},
        "policy_map": {c: [c.replace("_", " ")] for c in ALL_CATEGORIES},
        "evidence_requirements": "A PDF of the case facts the reporter agreed to share and an evidence packet "
        "with hashes and the chain of custody.",
        "consent_field": "consent_police",
    },
    {
        "slug": "child-abuse-hotline",
        "name": "Child sexual abuse hotline (IWF-style, INHOPE member)",
        "kind": "hotline",
        "channel": "manual",
        "endpoint_url": "https://hotline.example.org/report",
        "languages": "en,ar",
        "response_hours_by_urgency": {"critical": 12},
        "policy_map": {"child_sexual_exploitation": ["Child sexual abuse material"]},
        "evidence_requirements": "URLs only. Never download, keep or send copies of the images.",
        "consent_field": "consent_hotline",
    },
    {
        "slug": "stopncii",
        "name": "StopNCII",
        "kind": "ncii_service",
        "channel": "manual",
        "endpoint_url": "https://stopncii.example.org/",
        "languages": "en,ar,fr",
        "response_hours": 72,
        "policy_map": {"ncii": ["Intimate image hash"], "sextortion": ["Intimate image hash"]},
        "evidence_requirements": "The adult victim makes the hashes on their own device; no image is shared.",
        "consent_field": "consent_hotline",
    },
    {
        "slug": "take-it-down",
        "name": "Take It Down",
        "kind": "ncii_service",
        "channel": "manual",
        "endpoint_url": "https://takeitdown.example.org/",
        "languages": "en,ar,fr",
        "response_hours": 72,
        "policy_map": {
            "child_sexual_exploitation": ["Image of a minor (hash)"],
            "ncii": ["Image taken before 18 (hash)"],
            "sextortion": ["Image taken before 18 (hash)"],
        },
        "evidence_requirements": "For images taken before 18. The young person hashes them on their own device.",
        "consent_field": "consent_hotline",
    },
]


def seed_partners(partner_model: Any) -> int:
    """Create the shipped partners that do not exist yet (by slug). Returns how many were created."""
    created = 0
    for spec in PARTNERS:
        data = dict(spec)
        slug = data.pop("slug")
        _, made = partner_model.objects.get_or_create(slug=slug, defaults=data)
        created += int(made)
    return created
