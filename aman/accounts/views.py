"""Sign-in and sign-out; users and settings pages for admins."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.forms import modelformset_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aman.accounts import services
from aman.accounts.forms import RateLimitedAuthenticationForm, UserCreateForm, UserEditForm
from aman.accounts.home import home_url_for
from aman.accounts.selectors import user_get_manageable, user_list_manageable
from aman.cases.models import SlaPolicy
from aman.cases.sla import sla_ensure_policies
from aman.core.models import EmergencyNumber
from aman.core.permissions import admin_required


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = RateLimitedAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        """Each role lands on its own home: the case queue refuses training roles."""
        return home_url_for(self.request.user)

    def get_redirect_url(self) -> str:
        # A ``next`` left by a page this role cannot open (e.g. the queue, for a trainer) is dropped.
        url = super().get_redirect_url()
        user = self.request.user
        if url and getattr(user, "is_authenticated", False) and not user.is_helpline_staff:  # type: ignore[union-attr]
            return url if url.startswith("/console/training/") else ""
        return url


class SignOutView(auth_views.LogoutView):
    pass


@require_http_methods(["GET", "POST"])
@admin_required
def users(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_create(acting_user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("User created."))
        return redirect("accounts:users")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "accounts/users.html", {"form": form, "users": user_list_manageable(user=request.user)}, status=status
    )


@require_http_methods(["GET", "POST"])
@admin_required
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    target = user_get_manageable(user=request.user, user_id=user_id)
    if target is None:
        raise Http404
    form = UserEditForm(request.POST or None, initial={"role": target.role, "is_active": target.is_active})
    if request.method == "POST" and form.is_valid():
        if target.pk == request.user.pk and (
            form.cleaned_data["role"] != target.role or not form.cleaned_data["is_active"]
        ):
            messages.error(request, _("You cannot change your own role or deactivate yourself."))
        else:
            services.user_update(user=target, acting_user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            messages.success(request, _("User saved."))
            return redirect("accounts:users")
    return render(request, "accounts/user_edit.html", {"form": form, "target": target})


SlaFormSet: Any = modelformset_factory(SlaPolicy, fields=["first_response_minutes", "resolution_minutes"], extra=0)
EmergencyFormSet: Any = modelformset_factory(
    EmergencyNumber,
    fields=["label_ar", "label_fr", "label_ckb", "label_en", "number", "sort_order", "active"],
    extra=1,
    can_delete=True,
)


@require_http_methods(["GET", "POST"])
@admin_required
def site_settings(request: HttpRequest) -> HttpResponse:
    sla_ensure_policies()
    sla_formset = SlaFormSet(request.POST or None, prefix="sla", queryset=SlaPolicy.objects.order_by("id"))
    emergency_formset = EmergencyFormSet(
        request.POST or None, prefix="emergency", queryset=EmergencyNumber.objects.all()
    )
    if request.method == "POST":
        if sla_formset.is_valid() and emergency_formset.is_valid():
            services.settings_save(acting_user=request.user, formsets=[sla_formset, emergency_formset])  # type: ignore[arg-type]
            messages.success(request, _("Settings saved."))
            return redirect("accounts:settings")
        return render(
            request,
            "accounts/settings.html",
            {"sla_formset": sla_formset, "emergency_formset": emergency_formset},
            status=400,
        )
    return render(
        request, "accounts/settings.html", {"sla_formset": sla_formset, "emergency_formset": emergency_formset}
    )
