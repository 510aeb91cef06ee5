from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aman.audit.events import EventType


class AuditEvent(models.Model):
    """One append-only entry. Each entry carries the hash of the one before (a hash chain)."""

    sequence = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    actor_label = models.CharField(_("who"), max_length=150)
    # No choices on the column: the registry (events.py) grows with every app, and a new event
    # type must not need a migration of the log. audit_record only accepts EventType members.
    event_type = models.CharField(_("what"), max_length=60, db_index=True)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events")
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["sequence"]
        indexes = [models.Index(fields=["case", "sequence"], name="audit_case_idx")]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.event_type}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit events are append-only")

    def get_event_type_display(self) -> str:
        try:
            return str(EventType(self.event_type).label)
        except ValueError:
            return self.event_type


class AuditChainHead(models.Model):
    """The last sequence number and hash; locked while an event is appended."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"head #{self.sequence}"
