"""Demo escalations on the synthetic demo cases (idempotent). Only web-form partners are used,
so no e-mail or HTTP request leaves the machine: one answered (removed), one waiting for an
answer, one waiting to be sent by hand, one draft to preview, one police hand-off awaiting a
supervisor's approval."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from aman.accounts.models import User
from aman.cases.models import Case
from aman.escalations import services
from aman.escalations.models import Escalation, Partner
from aman.escalations.seed import seed_partners

PLAN = [
    ("youtube", "answered"),
    ("x", "waiting"),
    ("tiktok", "by_hand"),
    ("meta", "draft"),
    ("community-police", "approval"),
]


def load(stdout: Any) -> None:
    seed_partners(Partner)
    if Escalation.objects.exists():
        stdout.write("Demo escalations already loaded.")
        return
    agent = User.objects.filter(username="agent").first()
    supervisor = User.objects.filter(username="supervisor").first()
    if agent is None or supervisor is None:
        return
    cases = [
        c
        for c in Case.objects.filter(purged_at__isnull=True).exclude(status__in=["new", "closed"]).order_by("id")
        if c.items.exists()
    ][: len(PLAN)]
    made = 0
    with transaction.atomic():
        for case, (slug, stage) in zip(cases, PLAN, strict=False):
            partner = Partner.objects.get(slug=slug)
            consented = services.consent_given(case=case, partner=partner)
            escalation = services.escalation_create(
                case=case,
                partner=partner,
                policy_category=case.category if case.category != "not_sure" else "harassment_bullying",
                explanation="Synthetic demo: the linked content targets the reporter and breaks the platform's rules.",
                item_ids=[i.pk for i in case.items.all()],
                acting_user=supervisor,
                override_reason="" if consented else "Demo data (synthetic): a child may be in danger.",
            )
            made += 1
            if stage == "draft":
                continue
            sender = agent if stage == "approval" else supervisor
            services.escalation_send(escalation=escalation, acting_user=sender)
            if stage in ("answered", "waiting"):
                escalation = services.escalation_mark_sent(
                    escalation=escalation, acting_user=agent, partner_reference=f"DEMO-{escalation.pk}"
                )
            if stage == "answered":
                Escalation.objects.filter(pk=escalation.pk).update(sent_at=timezone.now() - timedelta(hours=30))
                escalation.refresh_from_db()
                services.escalation_outcome_record(
                    escalation=escalation,
                    acting_user=agent,
                    outcome="removed",
                    actioned_at=timezone.now() - timedelta(hours=12),
                )
    stdout.write(f"Loaded {made} demo escalations.")
