from typing import Any

from rest_framework.permissions import BasePermission


class IsStaffMember(BasePermission):
    """Active helpline staff with a role. Fails closed for everyone else."""

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return bool(user and getattr(user, "is_authenticated", False) and user.is_helpline_staff)


class CanReadAudit(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return bool(user and getattr(user, "is_authenticated", False) and user.can_read_audit)
