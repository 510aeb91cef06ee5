"""Real local servers for the channels: an SMTP server (aiosmtpd) and an HTTP receiver that
verifies Aman's webhook signature, both on 127.0.0.1 with a free port."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from aman.escalations.channels.webhook import verify

WEBHOOK_SECRET = "test-webhook-secret-0123456789"


@pytest.fixture(autouse=True)
def evidence_dir(settings: Any, tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "evidence"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}},
    }
    settings.AMAN_ESCALATION_ALLOW_HTTP = True
    yield root


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class SmtpRecorder:
    messages: list[Any] = field(default_factory=list)
    refuse_with: str = ""

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.refuse_with:
            return self.refuse_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[tuple[SmtpRecorder, int]]:
    from aiosmtpd.controller import Controller

    recorder = SmtpRecorder()
    port = _free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "helpline@example.org"
    try:
        yield recorder, port
    finally:
        controller.stop()


@dataclass
class Receiver:
    url: str
    statuses: list[int] = field(default_factory=list)  # answered in order; then 200
    received: list[dict[str, Any]] = field(default_factory=list)
    bad_signatures: int = 0
    seen_keys: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    @property
    def accepted(self) -> list[dict[str, Any]]:
        return [r for r in self.received if r["status"] == 200]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if state.delay:
                import time

                time.sleep(state.delay)
            ok = verify(
                WEBHOOK_SECRET, self.headers.get("X-Aman-Timestamp", ""), body, self.headers.get("X-Aman-Signature", "")
            )
            key = self.headers.get("X-Aman-Idempotency-Key", "")
            if not ok:
                state.bad_signatures += 1
                status = 401
            elif state.statuses:
                status = state.statuses.pop(0)
            else:
                status = 200
            state.received.append({"status": status, "key": key, "body": json.loads(body or b"{}")})
            answer = b"{}"
            if status == 200:
                reference = state.seen_keys.setdefault(key, f"PARTNER-{len(state.seen_keys) + 1}")
                answer = json.dumps({"reference": reference}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/notices"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
