"""Check counters with the Redis cache, as deployed at scale: counted in Redis on the request path,
moved to PostgreSQL by the flush task, shown to admins with what is still pending, never lost."""

import json
import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.test import Client, override_settings
from django.utils import timezone

from aman.checks import counters
from aman.checks.models import CheckDailyCount
from aman.checks.tasks import checks_counts_flush_task
from aman.checks.tests.factories import HOSTILE_AR, new_key
from aman.core.tests.redis import requires_redis

REDIS_URL = os.environ.get("AMAN_TEST_COUNTERS_REDIS_URL", "redis://127.0.0.1:6379/13")


pytestmark = [pytest.mark.django_db, *requires_redis]


def _caches(url: str) -> dict[str, Any]:
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}


@pytest.fixture
def redis_cache() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    with override_settings(CACHES=_caches(REDIS_URL)):
        yield client
    client.flushdb()
    client.close()


def check(secret: str, text: str = HOSTILE_AR) -> dict[str, Any]:
    response = Client().post(
        "/api/v1/check",
        json.dumps({"text": text}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {secret}",
    )
    assert response.status_code == 200, response.content
    return response.json()


def outcome(secret: str, check_id: str, what: str) -> None:
    body = json.dumps({"check_id": check_id, "outcome": what})
    Client().post(
        "/api/v1/check/outcome", body, content_type="application/json", HTTP_AUTHORIZATION=f"Api-Key {secret}"
    )


def test_counted_in_redis_shown_at_once_and_moved_to_the_database(redis_cache: redis.Redis, admin_user: Any) -> None:
    made = new_key()
    first = check(made.secret)
    check(made.secret, "Great video, thanks for sharing")
    outcome(made.secret, first["check_id"], "shown")
    outcome(made.secret, first["check_id"], "edited")
    # Nothing written to the database on the request path...
    assert not CheckDailyCount.objects.exists()
    # ...but the admin already sees the counts.
    client = Client()
    client.force_login(admin_user)
    page = client.get(f"/console/integrations/{made.api_key.pk}/")
    assert page.status_code == 200
    from aman.checks.selectors import apikey_counts

    assert apikey_counts(api_key=made.api_key)["totals"] == {
        "checks": 2, "reconsider": 1, "shown": 1, "edited": 1, "posted_anyway": 0,
    }  # fmt: skip
    # The flush moves them, once.
    assert checks_counts_flush_task() == 1
    assert checks_counts_flush_task() == 0
    row = CheckDailyCount.objects.get(api_key=made.api_key, day=timezone.localdate())
    assert (row.checks, row.reconsider, row.shown, row.edited, row.posted_anyway) == (2, 1, 1, 1, 0)
    assert redis_cache.keys("aman:checks:counts:*") == []
    # Later checks add to the row, and reads are never counted twice.
    check(made.secret)
    assert apikey_counts(api_key=made.api_key)["totals"]["checks"] == 3
    checks_counts_flush_task()
    row.refresh_from_db()
    assert row.checks == 3 and apikey_counts(api_key=made.api_key)["totals"]["checks"] == 3


def _checks_seen(made: Any) -> int:
    from aman.checks.selectors import apikey_counts

    return apikey_counts(api_key=made.api_key)["totals"]["checks"]


def test_a_failed_database_write_keeps_the_batch_for_the_next_run(
    redis_cache: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = new_key()
    check(made.secret)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("database unavailable")

    monkeypatch.setattr(counters, "_db_add", broken)
    with pytest.raises(OSError):
        counters.counts_flush()
    monkeypatch.undo()
    assert not CheckDailyCount.objects.exists()
    # The batch waits in Redis; the console still counts it, and new checks add beside it.
    assert _checks_seen(made) == 1
    check(made.secret)
    assert _checks_seen(made) == 2
    # The next run moves the waiting batch and the new counts, each once.
    assert counters.counts_flush() == 2
    assert CheckDailyCount.objects.get(api_key=made.api_key).checks == 2
    assert counters.counts_flush() == 0
    assert _checks_seen(made) == 2
    assert redis_cache.keys("aman:checks:counts:*") == []


def test_a_flush_that_stops_after_the_commit_does_not_count_twice(
    redis_cache: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = new_key()
    check(made.secret)
    check(made.secret)

    def stopped(*args: Any) -> None:
        raise redis.ConnectionError("the worker died here")

    monkeypatch.setattr(counters, "_forget_batch", stopped)
    with pytest.raises(redis.ConnectionError):
        counters.counts_flush()
    monkeypatch.undo()
    # The row has the batch and Redis still holds it: reads do not add it twice...
    assert CheckDailyCount.objects.get(api_key=made.api_key).checks == 2
    assert _checks_seen(made) == 2
    # ...and the next run recognises its token and only cleans up.
    assert counters.counts_flush() == 0
    assert CheckDailyCount.objects.get(api_key=made.api_key).checks == 2
    assert redis_cache.keys("aman:checks:counts:*") == []


def test_a_flush_that_stops_after_taking_is_finished_by_the_next(
    redis_cache: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = new_key()
    check(made.secret)
    calls = {"n": 0}
    real = counters._apply_flushing

    def dies_after_taking(client: redis.Redis) -> int:
        calls["n"] += 1
        if calls["n"] == 2:  # the first call finds nothing left over; the second would move the batch
            raise SystemExit("killed")
        return real(client)

    monkeypatch.setattr(counters, "_apply_flushing", dies_after_taking)
    with pytest.raises(SystemExit):
        counters.counts_flush()
    monkeypatch.undo()
    assert not CheckDailyCount.objects.exists()
    assert redis_cache.smembers(counters.FLUSHING)  # taken, not yet moved
    assert _checks_seen(made) == 1
    assert counters.counts_flush() == 1
    assert CheckDailyCount.objects.get(api_key=made.api_key).checks == 1
    assert redis_cache.keys("aman:checks:counts:*") == []


def test_redis_down_counts_in_the_database() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    made = new_key()
    with pytest.raises(redis.ConnectionError):
        redis.Redis.from_url(f"redis://127.0.0.1:{port}/0").ping()
    with override_settings(CACHES=_caches(f"redis://127.0.0.1:{port}/0")):
        counters.count_add(api_key_id=made.api_key.pk, day=timezone.localdate(), increments={"checks": 1})
        assert counters.counts_pending(api_key_id=made.api_key.pk, days=[timezone.localdate()]) == {}
    assert CheckDailyCount.objects.get(api_key=made.api_key).checks == 1


def test_unknown_counter_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown"):
        counters.count_add(api_key_id=1, day=timezone.localdate(), increments={"likes": 1})
