"""Concurrent retries of one report (same Idempotency-Key) store it exactly once."""

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from aman.api.tests.conftest import REPORT
from aman.audit.events import EventType
from aman.audit.models import AuditEvent
from aman.audit.services import audit_chain_verify
from aman.cases.models import Case

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a server database (run with DATABASE_URL=postgres://…)"
)

THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_store_one_case() -> None:
    key = str(uuid.uuid4())

    def post(_: int) -> tuple[int, dict[str, Any]]:
        try:
            response = APIClient().post("/api/v1/reports", REPORT, format="json", HTTP_IDEMPOTENCY_KEY=key)
            return response.status_code, response.json()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        answers = list(pool.map(post, range(THREADS)))

    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] * (THREADS - 1) + [201], answers
    assert len({body["reference"] for _, body in answers}) == 1
    assert Case.objects.count() == 1
    assert AuditEvent.objects.filter(event_type=EventType.REPORT_SUBMITTED).count() == 1
    assert audit_chain_verify().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_distinct_reports_are_all_stored() -> None:
    def post(_: int) -> tuple[int, str]:
        try:
            response = APIClient().post(
                "/api/v1/reports", REPORT, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
            )
            return response.status_code, response.json()["reference"]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        answers = list(pool.map(post, range(THREADS * 2)))

    assert {status for status, _ in answers} == {201}
    assert Case.objects.count() == len({ref for _, ref in answers}) == THREADS * 2
    assert audit_chain_verify().ok
