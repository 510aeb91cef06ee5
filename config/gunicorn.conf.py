"""gunicorn settings for production: ``gunicorn config.wsgi -c config/gunicorn.conf.py``.

* The access log never holds a client address (no ``%(h)s``, no ``%(a)s``): Aman never stores a
  reporter's IP, and the log is part of what it stores.
* Each worker loads what the first request would otherwise wait for — the classifier's arrays and
  the hash-bank index (about 6 s at 10 million hashes) — in a background thread as soon as it
  starts, so no person waits for it. A failure there is logged; the request path loads it again.

Override anything with the usual ``GUNICORN_CMD_ARGS`` or command-line flags.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from typing import Any

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
accesslog = "-"
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(L)s'
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

logger = logging.getLogger("gunicorn.error")


def warm_up() -> None:
    """Load the classifier and build the hash index in this worker, before any request needs them."""
    from django.db import connection

    from aman.classifier import load_default
    from aman.hashbanks.matching import index_stats

    try:
        load_default()
        stats = index_stats()
        logger.info("warm-up done: classifier loaded, hash index %s", stats)
    except Exception:  # never stop a worker for this: the first request loads what is missing
        logger.exception("warm-up failed; the first request will load what is missing")
    finally:
        connection.close()  # this thread's own connection


def post_worker_init(worker: Any) -> None:
    threading.Thread(target=warm_up, name="aman-warm-up", daemon=True).start()
