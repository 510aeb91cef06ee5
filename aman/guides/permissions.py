"""Who may do what with guides and assessments. Anything not listed is refused (fail closed)."""

from typing import Any

from aman.accounts.models import Role
from aman.core.permissions import role_required


def _active(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def can_write_guides(user: Any) -> bool:
    """Helpline staff (agents included) write drafts."""
    return _active(user) and user.is_helpline_staff


def can_publish_guides(user: Any) -> bool:
    """Supervisors and admins create guides, change their details, review and publish."""
    return _active(user) and user.role in (Role.SUPERVISOR, Role.ADMIN)


def can_run_assessments(user: Any) -> bool:
    """Supervisors and admins keep organisations and their risk assessments."""
    return _active(user) and user.role in (Role.SUPERVISOR, Role.ADMIN)


guide_writer_required = role_required(can_write_guides)
assessor_required = role_required(can_run_assessments)
