"""Background work of aman.checks. Tasks take ids, are idempotent and retry."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from aman.checks.counters import counts_flush
from aman.checks.models import CaseAlert, SupervisorDuty

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def triage_suggest_task(case_id: int) -> int | None:
    from aman.checks.services import triage_suggest_for_case

    suggestion = triage_suggest_for_case(case_id=case_id)
    return suggestion.pk if suggestion else None


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def alert_notify_task(alert_id: int) -> int:
    """E-mail every on-duty supervisor: the case reference and a link, never the report's words."""
    alert = CaseAlert.objects.select_related("case").filter(pk=alert_id).first()
    if alert is None:
        return 0
    base = str(getattr(settings, "AMAN_PUBLIC_URL", "")).rstrip("/")
    link = base + reverse("cases:case", args=[alert.case.reference])
    sent = 0
    duties = SupervisorDuty.objects.select_related("user").filter(
        on_duty=True, user__is_active=True, user__role__in=["supervisor", "admin"]
    )
    for duty in duties:
        user = duty.user
        if not user.email:
            continue
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = _("Critical flag on case %(reference)s") % {"reference": alert.case.reference}
            body = _(
                "The classifier flagged case %(reference)s as possibly critical (self-harm, or a child in "
                "danger now). It is at the top of the queue until someone confirms or dismisses the flag.\n\n"
                "Open the case: %(link)s"
            ) % {"reference": alert.case.reference, "link": link}
        sent += send_mail(subject, body, None, [user.email])
    return sent


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def checks_purge_task() -> int:
    from aman.checks.services import labelled_examples_purge, stored_checks_purge

    return stored_checks_purge() + labelled_examples_purge()


@shared_task(ignore_result=True)
def checks_counts_flush_task() -> int:
    """Move the check counters gathered in Redis into PostgreSQL (every minute)."""
    return counts_flush()
