"""Errors that escalation services raise; each has a stable code and a translated message."""

from django.utils.translation import gettext_lazy as _

from aman.core.errors import DomainError


class ConsentMissing(DomainError):
    code = "consent_missing"
    status = 403
    message = _(
        "The reporter has not consented to this. Only a supervisor can send it anyway, "
        "with a written reason (for example, a child in danger)."
    )


class OverrideNotAllowed(DomainError):
    code = "override_not_allowed"
    status = 403
    message = _("Only a supervisor or an administrator can send without the reporter's consent.")


class OverrideReasonRequired(DomainError):
    code = "override_reason_required"
    message = _("Write why this must be sent without the reporter's consent.")


class ApprovalNotAllowed(DomainError):
    code = "approval_not_allowed"
    status = 403
    message = _("Only a supervisor or an administrator can approve a police hand-off.")


class ContactReasonRequired(DomainError):
    code = "contact_reason_required"
    message = _("Write why the reporter's contact details must go to the police.")


class PartnerInactive(DomainError):
    code = "partner_inactive"
    message = _("This partner is not active. Choose another one or ask an administrator.")


class NothingToReport(DomainError):
    code = "nothing_to_report"
    message = _("Choose at least one link, account or piece of evidence.")


class ExplanationRequired(DomainError):
    code = "explanation_required"
    message = _("Explain why the content is illegal or against the partner's rules.")


class WrongState(DomainError):
    code = "wrong_state"
    message = _("This cannot be done at this stage of the escalation.")


class NoImageCopies(DomainError):
    code = "no_image_copies"
    message = _(
        "Intimate images and child sexual abuse material are never sent as files. Send the links and accounts only."
    )


class InvalidChoice(DomainError):
    code = "invalid_choice"
    message = _("This value is not one of the allowed choices.")


class GroundReferenceRequired(DomainError):
    code = "ground_reference_required"
    message = _("Name the law or the part of the terms and conditions the partner relied on.")


class DecisionDateInvalid(DomainError):
    code = "decision_date_invalid"
    message = _("The date of the decision must be after the escalation was sent and not in the future.")


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"
    status = 409
    message = _("This Idempotency-Key was already used for a different request. Use a new key for a new answer.")


class LinkCheckNotAllowed(DomainError):
    code = "nothing_to_check"
    message = _("This escalation has no links to check yet: links are checked once it has been sent.")
