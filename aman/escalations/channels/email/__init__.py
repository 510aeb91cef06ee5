"""E-mail channel: the notice as a plain-text message, with the PDF and evidence packet attached.

SMTP in production (Django's EMAIL_* settings). The Message-ID is derived from the escalation's
idempotency key, so a partner's mail system can recognise a repeat of the same notice.
"""

from __future__ import annotations

import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from aman.escalations.channels import DeliveryResult, Outbound, PermanentFailure, TemporaryFailure


def message_id(escalation: Any) -> str:
    domain = str(getattr(settings, "AMAN_ESCALATION_MAIL_DOMAIN", "") or "aman.invalid")
    return f"<escalation-{escalation.idempotency_key}@{domain}>"


def send(escalation: Any, outbound: Outbound) -> DeliveryResult:
    recipients = escalation.partner.email_list
    if not recipients:
        raise PermanentFailure("the partner has no e-mail address")
    mid = message_id(escalation)
    headers = {"Message-ID": mid, "X-Aman-Idempotency-Key": str(escalation.idempotency_key)}
    reply_to = getattr(settings, "AMAN_NOTIFIER_EMAIL", "") or None
    message = EmailMessage(
        subject=outbound.subject,
        body=outbound.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        headers=headers,
        reply_to=[reply_to] if reply_to else None,
    )
    for attachment in outbound.attachments:
        message.attach(attachment.name, attachment.content, attachment.content_type)
    timeout = int(getattr(settings, "AMAN_ESCALATION_SMTP_TIMEOUT", 20))
    try:
        connection = get_connection(fail_silently=False, timeout=timeout)
        sent = message.send(fail_silently=False) if connection is None else connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentFailure(f"every recipient was refused: {sorted(exc.recipients)}") from exc
    except smtplib.SMTPResponseException as exc:
        detail = f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"
        if 500 <= exc.smtp_code < 600:
            raise PermanentFailure(detail) from exc
        raise TemporaryFailure(detail) from exc
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise TemporaryFailure(f"mail server unreachable: {exc.__class__.__name__}: {exc}") from exc
    if not sent:
        raise TemporaryFailure("the mail server accepted nothing")
    return DeliveryResult(reference="", detail=f"e-mailed to {len(recipients)} address(es), {mid}")
