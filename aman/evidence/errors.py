"""Why a file was refused. Each message is shown to a reporter or an agent as it is: kind and plain."""

from django.utils.translation import gettext_lazy as _

from aman.core.errors import DomainError


class EvidenceRejected(DomainError):
    code = "evidence_rejected"
    status = 400


class FileEmpty(EvidenceRejected):
    code = "file_empty"
    message = _("The file is empty.")


class FileTooLarge(EvidenceRejected):
    code = "file_too_large"
    status = 413
    message = _("The file is too large.")


class CaseEvidenceFull(EvidenceRejected):
    code = "case_evidence_full"
    status = 413
    message = _(
        "This report already holds as much evidence as we can store. Please tell us in a message what else you have."
    )


class TooManyFiles(EvidenceRejected):
    code = "too_many_files"
    message = _("Too many files at once. Please send them in smaller groups.")


class UnsupportedType(EvidenceRejected):
    code = "unsupported_type"
    status = 415
    message = _(
        "We cannot accept this kind of file. Please send pictures (JPEG, PNG, WebP, HEIC), "
        "short videos (MP4), PDF documents or exported chats as text."
    )


class LooksLikeWebPage(EvidenceRejected):
    code = "looks_like_web_page"
    status = 415
    message = _("This file is a web page or a script, not a picture or a document, so we cannot accept it.")


class ArchiveRefused(EvidenceRejected):
    code = "archive_refused"
    status = 415
    message = _("Compressed archives (ZIP and similar) are not accepted. Please send the files themselves.")


class FileDamaged(EvidenceRejected):
    code = "file_damaged"
    message = _("The file seems damaged or incomplete. Please try sending it again.")


class ImageTooLarge(EvidenceRejected):
    code = "image_too_large"
    status = 413
    message = _("The picture is too large in size (too many pixels). Please send a screenshot or a smaller copy.")


class EvidenceNotFound(DomainError):
    code = "evidence_not_found"
    status = 404
    message = _("Evidence not found.")


class EvidenceUnavailable(DomainError):
    code = "evidence_unavailable"
    status = 410
    message = _("This evidence has been deleted under the retention policy.")


class NothingChosen(DomainError):
    code = "nothing_chosen"
    message = _("Choose at least one piece of evidence.")
