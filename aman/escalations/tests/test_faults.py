"""Fault tests with a real Celery worker and a real Redis broker (our own redis-server on a spare
port, started and killed here), against a real HTTP receiver that checks signatures and keeps
what it accepted by idempotency key:

(a) the broker dies while a notice is being sent, and more are queued while it is down;
(b) the partner's endpoint answers 503, then is down, then comes back;
(c) the partner accepted a notice but its answer was lost (timeout): the retry carries the same
    idempotency key and the receiver recognises it.

In every case each notice reaches the partner exactly once, and nothing is lost.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from aman.escalations import services
from aman.escalations.channels.webhook import verify
from aman.escalations.models import DeliveryAttempt, Escalation, EscalationStatus
from aman.escalations.tests.factories import WEBHOOK_SECRET, consented_case, draft_escalation, webhook_partner

REDIS_PORT = int(os.environ.get("AMAN_FAULT_REDIS_PORT", "6391"))
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
WAIT = 60.0  # generous for a loaded 2-core machine; never a timing assertion

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
]


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _beat_until(condition: Callable[[], bool], what: str) -> None:
    """Wait as beat would: ``escalation_resend_stuck`` every half second hands what is due to the
    queue again. (Celery's own countdown retry may fire too; the claim makes either one send.)
    Celery's test worker does not always run countdown tasks after another worker stopped in the
    same process, so the tests do not rely on it alone."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        services.escalation_resend_stuck()
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


class RedisServer:
    """Our own redis-server, no persistence: what is in it when it dies is gone."""

    def __init__(self, port: int, directory: Path) -> None:
        self.port, self.directory = port, directory
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for(self.answers, "redis-server to start", 20)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None


@dataclass
class Partner:
    """The partner's side: verifies the signature, keeps one record per idempotency key."""

    port: int = 0
    requests: list[str] = field(default_factory=list)  # idempotency keys, in arrival order
    accepted: dict[str, str] = field(default_factory=dict)  # key -> the reference it answered
    bad_signatures: int = 0
    answer_503: int = 0
    slow_first_seconds: float = 0.0
    hold_first: threading.Event | None = None
    arrived: threading.Event = field(default_factory=threading.Event)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/notices"

    def start(self) -> None:
        state = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                key = self.headers.get("X-Aman-Idempotency-Key", "")
                first = not state.requests
                state.requests.append(key)
                state.arrived.set()
                if first and state.hold_first is not None:
                    state.hold_first.wait(WAIT)
                signed = verify(
                    WEBHOOK_SECRET, self.headers.get("X-Aman-Timestamp", ""), body, self.headers["X-Aman-Signature"]
                )
                if not signed:
                    state.bad_signatures += 1
                    self._reply(401, {})
                    return
                if state.answer_503 > 0:
                    state.answer_503 -= 1
                    self._reply(503, {})
                    return
                # The receiver's idempotency: a repeated key gets the first answer, no new record.
                reference = state.accepted.setdefault(key, f"P-{len(state.accepted) + 1}")
                if first and state.slow_first_seconds:
                    time.sleep(state.slow_first_seconds)  # processed, but the answer comes too late
                self._reply(200, {"reference": reference})

            def _reply(self, status: int, data: dict[str, str]) -> None:
                raw = json.dumps(data).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except OSError:
                    pass  # the caller gave up waiting

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self.port = int(server.server_address[1])
        self.server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(REDIS_PORT, tmp_path)
    if server.answers():
        pytest.skip(f"port {REDIS_PORT} is taken")
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def worker(redis_server: RedisServer, settings: Any) -> Iterator[Any]:
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun
    from django.db import connections
    from kombu import pools as kombu_pools

    from config.celery import app
    from tests.test_celery_redis import _forget_connections

    settings.AMAN_ESCALATION_RETRY_BASE_SECONDS = 1
    settings.AMAN_ESCALATION_WEBHOOK_TIMEOUT = 2.0
    app.conf.update(
        CELERY_BROKER_URL=REDIS_URL,
        CELERY_RESULT_BACKEND=None,
        CELERY_TASK_ALWAYS_EAGER=False,
        CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP=False,
        CELERY_BROKER_CONNECTION_RETRY=True,
        CELERY_BROKER_CONNECTION_MAX_RETRIES=None,
        CELERY_BROKER_TRANSPORT_OPTIONS={"visibility_timeout": 5, "socket_connect_timeout": 1, "socket_timeout": 2},
        CELERY_TASK_PUBLISH_RETRY_POLICY={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
    )
    _forget_connections(app)
    kombu_pools.reset()  # kombu keeps producer pools per broker URL, process-wide: drop the closed ones

    def close_connection(**kwargs: object) -> None:
        connections.close_all()

    task_postrun.connect(close_connection, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=15):
            yield app
    finally:
        task_postrun.disconnect(close_connection)
        app.conf.update(
            CELERY_TASK_ALWAYS_EAGER=True,
            CELERY_BROKER_URL="",
            CELERY_RESULT_BACKEND=None,
            CELERY_BROKER_TRANSPORT_OPTIONS={},
        )
        _forget_connections(app)
        kombu_pools.reset()


@pytest.fixture
def partner_site() -> Iterator[Partner]:
    site = Partner()
    site.start()
    try:
        yield site
    finally:
        if site.hold_first is not None:
            site.hold_first.set()
        site.stop()


def _queue(url: str, agent: Any) -> Escalation:
    target = webhook_partner(url)
    case = consented_case(triaged_by=agent)
    escalation = draft_escalation(case=case, target=target, agent=agent)
    # Outside a test transaction on_commit runs at once: the task goes to the broker now.
    services.escalation_send(escalation=escalation, acting_user=agent)
    return escalation


def _status(escalation: Escalation) -> str:
    return str(Escalation.objects.values_list("status", flat=True).get(pk=escalation.pk))


def _delivered(escalation: Escalation) -> bool:
    """Sent, and acknowledged with the partner's reference."""
    return _status(escalation) == EscalationStatus.ACKNOWLEDGED


def _all_sent(rows: list[Escalation]) -> Callable[[], bool]:
    return lambda: all(_delivered(e) for e in rows)


@pytest.mark.django_db(transaction=True)
def test_broker_dies_mid_send_nothing_lost_each_delivered_once(
    worker: Any, redis_server: RedisServer, partner_site: Partner, agent: Any, settings: Any
) -> None:
    settings.AMAN_ESCALATION_WEBHOOK_TIMEOUT = 30.0  # the partner holds its answer while the broker dies
    partner_site.hold_first = threading.Event()
    first = _queue(partner_site.url, agent)
    assert partner_site.arrived.wait(WAIT), "the worker never started sending"
    # The worker is inside the HTTP call for the first notice: the broker dies now.
    redis_server.kill()
    # While it is down, two more notices are sent from the console: they cannot be queued.
    later = [_queue(partner_site.url, agent) for _ in range(2)]
    assert all(_status(e) == EscalationStatus.QUEUED for e in later)  # kept, visible, not dropped
    partner_site.hold_first.set()  # the partner answers the first one
    _wait_for(lambda: _delivered(first), "the in-flight send to finish")
    # The broker comes back empty (no persistence): the periodic job re-queues what is waiting.
    redis_server.start()
    _beat_until(_all_sent(later), "the notices queued while the broker was down")
    rows = [first, *later]
    assert _all_sent(rows)(), [_status(e) for e in rows]
    keys = {str(Escalation.objects.get(pk=e.pk).idempotency_key) for e in rows}
    assert set(partner_site.accepted) == keys and len(partner_site.accepted) == 3
    assert partner_site.requests.count(str(Escalation.objects.get(pk=first.pk).idempotency_key)) == 1
    assert partner_site.bad_signatures == 0
    for e in rows:
        assert DeliveryAttempt.objects.filter(escalation=e, result="delivered").count() == 1


@pytest.mark.django_db(transaction=True)
def test_partner_endpoint_down_then_back_delivered_once(worker: Any, partner_site: Partner, agent: Any) -> None:
    partner_site.answer_503 = 1
    escalation = _queue(partner_site.url, agent)
    _wait_for(lambda: DeliveryAttempt.objects.filter(escalation=escalation).count() >= 1, "the 503 attempt")
    partner_site.stop()  # now the endpoint is down altogether (connection refused)
    _beat_until(lambda: DeliveryAttempt.objects.filter(escalation=escalation).count() >= 2, "the refused attempt")
    assert _status(escalation) == EscalationStatus.QUEUED
    partner_site.start()  # back, on the same port
    _beat_until(lambda: _delivered(escalation), "delivery after recovery")
    results = list(DeliveryAttempt.objects.filter(escalation=escalation).values_list("result", flat=True))
    assert results[:2] == ["temporary", "temporary"] and results[-1] == "delivered" and results.count("delivered") == 1
    assert len(partner_site.accepted) == 1


@pytest.mark.django_db(transaction=True)
def test_a_retry_after_a_lost_answer_is_recognised_by_the_idempotency_key(
    worker: Any, partner_site: Partner, agent: Any
) -> None:
    partner_site.slow_first_seconds = 4.0  # longer than AMAN_ESCALATION_WEBHOOK_TIMEOUT (2 s)
    escalation = _queue(partner_site.url, agent)
    _beat_until(lambda: _delivered(escalation), "delivery after the retry")
    key = str(Escalation.objects.get(pk=escalation.pk).idempotency_key)
    assert partner_site.requests == [key, key]  # the same notice arrived twice ...
    assert partner_site.accepted == {key: "P-1"}  # ... and was kept once
    escalation.refresh_from_db()
    assert escalation.partner_reference == "P-1"
    results = list(DeliveryAttempt.objects.filter(escalation=escalation).values_list("result", flat=True))
    assert results == ["temporary", "delivered"]
