"""Staff accounts: sign-in records, and users and roles managed by admins."""

from typing import Any

from django.db import transaction

from aman.accounts.models import User
from aman.audit.events import EventType
from aman.audit.services import audit_record
from aman.cases.sla import sla_cache_clear


def auth_record_sign_in(*, user: User) -> None:
    audit_record(event_type=EventType.SIGNED_IN, actor=user)


def auth_record_sign_out(*, user: User) -> None:
    audit_record(event_type=EventType.SIGNED_OUT, actor=user)


def auth_record_failure(*, username: str) -> None:
    known = User.objects.filter(username=username).first()
    audit_record(
        event_type=EventType.SIGN_IN_FAILED,
        actor_label="anonymous",
        data={"username": username if known else "(unknown user)"},
    )


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    acting_user: User,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    user = User(username=username, role=role, first_name=first_name, last_name=last_name, email=email)
    user.set_password(password)
    user.save()
    audit_record(event_type=EventType.USER_CREATED, actor=acting_user, data={"user": username, "role": role})
    return user


@transaction.atomic
def user_update(*, user: User, acting_user: User, **changes: Any) -> User:
    allowed = {"role", "is_active", "first_name", "last_name", "email"}
    diff: dict[str, Any] = {}
    for field, value in changes.items():
        if field not in allowed:
            raise ValueError(field)
        if getattr(user, field) != value:
            diff[field] = [getattr(user, field), value] if field in {"role", "is_active"} else "changed"
            setattr(user, field, value)
    if diff:
        user.save()
        audit_record(
            event_type=EventType.USER_CHANGED, actor=acting_user, data={"user": user.username, "changes": diff}
        )
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str, acting_user: User) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        event_type=EventType.USER_CHANGED,
        actor=acting_user,
        data={"user": user.username, "changes": {"password": "changed"}},
    )


@transaction.atomic
def settings_save(*, acting_user: User, formsets: list[Any]) -> None:
    """Save admin settings (SLA targets, emergency numbers) and audit what changed."""
    changed: list[str] = []
    for formset in formsets:
        if formset.has_changed():
            formset.save()
            changed.append(formset.prefix)
    if changed:
        sla_cache_clear()
        audit_record(event_type=EventType.SETTINGS_CHANGED, actor=acting_user, data={"sections": changed})
