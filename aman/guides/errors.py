"""Errors that guide services raise; each has a stable code and a translated message."""

from django.utils.translation import gettext_lazy as _

from aman.core.errors import DomainError


class NotAllowed(DomainError):
    code = "not_allowed"
    status = 403
    message = _("You do not have permission to do this.")


class VersionNotDraft(DomainError):
    code = "version_not_draft"
    message = _("Only a draft can be reviewed, and only a draft or a reviewed version can be published.")


class NotLatestVersion(DomainError):
    code = "not_latest_version"
    message = _("A newer version of this guide exists in this language. Open the newest one.")


class SlugTaken(DomainError):
    code = "slug_taken"
    message = _("Another guide already uses this short name.")


class GuideNotAvailable(DomainError):
    code = "guide_not_available"
    message = _("This guide is not published in the reporter's language yet.")


class QuestionnaireMissing(DomainError):
    code = "questionnaire_missing"
    status = 503
    message = _("The risk questionnaire is not installed yet. Please try again later.")
