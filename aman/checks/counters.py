"""Per key and day counters of the check endpoint: in Redis on the request path, in PostgreSQL for good.

Every check adds to two counters of one row (``CheckDailyCount``). Updating that row on every
request costs a transaction and serialises all of an integrator's checks on one row lock; so when
the cache is Redis, a check adds to a Redis hash instead (one round trip, pipelined), and
``counts_flush`` (Celery beat, every minute) moves what has gathered into PostgreSQL. Reads add
what is still waiting in Redis, so the console's figures are never behind.

Without Redis (the embedded default, tests) the row is updated directly. If Redis fails, the
count goes to the database: a count is never dropped because the cache is down. A flush that
stops anywhere (a crash, a failed database write) is finished by the next one, and no batch is
added twice (``CheckCountFlush``). A Redis that loses its memory loses at most the last minute of
counts, never a report or a check's answer.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import redis
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from aman.checks.models import ApiKey, CheckCountFlush, CheckDailyCount
from aman.core.redis_cache import cache_redis

logger = logging.getLogger(__name__)

FIELDS = ("checks", "reconsider", "shown", "edited", "posted_anyway")
DIRTY = "aman:checks:counts:dirty"
FLUSHING = "aman:checks:counts:flushing"
KEEP_SECONDS = 8 * 24 * 3600  # a forgotten hash goes away on its own after a week


def _hash_key(api_key_id: int, day: date) -> str:
    return f"aman:checks:counts:{api_key_id}:{day.isoformat()}"


def _db_add(api_key_id: int, day: date, increments: dict[str, int], *, durable: bool = False) -> None:
    """Add to the row (one UPDATE in the common case). On PostgreSQL the commit of a single check's
    count does not wait for the WAL to reach the disk (``synchronous_commit`` off for this
    transaction only); a flushed batch (``durable``) does, since Redis lets go of it afterwards."""
    increments = {k: v for k, v in increments.items() if v}
    if not increments:
        return
    updates = {name: F(name) + value for name, value in increments.items()}
    rows = CheckDailyCount.objects.filter(api_key_id=api_key_id, day=day)
    with transaction.atomic():
        if connection.vendor == "postgresql" and not durable:
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


def _pending_hashes(client: Any, keys: list[str]) -> list[dict[str, int]]:
    """Each key's counts still in Redis: the live hash plus a batch being moved, unless that batch
    already reached the database (a flush that stopped before its clean-up)."""
    pipe = client.pipeline(transaction=False)
    for key in keys:
        pipe.hgetall(key)
        pipe.hgetall(_taken_key(key))
    found = pipe.execute()
    taken = [found[i + 1] for i in range(0, len(found), 2)]
    tokens = {_token(raw) for raw in taken if raw}
    applied = set(CheckCountFlush.objects.filter(token__in=tokens).values_list("token", flat=True)) if tokens else set()
    out = []
    for i in range(0, len(found), 2):
        counts = _ints(found[i])
        if found[i + 1] and _token(found[i + 1]) not in applied:
            for name, value in _ints(found[i + 1]).items():
                counts[name] = counts.get(name, 0) + value
        out.append(counts)
    return out


def counts_pending(*, api_key_id: int, days: list[date]) -> dict[date, dict[str, int]]:
    """What has been counted in Redis and not yet moved to the database, per day."""
    client = cache_redis()
    if client is None or not days:
        return {}
    try:
        found = _pending_hashes(client, [_hash_key(api_key_id, day) for day in days])
    except redis.RedisError:
        logger.warning("check counters: Redis unavailable, showing the database's counts", exc_info=True)
        return {}
    return {day: counts for day, counts in zip(days, found, strict=True) if counts}


def _taken_key(key: str) -> str:
    return f"{key}:flushing"


def _token(raw: dict[Any, Any]) -> str:
    value = raw.get(b"_token", raw.get("_token", b""))
    return value.decode() if isinstance(value, bytes) else str(value)


# Atomically: the live hash becomes the batch being moved, stamped with a token, and the member
# goes from the dirty set to the flushing set. Counts added afterwards start a new live hash and
# mark the member dirty again. A batch left by a stopped flush is finished first, never merged.
_TAKE = """
if redis.call('EXISTS', KEYS[4]) == 1 then
  redis.call('SADD', KEYS[2], ARGV[1])
  return 2
end
redis.call('SREM', KEYS[1], ARGV[1])
if redis.call('EXISTS', KEYS[3]) == 0 then
  return 0
end
redis.call('RENAME', KEYS[3], KEYS[4])
redis.call('HSET', KEYS[4], '_token', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
return 1
"""


def _member(raw: Any) -> tuple[str, int, date] | None:
    member = raw.decode() if isinstance(raw, bytes) else str(raw)
    key_id, _, day_text = member.partition(":")
    try:
        return member, int(key_id), date.fromisoformat(day_text)
    except ValueError:
        return None


def _add_batch(token: str, api_key_id: int, day: date, increments: dict[str, int]) -> bool:
    """Add one batch to its row in one durable transaction that records its token; False when the
    batch reached the database before (a flush that stopped before its clean-up)."""
    if not ApiKey.objects.filter(pk=api_key_id).exists():  # a deleted key's counts go with it
        return False
    try:
        with transaction.atomic():
            CheckCountFlush.objects.create(token=token)
            _db_add(api_key_id, day, increments, durable=True)
    except IntegrityError:
        return False
    return True


def _forget_batch(client: Any, member: str, taken: str) -> None:
    pipe = client.pipeline(transaction=False)
    pipe.delete(taken)
    pipe.srem(FLUSHING, member)
    pipe.execute()


def _members(client: Any, name: str) -> Iterator[tuple[str, int, date]]:
    """The members of a set as (member, key id, day); a malformed member is dropped from the set."""
    for raw in client.smembers(name):
        parsed = _member(raw)
        if parsed is None:
            client.srem(name, raw)
        else:
            yield parsed


def _apply_flushing(client: Any) -> int:
    touched = 0
    for member, api_key_id, day in _members(client, FLUSHING):
        taken = _taken_key(_hash_key(api_key_id, day))
        batch = client.hgetall(taken)
        if batch:
            touched += _add_batch(_token(batch) or uuid.uuid4().hex, api_key_id, day, _ints(batch))
        _forget_batch(client, member, taken)
    return touched


def counts_flush() -> int:
    """Move every pending counter from Redis into PostgreSQL. Returns the number of rows touched.

    Crash-safe and exactly once: a batch is taken atomically (``_TAKE``) and stays in Redis, in the
    flushing set, until its database transaction has committed; that transaction records the
    batch's token, so a flush that stopped anywhere is finished by the next one without adding a
    batch twice. If the database write fails, the batch waits for the next run; reads still show it.
    """
    client = cache_redis()
    if client is None:
        return 0
    touched = _apply_flushing(client)  # batches left by a flush that stopped
    take = client.register_script(_TAKE)
    for member, api_key_id, day in _members(client, DIRTY):
        key = _hash_key(api_key_id, day)
        take(keys=[DIRTY, FLUSHING, key, _taken_key(key)], args=[member, uuid.uuid4().hex])
    touched += _apply_flushing(client)
    CheckCountFlush.objects.filter(created_at__lt=timezone.now() - timedelta(seconds=2 * KEEP_SECONDS)).delete()
    return touched
