"""Every audit event type, registered once. Data attached to an event never holds personal data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    REPORT_SUBMITTED = "report.submitted", _("Report submitted")
    REPORTER_VIEWED = "report.viewed_by_reporter", _("Reporter opened the follow-up page")
    REPORTER_REPLIED = "report.reporter_replied", _("Reporter sent a message")
    REPORTER_ADDED_ITEMS = "report.reporter_added_items", _("Reporter added links or accounts")
    REPORTER_CHANGED_CONSENT = "report.consent_changed", _("Reporter changed consent")
    FOLLOW_UP_FAILED = "report.follow_up_failed", _("Wrong follow-up code")
    CASE_VIEWED = "case.viewed", _("Case viewed")
    CASE_TRIAGED = "case.triaged", _("Case triaged")
    CASE_ASSIGNED = "case.assigned", _("Case assigned")
    CASE_STATUS_CHANGED = "case.status_changed", _("Status changed")
    CASE_REOPENED = "case.reopened", _("Case reopened")
    CASE_NOTE_ADDED = "case.note_added", _("Internal note added")
    CASE_MESSAGE_SENT = "case.message_sent", _("Message sent to the reporter")
    CASE_CONTACT_VIEWED = "case.contact_viewed", _("Reporter contact details viewed")
    CASE_EXPORTED = "case.exported", _("Case exported")
    CASE_SLA_BREACHED = "case.sla_breached", _("SLA target missed")
    CASE_PURGED = "case.purged", _("Reporter data purged (retention)")
    SIGNED_IN = "auth.signed_in", _("Signed in")
    SIGN_IN_FAILED = "auth.sign_in_failed", _("Failed sign-in")
    SIGNED_OUT = "auth.signed_out", _("Signed out")
    USER_CREATED = "user.created", _("User created")
    USER_CHANGED = "user.changed", _("User changed")
    SETTINGS_CHANGED = "settings.changed", _("Settings changed")
    AUDIT_VIEWED = "audit.viewed", _("Audit log viewed")
    AUDIT_EXPORTED = "audit.exported", _("Audit log exported")
    CONTACT_KEYS_ROTATED = "security.contact_keys_rotated", _("Contact encryption keys rotated")


# Events shown in a case's timeline (views are in the audit log, not the timeline).
TIMELINE_EXCLUDED = frozenset({EventType.CASE_VIEWED, EventType.REPORTER_VIEWED, EventType.CASE_CONTACT_VIEWED})
