from django.utils.translation import gettext_lazy as _

from aman.core.errors import DomainError


class RegistrationClosed(DomainError):
    code = "registration_closed"
    message = _("Registration for this workshop is closed.")


class WorkshopFull(DomainError):
    code = "workshop_full"
    message = _("This workshop is full. Please ask the organisers about the next one.")


class ImportTooLarge(DomainError):
    code = "import_too_large"
    message = _("The file is too large.")


class NotEligible(DomainError):
    code = "not_eligible"
    message = _("Certificates are only made for participants marked present.")


class AlreadyRecorded(DomainError):
    code = "already_recorded"
    message = _("This participant's answers for this quiz are already recorded.")
