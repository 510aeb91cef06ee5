"""The cache's own Redis server as a plain client, for what Django's cache API does in several round
trips (a counter with its expiry, a hash of counters). None when the cache is not Redis."""

from __future__ import annotations

from functools import cache
from typing import Any

import redis
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver


@cache
def cache_redis() -> Any:
    """A client on the default cache's Redis (short timeouts), or None for any other cache."""
    config = settings.CACHES.get("default", {})
    if not str(config.get("BACKEND", "")).endswith("RedisCache"):
        return None
    location = config.get("LOCATION")
    url = location[0] if isinstance(location, list | tuple) else location
    return redis.Redis.from_url(str(url), socket_timeout=0.5, socket_connect_timeout=0.5)


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting == "CACHES":
        cache_redis.cache_clear()
