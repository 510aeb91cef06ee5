"""Domain errors of the hash banks: a stable code and a translated message."""

from django.utils.translation import gettext_lazy as _

from aman.core.errors import DomainError


class DuplicateHash(DomainError):
    code = "duplicate_hash"
    message = _("This hash is already in the bank.")


class AlreadyWithdrawn(DomainError):
    code = "already_withdrawn"
    message = _("This hash has already been withdrawn.")


class ReasonRequired(DomainError):
    code = "reason_required"
    message = _("Please give a reason for the withdrawal.")


class NotPending(DomainError):
    code = "not_pending"
    message = _("This hash is not waiting for review.")


class ImportFailed(DomainError):
    code = "import_failed"
    message = _("Nothing was imported: some lines need fixing first.")

    def __init__(self, *, errors: list[tuple[int, str]], error_count: int) -> None:
        super().__init__()
        self.errors = errors
        self.error_count = error_count


class NothingToBank(DomainError):
    code = "nothing_to_bank"
    message = _("There is no usable hash to keep for this file.")


class ConsentRequired(DomainError):
    code = "consent_required"
    message = _("Please tick the box to agree before we keep the codes of your picture.")
