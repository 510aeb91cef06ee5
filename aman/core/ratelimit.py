"""Fixed-window rate limits kept in the cache. Keys are hashed; nothing here is persistent."""

import hashlib

from django.core.cache import cache

from aman.core.redis_cache import cache_redis


def _key(scope: str, ident: str) -> str:
    return "rl:" + scope + ":" + hashlib.sha256(ident.encode()).hexdigest()[:32]


def hit(*, scope: str, ident: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt; return True while the attempts in this window are within the limit.

    On Redis: one pipelined round trip (start the window if there is none, then increment), under
    the cache's own key so ``is_blocked`` and ``reset`` see the same counter. Elsewhere: increment
    first, create on a miss.
    """
    key = _key(scope, ident)
    client = cache_redis()
    if client is not None:
        full = cache.make_and_validate_key(key)
        pipe = client.pipeline(transaction=False)
        pipe.set(full, 0, ex=window_seconds, nx=True)
        pipe.incr(full)
        count = pipe.execute()[1]
        return int(count) <= limit
    try:
        count = cache.incr(key)
    except ValueError:  # no counter yet (or it just expired): start the window
        if cache.add(key, 1, timeout=window_seconds):
            return True
        try:
            count = cache.incr(key)
        except ValueError:  # pragma: no cover - expired again between add and incr
            return True
    return count <= limit


def is_blocked(*, scope: str, ident: str, limit: int) -> bool:
    value = cache.get(_key(scope, ident))
    return value is not None and int(value) >= limit


def reset(*, scope: str, ident: str) -> None:
    cache.delete(_key(scope, ident))


def parse_rate(rate: str) -> tuple[int, int]:
    """'20/hour' -> (20, 3600)."""
    count, _, period = rate.partition("/")
    seconds = {
        "second": 1,
        "sec": 1,
        "s": 1,
        "minute": 60,
        "min": 60,
        "m": 60,
        "hour": 3600,
        "h": 3600,
        "day": 86400,
        "d": 86400,
    }
    return int(count), seconds[period.strip().lower()]
