from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aman.cases.choices import (
    Affected,
    AgeBand,
    ContactMethod,
    HarmCategory,
    Outcome,
    Source,
    Urgency,
)
from aman.cases.states import OPEN_STATES, Status
from aman.core.models import BaseModel


class Case(BaseModel):
    """A report and the helpline's work on it."""

    reference = models.CharField(_("reference"), max_length=16, unique=True)
    follow_up_hash = models.CharField(max_length=64)
    intake_key_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.PORTAL)
    language = models.CharField(_("reporter's language"), max_length=8, default="ar")

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    reported_category = models.CharField(
        _("category chosen by the reporter"), max_length=40, choices=HarmCategory.choices
    )
    category = models.CharField(_("category"), max_length=40, choices=HarmCategory.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    urgency_rank = models.PositiveSmallIntegerField(default=2)
    minor_involved = models.BooleanField(_("minor involved"), default=False)
    imminent_danger = models.BooleanField(_("imminent danger"), default=False)
    self_harm = models.BooleanField(_("self-harm risk"), default=False)

    platforms = models.CharField(_("platforms"), max_length=200, blank=True, default="")
    affected = models.CharField(_("who is affected"), max_length=20, choices=Affected.choices)
    age_band = models.CharField(_("age"), max_length=10, choices=AgeBand.choices)
    in_danger_now = models.BooleanField(_("someone is in danger now"), default=False)
    description = models.TextField(_("what happened"), blank=True)

    contact_method = models.CharField(
        _("contact"), max_length=10, choices=ContactMethod.choices, default=ContactMethod.NONE
    )
    contact_encrypted = models.TextField(blank=True, default="")

    consent_platform = models.BooleanField(_("consent to report to platforms"), default=False)
    consent_police = models.BooleanField(_("consent to hand over to police"), default=False)
    consent_hotline = models.BooleanField(_("consent to refer to a hotline"), default=False)
    consent_updated_at = models.DateTimeField(null=True, blank=True)

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_cases"
    )
    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    first_responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    first_response_breached_at = models.DateTimeField(null=True, blank=True)
    resolution_breached_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    last_reporter_activity_at = models.DateTimeField(null=True, blank=True)

    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True, default="")
    outcome_note = models.TextField(_("outcome note"), blank=True, default="")

    search_text = models.TextField(blank=True, default="")
    # An open critical flag (aman.checks): the case sorts first in every open queue until a person
    # confirms or dismisses it. A column, not a subquery, so the queue indexes keep their order.
    needs_attention = models.BooleanField(default=False, db_default=False)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "urgency_rank", "created_at"], name="case_queue_idx"),
            models.Index(fields=["assignee", "status"], name="case_assignee_idx"),
            models.Index(fields=["first_response_due"], name="case_frd_idx"),
            models.Index(fields=["resolution_due"], name="case_rd_idx"),
            models.Index(fields=["closed_at"], name="case_closed_idx"),
            # The queues read their first page straight from these, in order, however many cases there are.
            models.Index(
                fields=["-needs_attention", "urgency_rank", "created_at", "id"],
                name="case_open_order_idx",
                condition=models.Q(status__in=sorted(OPEN_STATES)),
            ),
            models.Index(
                fields=["-needs_attention", "urgency_rank", "created_at", "id"],
                name="case_unassigned_order_idx",
                condition=models.Q(status__in=sorted(OPEN_STATES), assignee__isnull=True),
            ),
            # A category filter on an open queue reads its page in order, and its count, from here
            # (the platform filter is checked on the included column, without reading the cases).
            models.Index(
                fields=["category", "-needs_attention", "urgency_rank", "created_at", "id"],
                include=["platforms"],
                name="case_category_order_idx",
                condition=models.Q(status__in=sorted(OPEN_STATES)),
            ),
            # The same filter on any status (the closed queue, a status filter).
            models.Index(fields=["category", "status"], include=["platforms"], name="case_category_status_idx"),
            # Queue counts read only this (an index-only scan on PostgreSQL), not the cases themselves.
            models.Index(
                fields=["status"],
                include=["assignee", "urgency", "first_responded_at", "first_response_due", "resolution_due"],
                name="case_open_counts_idx",
                condition=models.Q(status__in=sorted(OPEN_STATES)),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=Status.RESOLVED) | ~models.Q(outcome=""),
                name="case_resolved_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def platform_list(self) -> list[str]:
        return [p for p in self.platforms.split(",") if p]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def first_response_overdue(self) -> bool:
        due = self.first_response_due
        return bool(due and not self.first_responded_at and due < timezone.now())

    @property
    def resolution_overdue(self) -> bool:
        due = self.resolution_due
        return bool(due and self.is_open and due < timezone.now())


class ReportItem(BaseModel):
    """A link or account handle given by the reporter or added by staff."""

    class Kind(models.TextChoices):
        URL = "url", _("Link")
        HANDLE = "handle", _("Account name")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=2048)
    added_by_reporter = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.value


class Message(BaseModel):
    """A message between the helpline and the reporter, read in the follow-up page."""

    class Direction(models.TextChoices):
        TO_REPORTER = "to_reporter", _("From the helpline")
        FROM_REPORTER = "from_reporter", _("From the reporter")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=20, choices=Direction.choices)
    body = models.TextField(_("message"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]


class Note(BaseModel):
    """An internal note, never shown to the reporter."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    body = models.TextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]


class SlaPolicy(BaseModel):
    """Service-level targets for one urgency, set by an admin."""

    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, unique=True)
    first_response_minutes = models.PositiveIntegerField(_("first response within (minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution within (minutes)"))

    class Meta:
        verbose_name = _("SLA target")

    def __str__(self) -> str:
        return str(self.urgency)
