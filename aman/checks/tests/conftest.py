from collections.abc import Callable
from typing import Any

import pytest

from aman.cases.tests.factories import submit_report


@pytest.fixture
def submit(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Submit a report and run what it queued after commit (the triage suggestion, the alert e-mail)."""

    def _submit(**overrides: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return submit_report(**overrides)

    return _submit
