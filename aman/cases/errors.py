"""Errors that case services raise; each has a stable code and a translated message."""

from django.utils.translation import gettext_lazy as _

from aman.core.errors import DomainError


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"
    message = _("This change of status is not allowed from the case's current status.")


class OutcomeRequired(DomainError):
    code = "outcome_required"
    message = _("Choose an outcome before resolving the case.")


class ReasonRequired(DomainError):
    code = "reason_required"
    message = _("Give a reason for reopening the case.")


class AssignmentNotAllowed(DomainError):
    code = "assignment_not_allowed"
    status = 403
    message = _("You can only assign cases to yourself. A supervisor can assign them to others.")


class AssigneeNotStaff(DomainError):
    code = "assignment_not_allowed"
    message = _("Cases can only be assigned to active helpline staff.")


class InvalidChoice(DomainError):
    code = "invalid_choice"
    message = _("This value is not one of the allowed choices.")


class CasePurged(DomainError):
    code = "case_purged"
    message = _("This case's personal data has been purged under the retention policy.")
