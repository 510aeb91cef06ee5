"""For tests that need the machine's Redis (127.0.0.1:6379): skipped when it is not running, except
in CI, where a missing Redis must fail rather than skip."""

import os
import socket

import pytest


def redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


requires_redis = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not redis_up() and os.environ.get("CI") != "true", reason="Redis is not running on 127.0.0.1:6379"
    ),
]
