"""Fixtures for the API tests: staff of every kind with tokens, reports made through the API."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from aman.accounts.models import Role, User
from aman.audit.models import AuditEvent
from aman.cases.models import Case, Message, Note, ReportItem

PASSWORD = "a long synthetic password"

REPORT = {
    "category": "harassment_bullying",
    "platforms": ["instagram", "tiktok"],
    "items": ["https://instagram.com/p/synthetic1", "@synthetic_bully"],
    "description": "Someone keeps sending insulting messages to my sister. (synthetic test report)",
    "affected": "someone_else",
    "age_band": "18_plus",
    "in_danger_now": False,
    "contact": {"method": "email", "value": "reporter@example.org"},
    "consent": {"platform": True, "police": False, "hotline": False},
}


def make_user(username: str, role: str, *, active: bool = True) -> User:
    user = User(username=username, role=role, is_active=active)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def staff(db: Any) -> dict[str, User]:
    """One user of every kind the permission matrix covers."""
    return {
        "agent": make_user("api-agent", Role.AGENT),
        "other_agent": make_user("api-agent-2", Role.AGENT),
        "supervisor": make_user("api-supervisor", Role.SUPERVISOR),
        "admin": make_user("api-admin", Role.ADMIN),
        "inactive": make_user("api-inactive", Role.SUPERVISOR, active=False),
        "norole": make_user("api-norole", ""),
    }


@pytest.fixture
def as_user() -> Callable[[User | None], APIClient]:
    """A client that sends the user's API token (or none)."""

    def build(user: User | None) -> APIClient:
        api = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return api

    return build


@pytest.fixture
def submit(api: APIClient) -> Callable[..., dict[str, Any]]:
    """Submit a report through the API and return the 201 body."""

    def build(**overrides: Any) -> dict[str, Any]:
        response = api.post("/api/v1/reports", {**REPORT, **overrides}, format="json")
        assert response.status_code == 201, response.content
        return response.json()

    return build


@pytest.fixture
def report(submit: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return submit()


def snapshot() -> tuple[Any, ...]:
    """Everything a request could change: cases, their items, messages and notes, and the audit log."""
    cases = list(
        Case.objects.order_by("id").values_list(
            "reference",
            "status",
            "category",
            "urgency",
            "assignee_id",
            "minor_involved",
            "imminent_danger",
            "self_harm",
            "outcome",
            "consent_platform",
            "consent_police",
            "consent_hotline",
            "first_responded_at",
            "search_text",
        )
    )
    return (
        cases,
        ReportItem.objects.count(),
        Message.objects.count(),
        Note.objects.count(),
        AuditEvent.objects.count(),
    )
