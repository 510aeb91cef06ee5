"""Demo data for checks (idempotent, synthetic): an integrator's key with a month of outcome counts,
the supervisor on duty, a report flagged critical (first in the queue, with its alert), and one
suggestion confirmed and one corrected, so the labelled-examples export has rows."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from aman.accounts.models import User
from aman.cases.models import Case
from aman.checks.models import ApiKey, CheckDailyCount, TriageSuggestion
from aman.checks.services import (
    apikey_create,
    duty_set,
    suggestion_confirm,
    suggestion_correct,
    triage_suggest_for_case,
)
from aman.intake.services import ReportInput, report_submit

INTEGRATOR = "Demo comments app (synthetic)"
# A synthetic report that raises a critical flag: a child in danger, in a teenager's own words.
CRITICAL_REPORT = (
    "أختي عمرها ١٣ سنة، رجل على إنستغرام يهددها وقال إنه سيأتي إلى بيتنا الليلة إذا لم ترسل صوراً. هي خائفة جداً."
)


def load(stdout: Any) -> None:
    if ApiKey.objects.filter(name=INTEGRATOR).exists():
        stdout.write("Demo checks already loaded.")
        return
    admin = User.objects.filter(username="admin").first()
    supervisor = User.objects.filter(username="supervisor").first()
    agent = User.objects.filter(username="agent").first()
    if admin is None or supervisor is None or agent is None:
        return
    with transaction.atomic():
        made = apikey_create(
            name=INTEGRATOR, allowed_origins=["https://comments.example.org"], acting_user=admin
        ).api_key
        rng = random.Random(6)  # synthetic counts
        today = timezone.localdate()
        for days_ago in range(30):
            checks = rng.randint(400, 1200)
            reconsider = int(checks * rng.uniform(0.06, 0.12))
            edited = int(reconsider * rng.uniform(0.35, 0.55))
            CheckDailyCount.objects.create(
                api_key=made,
                day=today - timedelta(days=days_ago),
                checks=checks,
                reconsider=reconsider,
                shown=reconsider,
                edited=edited,
                posted_anyway=reconsider - edited,
            )
        duty_set(user=supervisor, on_duty=True, acting_user=supervisor)
    # Through the reporter's own path: the suggestion and the alert come from the classifier.
    critical = report_submit(
        data=ReportInput(
            category="not_sure",
            description=CRITICAL_REPORT,
            affected="someone_else",
            age_band="13_17",
            platforms=["instagram"],
            language="ar",
        )
    )
    # The suggestions are made now rather than left to the queue (idempotent: a queued run finds them).
    triage_suggest_for_case(case_id=critical.case.pk)
    for case_id in Case.objects.filter(triage_suggestions__isnull=True).order_by("id").values_list("id", flat=True)[:4]:
        triage_suggest_for_case(case_id=case_id)
    pending = list(
        TriageSuggestion.objects.filter(state=TriageSuggestion.State.PENDING, flags=[])
        .select_related("case")
        .order_by("id")[:2]
    )
    if len(pending) == 2:
        suggestion_confirm(suggestion=pending[0], acting_user=agent)
        case = pending[1].case
        suggestion_correct(
            suggestion=pending[1],
            category=case.category if case.category != pending[1].category else "other",
            urgency=pending[1].urgency,
            minor_involved=False,
            imminent_danger=False,
            self_harm=False,
            acting_user=agent,
        )
    stdout.write(f"Loaded the checks demo: integrator key {made.prefix}, supervisor on duty, a critical report.")
