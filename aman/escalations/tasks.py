"""Background work for escalations. Tasks take ids, are idempotent and retry.

``escalation_send_task`` makes one delivery attempt. A sent (or cancelled, or already sending)
escalation is skipped, so running it twice sends once. After a temporary failure the escalation
goes back to ``queued`` with its next attempt time, and the task asks Celery to run again then;
with no broker (tasks in-process) ``escalation_resend_stuck`` — every minute in beat and in
``run_embedded`` — makes the retries instead. After the last attempt it is ``failed``: listed
under "Failed sends" and on the case, with a retry button.
"""

from __future__ import annotations

from celery import shared_task

from aman.escalations import services


@shared_task(bind=True, acks_late=True, max_retries=None)
def escalation_send_task(self, escalation_id: int) -> str:  # type: ignore[no-untyped-def]
    result = services.escalation_deliver(escalation_id=escalation_id)
    if result == "retry" and not self.request.is_eager:
        from aman.escalations.models import Escalation

        escalation = Escalation.objects.filter(pk=escalation_id).only("attempts").first()
        attempts = escalation.attempts if escalation else 1
        raise self.retry(countdown=services.backoff_seconds(attempts))
    return result


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def escalation_resend_stuck_task() -> int:
    return services.escalation_resend_stuck()


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def escalation_mark_breaches_task() -> dict[str, int]:
    return services.escalation_mark_breaches()


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def escalation_recheck_task(escalation_id: int, requested_by_id: int | None = None) -> int:
    from aman.escalations.rechecks import escalation_recheck

    return len(escalation_recheck(escalation_id=escalation_id, requested_by_id=requested_by_id))


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def escalation_recheck_due_task() -> int:
    from aman.escalations.rechecks import escalation_recheck_due

    return escalation_recheck_due()
