"""Per key and day counters of the check endpoint: in Redis on the request path, in PostgreSQL for good.

Every check adds to two counters of one row (``CheckDailyCount``). Updating that row on every
request costs a transaction and serialises all of an integrator's checks on one row lock; so when
the cache is Redis, a check adds to a Redis hash instead (one round trip, pipelined), and
``counts_flush`` (Celery beat, every minute) moves what has gathered into PostgreSQL. Reads add
what is still waiting in Redis, so the console's figures are never behind.

Without Redis (the embedded default, tests) the row is updated directly. If Redis fails, the
count goes to the database: a count is never dropped because the cache is down. A Redis that
loses its memory loses at most the last minute of counts, never a report or a check's answer.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date
from typing import Any

import redis
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from aman.checks.models import ApiKey, CheckDailyCount
from aman.core.redis_cache import cache_redis

logger = logging.getLogger(__name__)

FIELDS = ("checks", "reconsider", "shown", "edited", "posted_anyway")
DIRTY = "aman:checks:counts:dirty"
KEEP_SECONDS = 8 * 24 * 3600  # a forgotten hash goes away on its own after a week


def _hash_key(api_key_id: int, day: date) -> str:
    return f"aman:checks:counts:{api_key_id}:{day.isoformat()}"


def _db_add(api_key_id: int, day: date, increments: dict[str, int]) -> None:
    """Add to the row (one UPDATE in the common case). On PostgreSQL the commit does not wait for
    the WAL to reach the disk (``synchronous_commit`` off for this transaction only)."""
    increments = {k: v for k, v in increments.items() if v}
    if not increments:
        return
    updates = {name: F(name) + value for name, value in increments.items()}
    rows = CheckDailyCount.objects.filter(api_key_id=api_key_id, day=day)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        if rows.update(**updates):
            return
    try:
        with transaction.atomic():
            CheckDailyCount.objects.create(api_key_id=api_key_id, day=day, **increments)
    except IntegrityError:  # made by a concurrent request in between
        rows.update(**updates)


def count_add(*, api_key_id: int, day: date, increments: dict[str, int]) -> None:
    """Add to a key's counters for the day."""
    unknown = set(increments) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown counters {sorted(unknown)}")
    client = cache_redis()
    if client is None:
        _db_add(api_key_id, day, increments)
        return
    key = _hash_key(api_key_id, day)
    try:
        pipe = client.pipeline(transaction=False)
        for name, value in increments.items():
            if value:
                pipe.hincrby(key, name, value)
        pipe.expire(key, KEEP_SECONDS)
        pipe.sadd(DIRTY, f"{api_key_id}:{day.isoformat()}")
        pipe.execute()
    except Exception:  # Redis down or slow: the database keeps the count instead
        logger.warning("check counters: Redis unavailable, counting in the database", exc_info=True)
        _db_add(api_key_id, day, increments)


def _ints(raw: dict[Any, Any]) -> dict[str, int]:
    out = {}
    for name, value in raw.items():
        name = name.decode() if isinstance(name, bytes) else str(name)
        if name in FIELDS:
            out[name] = int(value)
    return out


def counts_pending(*, api_key_id: int, days: list[date]) -> dict[date, dict[str, int]]:
    """What has been counted in Redis and not yet moved to the database, per day."""
    client = cache_redis()
    if client is None or not days:
        return {}
    try:
        pipe = client.pipeline(transaction=False)
        for day in days:
            pipe.hgetall(_hash_key(api_key_id, day))
        found = pipe.execute()
    except Exception:
        logger.warning("check counters: Redis unavailable, showing the database's counts", exc_info=True)
        return {}
    return {day: _ints(raw) for day, raw in zip(days, found, strict=True) if raw}


def counts_flush() -> int:
    """Move every pending counter from Redis into PostgreSQL. Returns the number of rows touched.

    Each hash is renamed before it is read, so counts added meanwhile start a new hash (and mark it
    dirty again) and are moved on the next run; if the database write fails, the taken counts are
    added back to Redis, so nothing is lost or counted twice.
    """
    client = cache_redis()
    if client is None:
        return 0
    touched = 0
    for member in client.smembers(DIRTY):
        member = member.decode() if isinstance(member, bytes) else str(member)
        client.srem(DIRTY, member)
        key_id, _, day_text = member.partition(":")
        try:
            api_key_id, day = int(key_id), date.fromisoformat(day_text)
        except ValueError:
            continue
        key = _hash_key(api_key_id, day)
        taken = f"{key}:flushing:{uuid.uuid4().hex}"
        try:
            client.rename(key, taken)
        except redis.ResponseError:  # no such key: nothing to move (already moved, or expired)
            continue
        increments = _ints(client.hgetall(taken))
        if not ApiKey.objects.filter(pk=api_key_id).exists():  # a deleted key's counts go with it
            client.delete(taken)
            continue
        try:
            _db_add(api_key_id, day, increments)
        except Exception:
            pipe = client.pipeline(transaction=False)
            for name, value in increments.items():
                pipe.hincrby(key, name, value)
            pipe.expire(key, KEEP_SECONDS)
            pipe.sadd(DIRTY, member)
            pipe.delete(taken)
            pipe.execute()
            raise
        client.delete(taken)
        touched += 1
    return touched
