from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("Administrator")
    PROGRAMME_MANAGER = "programme_manager", _("Programme manager")
    TRAINER = "trainer", _("Trainer")


# Roles that work cases. Training roles (programme manager, trainer) never see a case.
HELPLINE_ROLES = (Role.AGENT, Role.SUPERVISOR, Role.ADMIN)


class User(AbstractUser):
    """A staff member. Reporters never have accounts."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True, default="")
    preferred_language = models.CharField(_("language"), max_length=8, blank=True, default="")

    class Meta:
        verbose_name = _("staff user")
        verbose_name_plural = _("staff users")

    @property
    def is_helpline_staff(self) -> bool:
        return self.is_active and self.role in HELPLINE_ROLES

    @property
    def can_see_all_cases(self) -> bool:
        return self.is_active and self.role in (Role.SUPERVISOR, Role.ADMIN)

    @property
    def can_read_audit(self) -> bool:
        return self.is_active and self.role in (Role.SUPERVISOR, Role.ADMIN)

    @property
    def can_administer(self) -> bool:
        return self.is_active and self.role == Role.ADMIN

    @property
    def can_manage_training(self) -> bool:
        """Programmes, workshops, the trainer pool, imports, certificates, dashboards."""
        return self.is_active and self.role in (Role.PROGRAMME_MANAGER, Role.ADMIN)

    @property
    def is_trainer(self) -> bool:
        return self.is_active and self.role == Role.TRAINER

    @property
    def can_use_training(self) -> bool:
        """Anyone with a training page to see: managers (and admins) and trainers."""
        return self.can_manage_training or self.is_trainer

    @property
    def can_sign_in(self) -> bool:
        """An active account with a role that has pages of its own."""
        return self.is_helpline_staff or self.can_use_training
