from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from aman.accounts.models import Role, User
from aman.core import ratelimit
from aman.core.middleware import client_token


class RateLimitedAuthenticationForm(AuthenticationForm):
    """Sign-in that slows down guessing: failures are counted per user name and per client."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "rate_limited": _("Too many failed sign-ins. Wait a few minutes and try again."),
    }

    def clean(self) -> dict[str, Any]:
        username = (self.data.get("username") or "")[:150].lower()
        token = client_token(self.request) if self.request else ""
        limit = settings.AMAN_LOGIN_MAX_ATTEMPTS
        if ratelimit.is_blocked(scope="login-user", ident=username, limit=limit) or ratelimit.is_blocked(
            scope="login-client", ident=token, limit=limit * 3
        ):
            raise forms.ValidationError(self.error_messages["rate_limited"], code="rate_limited")
        try:
            return super().clean()
        except forms.ValidationError:
            ratelimit.hit(scope="login-user", ident=username, limit=limit, window_seconds=900)
            ratelimit.hit(scope="login-client", ident=token, limit=limit * 3, window_seconds=900)
            raise

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not user.can_sign_in:
            raise forms.ValidationError(self.error_messages["inactive"], code="inactive")


class UserCreateForm(forms.Form):
    username = forms.RegexField(label=_("User name"), regex=r"^[\w.@+-]{3,150}$", max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=128)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken."), code="taken")
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password"):
            try:
                validate_password(data["password"], User(username=data.get("username", "")))
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class UserEditForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    is_active = forms.BooleanField(label=_("Active"), required=False)
