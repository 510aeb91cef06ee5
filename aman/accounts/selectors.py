from typing import Any

from django.db.models import QuerySet

from aman.accounts.models import User


def user_list_manageable(*, user: Any) -> QuerySet[User]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.can_administer:
        return User.objects.none()
    return User.objects.order_by("username")


def user_get_manageable(*, user: Any, user_id: int) -> User | None:
    return user_list_manageable(user=user).filter(pk=user_id).first()
