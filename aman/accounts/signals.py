"""Sign-in events go to the audit log. (Wiring only: the service decides what is written.)"""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from aman.accounts.services import auth_record_failure, auth_record_sign_in, auth_record_sign_out


@receiver(user_logged_in)
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    auth_record_sign_in(user=user)


@receiver(user_logged_out)
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        auth_record_sign_out(user=user)


@receiver(user_login_failed)
def _failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    auth_record_failure(username=str(credentials.get("username", ""))[:150])
