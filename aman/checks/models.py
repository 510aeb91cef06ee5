"""API keys for integrators, check counters, triage suggestions, case alerts, supervisor duty."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aman.cases.choices import HarmCategory, Urgency
from aman.cases.models import Case
from aman.core.models import BaseModel


class ApiKey(BaseModel):
    """One integrator's key for the check endpoint. Only a keyed hash of the secret is stored."""

    name = models.CharField(_("integrator"), max_length=120)
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    allowed_origins = models.TextField(
        _("allowed origins"),
        blank=True,
        default="",
        help_text=_("One origin per line, for example https://comments.example.org. Use * to allow any site."),
    )
    rate_limit = models.CharField(_("rate limit"), max_length=30, blank=True, default="")
    store_texts = models.BooleanField(_("store checked texts"), default=False)
    retention_days = models.PositiveSmallIntegerField(_("keep stored texts for (days)"), default=30)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API key")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def origin_list(self) -> list[str]:
        return [o.strip() for o in self.allowed_origins.splitlines() if o.strip()]

    def allows_origin(self, origin: str) -> bool:
        origins = self.origin_list
        return "*" in origins or origin.rstrip("/").lower() in {o.rstrip("/").lower() for o in origins}


class CheckDailyCount(models.Model):
    """Per key and day: checks made and what people did with a nudge. Never the texts."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="daily_counts")
    day = models.DateField()
    checks = models.PositiveIntegerField(default=0)
    reconsider = models.PositiveIntegerField(default=0)
    shown = models.PositiveIntegerField(default=0)
    edited = models.PositiveIntegerField(default=0)
    posted_anyway = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["api_key", "day"], name="check_count_key_day")]
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.api_key_id} {self.day}"


class CheckCountFlush(models.Model):
    """A batch of counters moved from Redis, by its token: a batch is added to the rows once, even
    when the flush is retried after a crash between the database commit and the Redis clean-up."""

    token = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.token


class StoredCheck(BaseModel):
    """A checked text, kept only for keys that opted in, until ``expires_at``."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="stored_checks")
    check_id = models.CharField(max_length=200)
    text = models.TextField()
    language = models.CharField(max_length=10, blank=True, default="")
    profile = models.CharField(max_length=10, default="default")
    decision = models.CharField(max_length=12)
    result = models.JSONField(default=dict)
    expires_at = models.DateTimeField(db_index=True)


class TriageSuggestion(BaseModel):
    """The classifier's suggestion for a case, shown to an agent who confirms or corrects it."""

    class Source(models.TextChoices):
        REPORT = "report", _("Report")
        EVIDENCE = "evidence", _("Text from evidence")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a person")
        CONFIRMED = "confirmed", _("Confirmed")
        CORRECTED = "corrected", _("Corrected")
        DISMISSED = "dismissed", _("Dismissed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="triage_suggestions")
    source = models.CharField(max_length=10, choices=Source.choices)
    text_digest = models.CharField(max_length=64)
    category = models.CharField(_("suggested category"), max_length=40, choices=HarmCategory.choices)
    category_score = models.FloatField(default=0.0)
    urgency = models.CharField(_("suggested urgency"), max_length=10, choices=Urgency.choices)
    flags = models.JSONField(default=list)
    reason = models.CharField(max_length=300, blank=True, default="")
    reason_codes = models.JSONField(default=list)
    model_version = models.CharField(max_length=60)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "source", "text_digest"], name="triage_suggestion_once"),
        ]

    @property
    def is_critical(self) -> bool:
        return is_critical(self.flags)


def is_critical(flags: list[str]) -> bool:
    """Self-harm, or a child in danger now: a person must look first."""
    return "self_harm" in flags or ("minor_involved" in flags and "imminent_danger" in flags)


class LabelledExample(BaseModel):
    """A person's decision on a suggestion, kept as a training example for the next model."""

    class Source(models.TextChoices):
        CONFIRMED = "triage_confirmed", _("Suggestion confirmed")
        CORRECTED = "triage_corrected", _("Suggestion corrected")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", null=True, blank=True)
    suggestion = models.ForeignKey(TriageSuggestion, on_delete=models.SET_NULL, null=True, blank=True)
    text = models.TextField()
    labels = models.JSONField(default=dict)
    suggested = models.JSONField(default=dict)
    source = models.CharField(max_length=20, choices=Source.choices)
    model_version = models.CharField(max_length=60, blank=True, default="")


class CaseAlert(BaseModel):
    """A critical suggestion: the case sorts first in the queues until a person confirms or dismisses it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alerts")
    suggestion = models.ForeignKey(TriageSuggestion, on_delete=models.SET_NULL, null=True, blank=True)
    flags = models.JSONField(default=list)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["case"], name="case_alert_open_idx", condition=models.Q(resolved_at__isnull=True)),
        ]


class SupervisorDuty(BaseModel):
    """Who is on duty: on-duty supervisors and admins get critical alerts at once."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duty")
    on_duty = models.BooleanField(_("on duty"), default=False)
