"""Escalations: a case sent to the right partner, with a notice, a clock and an outcome.

A ``Partner`` is a platform's trust-and-safety team, a police unit, a hotline or an image-hash
service, reached through one channel (``channels/<name>/``). An ``Escalation`` is one notice or
hand-off to one partner; each try to deliver it is a ``DeliveryAttempt``.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aman.core.models import BaseModel

NOTICE_LANGUAGES = ("ar", "fr", "en", "ckb")


class PartnerKind(models.TextChoices):
    PLATFORM = "platform", _("Platform")
    POLICE = "police", _("Police")
    HOTLINE = "hotline", _("Hotline")
    NCII_SERVICE = "ncii_service", _("Intimate-image service")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Trusted-partner API (signed webhook)")
    MANUAL = "manual", _("Web form filled in by hand")


class ConsentField(models.TextChoices):
    PLATFORM = "consent_platform", _("Consent to report to platforms")
    POLICE = "consent_police", _("Consent to hand over to police")
    HOTLINE = "consent_hotline", _("Consent to refer to a hotline")


class Partner(BaseModel):
    """Someone Aman escalates to, and how."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    platforms = models.CharField(
        _("platforms covered"), max_length=200, blank=True, default="", help_text=_("Comma-separated codes.")
    )
    email_to = models.CharField(
        _("e-mail addresses"), max_length=500, blank=True, default="", help_text=_("Comma-separated.")
    )
    contacts = models.TextField(_("contacts"), blank=True, default="")
    endpoint_url = models.URLField(_("API or web form address"), max_length=500, blank=True, default="")
    webhook_secret_env = models.CharField(
        _("name of the environment variable holding the signing secret"), max_length=80, blank=True, default=""
    )
    webhook_secret_encrypted = models.TextField(blank=True, default="")
    languages = models.CharField(
        _("languages"), max_length=40, default="en", help_text=_("Comma-separated, the first one for notices.")
    )
    response_hours = models.PositiveIntegerField(_("expected response (hours)"), default=24)
    response_hours_by_urgency = models.JSONField(_("expected response per urgency (hours)"), default=dict, blank=True)
    policy_map = models.JSONField(_("policy categories per harm category"), default=dict, blank=True)
    evidence_requirements = models.TextField(_("evidence requirements"), blank=True, default="")
    consent_field = models.CharField(_("consent needed"), max_length=20, choices=ConsentField.choices)
    max_attachment_mb = models.PositiveIntegerField(_("largest attachment (MB)"), default=10)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("partner")

    def __str__(self) -> str:
        return self.name

    @property
    def language_list(self) -> list[str]:
        codes = [c.strip() for c in self.languages.split(",") if c.strip() in NOTICE_LANGUAGES]
        return codes or ["en"]

    @property
    def platform_list(self) -> list[str]:
        return [p.strip() for p in self.platforms.split(",") if p.strip()]

    @property
    def email_list(self) -> list[str]:
        return [a.strip() for a in self.email_to.replace("\n", ",").split(",") if a.strip()]

    @property
    def is_police(self) -> bool:
        return self.kind == PartnerKind.POLICE

    def response_hours_for(self, urgency: str) -> int:
        value = (self.response_hours_by_urgency or {}).get(urgency)
        try:
            hours = int(value) if value is not None else self.response_hours
        except (TypeError, ValueError):
            hours = self.response_hours
        return max(1, hours)

    def policies_for(self, category: str) -> list[str]:
        value = (self.policy_map or {}).get(category) or []
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]


class EscalationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting a supervisor's approval")
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged by the partner")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# The clock runs in these states: the partner has the notice and has not answered for good.
CLOCK_RUNNING = (EscalationStatus.SENT, EscalationStatus.ACKNOWLEDGED)


class EscalationOutcome(models.TextChoices):
    """What the partner did: the decision types of a DSA Art. 17 statement of reasons, and the
    answers that are not (yet) a decision."""

    REMOVED = "removed", _("Removed")
    DISABLED = "disabled", _("Access disabled (for example in one country)")
    RESTRICTED = "restricted", _("Visibility restricted")
    AGE_RESTRICTED = "age_restricted", _("Age-restricted")
    ACCOUNT_SUSPENDED = "account_suspended", _("Account suspended")
    ACCOUNT_TERMINATED = "account_terminated", _("Account terminated")
    DECLINED = "declined", _("Declined (no action)")
    NO_RESPONSE = "no_response", _("No answer")
    APPEALED = "appealed", _("Appealed (decision under review)")
    MORE_INFO = "more_info", _("More information requested")


# The partner acted against the content or the account.
ACTION_OUTCOMES = frozenset(
    {
        EscalationOutcome.REMOVED,
        EscalationOutcome.DISABLED,
        EscalationOutcome.RESTRICTED,
        EscalationOutcome.AGE_RESTRICTED,
        EscalationOutcome.ACCOUNT_SUSPENDED,
        EscalationOutcome.ACCOUNT_TERMINATED,
    }
)
# A decision, with a statement of reasons (Art. 17 DSA): an action, or declining to act.
DECISION_OUTCOMES = ACTION_OUTCOMES | {EscalationOutcome.DECLINED}
# Outcomes that end an escalation. More information and an appeal keep it open (the clock runs).
FINAL_OUTCOMES = DECISION_OUTCOMES | {EscalationOutcome.NO_RESPONSE}


class DecisionGround(models.TextChoices):
    ILLEGAL = "illegal", _("Illegal content (a law)")
    INCOMPATIBLE = "incompatible", _("Against the partner's terms and conditions")
    NOT_STATED = "not_stated", _("The partner did not say")


class Automation(models.TextChoices):
    NOT_STATED = "not_stated", _("The partner did not say")
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class Escalation(BaseModel):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="escalations")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="escalations")
    policy_category = models.CharField(_("harm category"), max_length=40)
    partner_policy = models.CharField(_("partner's policy"), max_length=200, blank=True, default="")
    explanation = models.TextField(_("why the content is illegal or against the rules"))
    items = models.JSONField(_("links and accounts"), default=list, blank=True)  # ReportItem ids
    evidence = models.ManyToManyField("evidence.EvidenceItem", blank=True, related_name="escalations")
    language = models.CharField(_("notice language"), max_length=8)
    urgency = models.CharField(_("urgency"), max_length=10)
    notice_subject = models.CharField(max_length=300, blank=True, default="")
    notice_text = models.TextField(_("notice"), blank=True, default="")
    status = models.CharField(
        _("status"), max_length=20, choices=EscalationStatus.choices, default=EscalationStatus.DRAFT
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=EscalationOutcome.choices, blank=True, default="")
    outcome_note = models.TextField(_("partner's statement of reasons"), blank=True, default="")
    partner_reference = models.CharField(_("partner's reference"), max_length=200, blank=True, default="")
    include_contact = models.BooleanField(default=False)
    contact_reason = models.TextField(blank=True, default="")
    override_reason = models.TextField(_("reason for sending without consent"), blank=True, default="")
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="escalations_created"
    )
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    packet = models.ForeignKey(
        "evidence.EvidencePacket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    queued_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    actioned_at = models.DateTimeField(_("partner acted"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    rechecked_at = models.DateTimeField(_("links last checked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="escalation_status_idx"),
            models.Index(fields=["status", "due_at"], name="escalation_due_idx"),
            models.Index(fields=["partner", "sent_at"], name="escalation_partner_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.partner_id} ({self.status})"

    @property
    def is_csam(self) -> bool:
        return self.policy_category == "child_sexual_exploitation"

    @property
    def clock_running(self) -> bool:
        return self.status in CLOCK_RUNNING and self.due_at is not None and not self.outcome_is_final

    @property
    def outcome_is_final(self) -> bool:
        return self.outcome in FINAL_OUTCOMES

    @property
    def overdue(self) -> bool:
        return self.clock_running and self.due_at is not None and self.due_at < timezone.now()

    @property
    def elapsed(self) -> timedelta | None:
        if self.sent_at is None:
            return None
        end = self.actioned_at or self.closed_at or timezone.now()
        return end - self.sent_at

    @property
    def time_to_action(self) -> timedelta | None:
        if self.sent_at is None or self.actioned_at is None:
            return None
        return self.actioned_at - self.sent_at


class DeliveryAttempt(BaseModel):
    """One try to deliver an escalation through its channel; never edited, never deleted."""

    class Result(models.TextChoices):
        DELIVERED = "delivered", _("Delivered")
        TEMPORARY_FAILURE = "temporary", _("Failed, will retry")
        PERMANENT_FAILURE = "permanent", _("Failed")
        MANUAL = "manual", _("Sent by hand")

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="deliveries")
    number = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    result = models.CharField(max_length=10, choices=Result.choices)
    detail = models.TextField(blank=True, default="")
    reference = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.escalation_id} #{self.number} {self.result}"


class OutcomeStatement(BaseModel):
    """One answer from the partner, with the fields of a DSA Art. 17 statement of reasons.

    Recorded by staff in the console or the API, or by the partner itself through the partner
    API (``token``, idempotent by ``idempotency_key``). Never edited; the escalation keeps the
    latest outcome for the lists and reports."""

    class Source(models.TextChoices):
        CONSOLE = "console", _("Recorded by the helpline")
        PARTNER_API = "partner_api", _("Sent by the partner through the API")
        MIGRATED = "migrated", _("Recorded before statements of reasons were kept")

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="statements")
    outcome = models.CharField(_("outcome"), max_length=20, choices=EscalationOutcome.choices, blank=True)
    partner_reference = models.CharField(_("partner's reference"), max_length=200, blank=True, default="")
    decided_at = models.DateTimeField(_("date of the decision"), null=True, blank=True)
    scope = models.CharField(_("territorial scope and duration"), max_length=300, blank=True, default="")
    facts = models.TextField(_("facts and circumstances relied on"), blank=True, default="")
    ground = models.CharField(
        _("ground of the decision"), max_length=20, choices=DecisionGround.choices, default=DecisionGround.NOT_STATED
    )
    ground_reference = models.CharField(_("law or terms relied on"), max_length=300, blank=True, default="")
    ground_explanation = models.TextField(_("why the content is illegal or incompatible"), blank=True, default="")
    automated_detection = models.CharField(
        _("automated detection used"), max_length=12, choices=Automation.choices, default=Automation.NOT_STATED
    )
    automated_decision = models.CharField(
        _("automated decision"), max_length=12, choices=Automation.choices, default=Automation.NOT_STATED
    )
    redress = models.TextField(_("redress information"), blank=True, default="")
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.CONSOLE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token = models.ForeignKey(
        "escalations.PartnerToken", on_delete=models.SET_NULL, null=True, blank=True, related_name="statements"
    )
    # "<partner id>|<client key>": a replay from the same partner is recognised; "" for staff.
    idempotency_key = models.CharField(max_length=260, blank=True, default="")
    request_digest = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="outcome_statement_idempotency_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.escalation_id} {self.outcome}"


class PartnerToken(BaseModel):
    """A partner's key for the partner API. Shown once when made; only a keyed hash is kept
    (``aman.core.crypto.keyed_hash``, as for the check API's keys). Scoped to one partner."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="tokens")
    label = models.CharField(_("label"), max_length=120, blank=True, default="")
    prefix = models.CharField(_("token prefix"), max_length=24, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("partner API token")

    def __str__(self) -> str:
        return f"{self.partner_id} {self.prefix}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.partner.active


class LinkCheck(BaseModel):
    """Whether a reported link still answered, at one moment: the HTTP status only.

    The page itself is never read or kept (HEAD, or GET without reading the body). The link is
    the case's ``ReportItem``; when the case is purged the check stays without it."""

    class Result(models.TextChoices):
        ANSWERED = "answered", _("Answered")
        TIMEOUT = "timeout", _("No answer in time")
        UNREACHABLE = "unreachable", _("Could not connect")
        REFUSED = "refused", _("Not checked: private or local address")
        TOO_MANY_REDIRECTS = "redirects", _("Too many redirects")
        INVALID = "invalid", _("Not a web address")

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="link_checks")
    item = models.ForeignKey("cases.ReportItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    result = models.CharField(max_length=12, choices=Result.choices)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    method = models.CharField(max_length=4, blank=True, default="")
    redirects = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["escalation", "created_at"], name="link_check_escalation_idx")]

    def __str__(self) -> str:
        return f"{self.escalation_id} {self.result} {self.status_code}"

    @property
    def gone(self) -> bool:
        """The platform answers that the link is no more (404 or 410)."""
        return self.result == self.Result.ANSWERED and self.status_code in (404, 410)
