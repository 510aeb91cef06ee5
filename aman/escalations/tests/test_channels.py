"""Delivery against real local servers: SMTP (aiosmtpd) and an HTTP receiver that checks signatures."""

from __future__ import annotations

import email
import io
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aman.audit.events import EventType
from aman.audit.models import AuditEvent
from aman.cases.states import Status
from aman.escalations import services
from aman.escalations.models import DeliveryAttempt, Escalation, EscalationStatus
from aman.escalations.tasks import escalation_send_task
from aman.escalations.tests.factories import consented_case, partner, webhook_partner

pytestmark = pytest.mark.django_db


def _draft(case: Any, user: Any, target: Any, **kw: Any) -> Escalation:
    return services.escalation_create(
        case=case,
        partner=target,
        policy_category="harassment_bullying",
        explanation="Daily insults aimed at a child (synthetic test).",
        item_ids=[i.pk for i in case.items.all()],
        acting_user=user,
        **kw,
    )


def _send(escalation: Escalation, user: Any, capture: Any) -> Escalation:
    with capture(execute=True):
        services.escalation_send(escalation=escalation, acting_user=user)
    escalation.refresh_from_db()
    return escalation


def _make_due(escalation: Escalation, minutes_ago: float = 0.1) -> None:
    """Move the next attempt into the past (the clock moved on)."""
    Escalation.objects.filter(pk=escalation.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=minutes_ago))


# --- e-mail -----------------------------------------------------------------------------------


def test_email_reaches_a_real_smtp_server_with_the_packet(
    agent: Any, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from aman.evidence.services import evidence_files_add
    from aman.evidence.tests.files import encoded

    recorder, _port = smtp_server
    case = consented_case(triaged_by=agent)
    added = evidence_files_add(
        case=case,
        files=[SimpleUploadedFile("shot.png", encoded("PNG"), content_type="image/png")],
        by_reporter=False,
        acting_user=agent,
    ).added
    escalation = _draft(case, agent, partner(), evidence_ids=[added[0].pk])
    escalation = _send(escalation, agent, django_capture_on_commit_callbacks)
    assert escalation.status == EscalationStatus.SENT, escalation.last_error
    (envelope,) = recorder.messages
    assert envelope.rcpt_tos == ["trusted-flagger@example.org"]
    message = email.message_from_bytes(envelope.content)
    assert message["Message-ID"] == f"<escalation-{escalation.idempotency_key}@aman.invalid>"
    parts = {part.get_filename(): part for part in message.walk() if part.get_filename()}
    assert set(parts) == {f"{case.reference}-E{escalation.pk}-evidence.zip"}
    archive = zipfile.ZipFile(
        io.BytesIO(parts[f"{case.reference}-E{escalation.pk}-evidence.zip"].get_payload(decode=True))
    )
    assert "manifest.json" in archive.namelist()
    body = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()
    assert "bona fide" in body and added[0].sha256 in body
    assert escalation.packet is not None and escalation.packet.sha256
    assert AuditEvent.objects.filter(case=case, event_type=EventType.EVIDENCE_PACKET_DOWNLOADED).exists()
    case.refresh_from_db()
    assert case.status == Status.ESCALATED


def test_smtp_refusal_is_a_visible_permanent_failure(
    agent: Any, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    recorder, _port = smtp_server
    recorder.refuse_with = "550 No such user"
    escalation = _send(_draft(consented_case(), agent, partner()), agent, django_capture_on_commit_callbacks)
    assert escalation.status == EscalationStatus.FAILED
    assert "refused" in escalation.last_error
    assert DeliveryAttempt.objects.get(escalation=escalation).result == DeliveryAttempt.Result.PERMANENT_FAILURE


def test_smtp_server_down_retries_then_fails(
    agent: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead_port = s.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", dead_port
    settings.AMAN_ESCALATION_MAX_ATTEMPTS = 2
    escalation = _send(_draft(consented_case(), agent, partner()), agent, django_capture_on_commit_callbacks)
    assert escalation.status == EscalationStatus.QUEUED and escalation.attempts == 1
    assert escalation.next_attempt_at > timezone.now()  # type: ignore[operator]
    _make_due(escalation)
    services.escalation_resend_stuck()
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.FAILED and "unreachable" in escalation.last_error
    assert list(escalation.deliveries.values_list("result", flat=True)) == ["temporary", "temporary"]
    failed = AuditEvent.objects.filter(event_type=EventType.ESCALATION_SEND_FAILED).order_by("sequence")
    assert [e.data["final"] for e in failed] == [False, True]


# --- webhook ----------------------------------------------------------------------------------


def test_webhook_is_signed_and_the_receiver_checks_it(
    agent: Any, receiver: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = consented_case(triaged_by=agent)
    escalation = _send(_draft(case, agent, webhook_partner(receiver.url)), agent, django_capture_on_commit_callbacks)
    assert escalation.status == EscalationStatus.ACKNOWLEDGED, escalation.last_error
    assert receiver.bad_signatures == 0
    (request,) = receiver.accepted
    assert request["key"] == str(escalation.idempotency_key)
    body = request["body"]
    assert body["reference"] == f"{case.reference}-E{escalation.pk}" and body["good_faith_statement"] is True
    assert {"kind": "url", "value": "https://instagram.com/p/abc123"} in body["locations"]
    assert body["notifier"]["email"] == "helpline@example.org"
    assert "case_facts" not in body and "contact" not in str(body).lower().replace("contacts", "")
    assert escalation.partner_reference == "PARTNER-1"


def test_webhook_with_a_wrong_secret_is_refused_by_the_receiver(
    agent: Any, receiver: Any, django_capture_on_commit_callbacks: Any
) -> None:
    target = webhook_partner(receiver.url)
    from aman.core.crypto import encrypt_text

    target.webhook_secret_encrypted = encrypt_text("not-the-shared-secret")
    target.save()
    escalation = _send(_draft(consented_case(), agent, target), agent, django_capture_on_commit_callbacks)
    assert receiver.bad_signatures == 1
    assert escalation.status == EscalationStatus.FAILED and "HTTP 401" in escalation.last_error


def test_webhook_4xx_is_permanent_and_not_retried(
    agent: Any, receiver: Any, django_capture_on_commit_callbacks: Any
) -> None:
    receiver.statuses = [422]
    escalation = _send(
        _draft(consented_case(), agent, webhook_partner(receiver.url)), agent, django_capture_on_commit_callbacks
    )
    assert escalation.status == EscalationStatus.FAILED and "HTTP 422" in escalation.last_error
    assert services.escalation_resend_stuck(now=timezone.now() + timedelta(days=1)) == 0
    assert len(receiver.received) == 1


def test_webhook_5xx_retries_with_backoff_then_succeeds_once(
    agent: Any, receiver: Any, django_capture_on_commit_callbacks: Any
) -> None:
    receiver.statuses = [503, 500]
    escalation = _send(
        _draft(consented_case(), agent, webhook_partner(receiver.url)), agent, django_capture_on_commit_callbacks
    )
    first_wait = escalation.next_attempt_at - timezone.now()  # type: ignore[operator]
    assert escalation.status == EscalationStatus.QUEUED and timedelta(seconds=50) < first_wait <= timedelta(seconds=60)
    # Not due yet: the periodic job leaves it alone.
    assert services.escalation_resend_stuck() == 0
    _make_due(escalation)
    services.escalation_resend_stuck()
    escalation.refresh_from_db()
    assert escalation.attempts == 2 and escalation.next_attempt_at - timezone.now() > timedelta(seconds=100)  # type: ignore[operator]
    _make_due(escalation)
    services.escalation_resend_stuck()
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.ACKNOWLEDGED
    assert [r["status"] for r in receiver.received] == [503, 500, 200]
    assert len({r["key"] for r in receiver.received}) == 1  # the same idempotency key on every try


def test_webhook_retries_exhausted_is_failed_and_a_person_can_retry(
    agent: Any, receiver: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.AMAN_ESCALATION_MAX_ATTEMPTS = 2
    receiver.statuses = [500, 502]
    escalation = _send(
        _draft(consented_case(), agent, webhook_partner(receiver.url)), agent, django_capture_on_commit_callbacks
    )
    _make_due(escalation)
    services.escalation_resend_stuck()
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.FAILED and "HTTP 502" in escalation.last_error
    with django_capture_on_commit_callbacks(execute=True):
        services.escalation_retry(escalation=escalation, acting_user=agent)
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.ACKNOWLEDGED
    assert len(receiver.accepted) == 1
    assert escalation.deliveries.count() == 3


def test_webhook_timeout_is_temporary(
    agent: Any, receiver: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.AMAN_ESCALATION_WEBHOOK_TIMEOUT = 0.3
    receiver.delay = 1.0
    escalation = _send(
        _draft(consented_case(), agent, webhook_partner(receiver.url)), agent, django_capture_on_commit_callbacks
    )
    assert escalation.status == EscalationStatus.QUEUED and escalation.attempts == 1
    assert "could not reach" in escalation.last_error or "timed out" in escalation.last_error


def test_webhook_refuses_plain_http_in_production(
    agent: Any, receiver: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.AMAN_ESCALATION_ALLOW_HTTP = False
    escalation = _send(
        _draft(consented_case(), agent, webhook_partner(receiver.url)), agent, django_capture_on_commit_callbacks
    )
    assert escalation.status == EscalationStatus.FAILED and "https" in escalation.last_error
    assert receiver.received == []


# --- idempotency and a lost broker --------------------------------------------------------------


def test_sending_twice_sends_once(agent: Any, receiver: Any, django_capture_on_commit_callbacks: Any) -> None:
    escalation = _send(
        _draft(consented_case(), agent, webhook_partner(receiver.url)), agent, django_capture_on_commit_callbacks
    )
    assert escalation_send_task.delay(escalation.pk).get() == "skipped"
    assert services.escalation_deliver(escalation_id=escalation.pk) == "skipped"
    with pytest.raises(services.errors.WrongState):
        services.escalation_send(escalation=escalation, acting_user=agent)
    services.escalation_resend_stuck(now=timezone.now() + timedelta(days=1))
    assert len(receiver.received) == 1


def test_broker_down_at_enqueue_time_is_picked_up_later(
    agent: Any, receiver: Any, monkeypatch: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # As with a broker: the periodic job waits a grace period before it takes over from the queue.
    monkeypatch.setattr(services, "stuck_grace", lambda: timedelta(minutes=5))

    def broker_down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("redis is down")

    original_delay = escalation_send_task.delay
    monkeypatch.setattr(escalation_send_task, "delay", broker_down)
    escalation = _send(
        _draft(consented_case(), agent, webhook_partner(receiver.url)), agent, django_capture_on_commit_callbacks
    )
    assert escalation.status == EscalationStatus.QUEUED and receiver.received == []
    _make_due(escalation, minutes_ago=1)
    assert services.escalation_resend_stuck() == 0  # within the grace period
    _make_due(escalation, minutes_ago=10)
    assert services.escalation_resend_stuck() == 0  # past it, but the broker is still down
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.QUEUED  # never dropped
    monkeypatch.setattr(escalation_send_task, "delay", original_delay)
    assert services.escalation_resend_stuck() == 1
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.ACKNOWLEDGED and len(receiver.accepted) == 1


def test_a_send_whose_worker_died_is_resumed(
    agent: Any, receiver: Any, django_capture_on_commit_callbacks: Any
) -> None:
    escalation = _draft(consented_case(), agent, webhook_partner(receiver.url))
    services.escalation_send(escalation=escalation, acting_user=agent)  # queued, task never ran
    Escalation.objects.filter(pk=escalation.pk).update(
        status=EscalationStatus.SENDING, sending_started_at=timezone.now() - timedelta(hours=1)
    )
    services.escalation_resend_stuck()
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.ACKNOWLEDGED and len(receiver.accepted) == 1


def test_email_settings_come_from_the_environment(tmp_path: Any) -> None:
    """config/settings reads EMAIL_* (and the password from a _FILE) so production can use SMTP."""
    import json
    import os
    import subprocess
    import sys

    from django.conf import settings as django_settings

    password = tmp_path / "smtp-password"
    password.write_text("s3cret-from-file\n", encoding="utf-8")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DEFAULT_FROM"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": "587",
        "EMAIL_HOST_USER": "helpline",
        "EMAIL_HOST_PASSWORD_FILE": str(password),
        "EMAIL_USE_TLS": "true",
        "DEFAULT_FROM_EMAIL": "Aman <helpline@example.org>",
    }
    code = (
        "import json; from config.settings import base as s; print(json.dumps([s.EMAIL_HOST, s.EMAIL_PORT, "
        "s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.DEFAULT_FROM_EMAIL]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=django_settings.BASE_DIR, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [
        "smtp.example.org",
        587,
        "helpline",
        "s3cret-from-file",
        True,
        False,
        "Aman <helpline@example.org>",
    ]
    both = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "EMAIL_USE_SSL": "true"},
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert both.returncode != 0 and "not both" in both.stderr
