"""Background work for training. Tasks take ids, are idempotent and retry."""

from celery import shared_task

from aman.training.services import certificate_batch_run


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def certificate_batch_task(batch_id: int) -> str:
    return str(certificate_batch_run(batch_id=batch_id).status)
