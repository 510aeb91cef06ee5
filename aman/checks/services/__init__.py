"""Every write of aman.checks: API keys, checks and their counters, triage suggestions, alerts, duty.

One grep finds what the app can do: ``apikey_create``, ``check_run``, ``check_outcome_record``,
``triage_suggest_enqueue``, ``triage_suggest_for_text``, ``suggestion_confirm``, … .
"""

from aman.checks.services.checking import (
    CheckResult,
    check_outcome_record,
    check_run,
    stored_checks_purge,
)
from aman.checks.services.keys import apikey_authenticate, apikey_create, apikey_revoke, apikey_update
from aman.checks.services.triage import (
    alert_dismiss,
    duty_set,
    labelled_examples_purge,
    moderation_record,
    suggestion_confirm,
    suggestion_correct,
    triage_suggest_enqueue,
    triage_suggest_for_case,
    triage_suggest_for_text,
)

__all__ = [
    "CheckResult",
    "alert_dismiss",
    "apikey_authenticate",
    "apikey_create",
    "apikey_revoke",
    "apikey_update",
    "check_outcome_record",
    "check_run",
    "duty_set",
    "labelled_examples_purge",
    "moderation_record",
    "stored_checks_purge",
    "suggestion_confirm",
    "suggestion_correct",
    "triage_suggest_enqueue",
    "triage_suggest_for_case",
    "triage_suggest_for_text",
]
