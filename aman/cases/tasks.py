"""Periodic and background work for cases. Tasks take ids or nothing, are idempotent and retry."""

from celery import shared_task

from aman.cases.retention import retention_purge
from aman.cases.services import sla_mark_breaches


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def sla_mark_breaches_task() -> int:
    return sla_mark_breaches()


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def retention_purge_task() -> int:
    return retention_purge()
