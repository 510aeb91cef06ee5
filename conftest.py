import pytest
from django.core.cache import cache

from aman.accounts.models import Role
from aman.accounts.tests.factories import UserFactory
from aman.cases.tests.factories import submit_report


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    from aman.cases.sla import sla_cache_clear

    cache.clear()
    sla_cache_clear()


@pytest.fixture
def agent(db):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.AGENT, username="agent")


@pytest.fixture
def other_agent(db):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.AGENT, username="agent2")


@pytest.fixture
def supervisor(db):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.SUPERVISOR, username="supervisor")


@pytest.fixture
def admin_user(db):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.ADMIN, username="admin")


@pytest.fixture
def submission(db):  # type: ignore[no-untyped-def]
    return submit_report()


@pytest.fixture
def case(submission):  # type: ignore[no-untyped-def]
    return submission.case
