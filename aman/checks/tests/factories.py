"""Test data for aman.checks: API keys made through the service, so the secret is known."""

from typing import Any

from aman.accounts.models import Role
from aman.accounts.tests.factories import UserFactory
from aman.checks.services import apikey_create
from aman.checks.services.keys import NewKey


def new_key(**overrides: Any) -> NewKey:
    admin = overrides.pop("acting_user", None) or UserFactory(role=Role.ADMIN)
    options: dict[str, Any] = {"name": "Comments app", "allowed_origins": ["https://comments.example.org"]}
    options.update(overrides)
    return apikey_create(acting_user=admin, **options)


HOSTILE_AR = "يا حمار يا غبي يا حقير، والله لأكسر راسك إذا شفتك"
FRIENDLY_AR = "مبروك على النجاح، الله يوفقك دائماً"
