"""Rate limits on the Redis cache, as deployed at scale: one window per scope and client, enforced
across processes (the counter lives in Redis), seen by is_blocked, cleared by reset, expiring."""

import os
import time
from collections.abc import Iterator

import pytest
import redis
from django.core.cache import cache
from django.test import override_settings

from aman.core import ratelimit
from aman.core.tests.redis import requires_redis

REDIS_URL = os.environ.get("AMAN_TEST_RATELIMIT_REDIS_URL", "redis://127.0.0.1:6379/12")


pytestmark = [*requires_redis]


@pytest.fixture
def redis_db() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    ):
        yield client
    client.flushdb()
    client.close()


def test_window_limit_is_blocked_and_reset(redis_db: redis.Redis) -> None:
    results = [ratelimit.hit(scope="t", ident="client-a", limit=3, window_seconds=60) for _ in range(5)]
    assert results == [True, True, True, False, False]
    assert ratelimit.hit(scope="t", ident="client-b", limit=3, window_seconds=60)  # another client
    assert ratelimit.hit(scope="other", ident="client-a", limit=3, window_seconds=60)  # another scope
    assert ratelimit.is_blocked(scope="t", ident="client-a", limit=3)
    assert not ratelimit.is_blocked(scope="t", ident="client-b", limit=3)
    # The counter is the cache's own key, with the window as its expiry, and no client identity in it.
    keys = [k.decode() for k in redis_db.keys("*")]
    assert len(keys) == 3 and not any("client-a" in k for k in keys)
    ttl = redis_db.ttl(cache.make_key(ratelimit._key("t", "client-a")))
    assert 0 < ttl <= 60
    ratelimit.reset(scope="t", ident="client-a")
    assert ratelimit.hit(scope="t", ident="client-a", limit=3, window_seconds=60)


def test_window_ends(redis_db: redis.Redis) -> None:
    assert ratelimit.hit(scope="t", ident="c", limit=1, window_seconds=60)
    assert not ratelimit.hit(scope="t", ident="c", limit=1, window_seconds=60)
    key = cache.make_key(ratelimit._key("t", "c"))
    redis_db.pexpire(key, 1)  # the window passes
    while redis_db.exists(key):
        time.sleep(0.005)
    assert ratelimit.hit(scope="t", ident="c", limit=1, window_seconds=60)
