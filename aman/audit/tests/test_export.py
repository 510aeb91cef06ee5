"""The audit CSV export is safe to open in a spreadsheet."""

from typing import Any

import pytest
from django.test import Client

from aman.accounts.models import Role
from aman.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_user_name_that_looks_like_a_formula_is_quoted(supervisor: Any) -> None:
    UserFactory(username="+cmd", role=Role.AGENT)
    client = Client()
    client.force_login(UserFactory(username="@sum", role=Role.SUPERVISOR))
    body = b"".join(client.get("/console/audit/?format=csv").streaming_content).decode()
    rows = [line.split(",")[2] for line in body.splitlines()[1:]]
    assert "'@sum" in rows
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in rows)
