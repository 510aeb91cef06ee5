"""The case state machine: every allowed transition, as data, in one place."""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "new", _("New")
    TRIAGED = "triaged", _("Triaged")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting on reporter")
    ESCALATED = "escalated", _("Escalated")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.TRIAGED, Status.CLOSED}),
    Status.TRIAGED: frozenset({Status.IN_PROGRESS, Status.WAITING, Status.ESCALATED, Status.RESOLVED}),
    Status.IN_PROGRESS: frozenset({Status.WAITING, Status.ESCALATED, Status.RESOLVED}),
    Status.WAITING: frozenset({Status.IN_PROGRESS, Status.ESCALATED, Status.RESOLVED}),
    Status.ESCALATED: frozenset({Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.IN_PROGRESS}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
}

# Moving out of these states is a reopen: it needs a reason and is audited as such.
REOPEN_FROM = frozenset({Status.RESOLVED, Status.CLOSED})
# Entering this state needs an outcome.
NEEDS_OUTCOME = frozenset({Status.RESOLVED})
OPEN_STATES = frozenset({Status.NEW, Status.TRIAGED, Status.IN_PROGRESS, Status.WAITING, Status.ESCALATED})

# What a reporter reads, in plain words.
StrOrPromise = str | Promise

REPORTER_STATUS: dict[str, StrOrPromise] = {
    Status.NEW: _("We have received your report. A member of our team will read it soon."),
    Status.TRIAGED: _("Our team has read your report and is deciding the next steps."),
    Status.IN_PROGRESS: _("Our team is working on your report."),
    Status.WAITING: _("We have sent you a message and are waiting for your reply."),
    Status.ESCALATED: _("We have passed your report to a partner who can act on it, and we are following it up."),
    Status.RESOLVED: _("We have finished working on your report. Read our last message below."),
    Status.CLOSED: _("This report is closed. You can still send us a message if you need more help."),
}


def allowed_transitions(status: str) -> frozenset[str]:
    return TRANSITIONS.get(status, frozenset())


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in allowed_transitions(from_status)
