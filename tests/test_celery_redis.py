"""The SLA job through a real Celery worker and the Redis broker (as deployed at scale)."""

import contextlib
import gc
import os
import warnings
from datetime import timedelta

import pytest
from django.utils import timezone

from aman.audit.events import EventType
from aman.audit.models import AuditEvent
from aman.cases.models import Case
from aman.cases.tests.factories import case_factory
from aman.core.tests.redis import requires_redis

REDIS_URL = os.environ.get("AMAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


pytestmark = [*requires_redis]


def _forget_connections(app) -> None:  # type: ignore[no-untyped-def]
    """Close and drop what Celery caches from first use: the result backend (per thread, with its
    Redis client and result consumer) and the producer pools. An earlier in-process run leaves them
    pointing at no backend and the default broker; and a socket left open fails a later test
    (warnings are errors), so everything is closed, not just dropped."""
    backend = app._backend_cache or vars(app._local).get("backend")
    app._backend_cache = None
    vars(app._local).pop("backend", None)
    consumer = vars(backend).get("result_consumer") if backend is not None else None
    if consumer is not None:
        with contextlib.suppress(Exception):
            consumer.stop()
        pubsub = getattr(consumer, "_pubsub", None)
        if pubsub is not None:
            pubsub.close()
    client = vars(backend).get("client") if backend is not None else None
    if client is not None:
        client.connection_pool.disconnect()
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    producers = vars(app.amqp).pop("_producer_pool", None)
    if producers is not None:
        producers.force_close_all()
    # Celery's worker harness still drops a Redis socket or two without closing them; collect them
    # here, where they belong, instead of letting the garbage collector fail some later test.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


@pytest.fixture
def celery_worker_app():  # type: ignore[no-untyped-def]
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun
    from django.db import connections

    from config.celery import app

    # The app reads Django's CELERY_* settings: override them under those names.
    app.conf.update(
        CELERY_BROKER_URL=REDIS_URL,
        CELERY_RESULT_BACKEND=REDIS_URL,
        CELERY_TASK_ALWAYS_EAGER=False,
        CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP=False,
    )
    _forget_connections(app)

    def close_connection(**kwargs: object) -> None:
        # Runs in the worker thread: close its database connection, or the test database
        # cannot be dropped at the end of the run.
        connections.close_all()

    task_postrun.connect(close_connection, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10):
            yield app
    finally:
        task_postrun.disconnect(close_connection)
        app.conf.update(CELERY_TASK_ALWAYS_EAGER=True, CELERY_BROKER_URL="", CELERY_RESULT_BACKEND=None)
        _forget_connections(app)


@pytest.mark.django_db(transaction=True)
def test_sla_breaches_are_marked_by_a_celery_worker_over_redis(celery_worker_app) -> None:  # type: ignore[no-untyped-def]
    from aman.cases.tasks import sla_mark_breaches_task

    assert celery_worker_app.connection_for_write().as_uri().startswith("redis://")
    case = case_factory()
    past = timezone.now() - timedelta(days=30)
    Case.objects.filter(pk=case.pk).update(first_response_due=past, resolution_due=past)
    result = sla_mark_breaches_task.delay()
    assert result.get(timeout=90) == 2
    case.refresh_from_db()
    assert case.first_response_breached_at is not None
    assert AuditEvent.objects.filter(case=case, event_type=EventType.CASE_SLA_BREACHED).count() == 2
    # idempotent: a second run (a retry, or the next minute) records nothing new
    assert sla_mark_breaches_task.delay().get(timeout=90) == 0
