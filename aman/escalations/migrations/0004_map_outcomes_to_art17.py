"""Existing outcomes in the Art. 17 set: "rejected" becomes "declined"; every recorded answer gets
a statement of reasons (source "migrated") carrying the free-text note as its facts."""

from django.db import migrations

RENAMED = {"rejected": "declined"}
DECISIONS = {"removed", "restricted", "declined"}


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Escalation = apps.get_model("escalations", "Escalation")
    OutcomeStatement = apps.get_model("escalations", "OutcomeStatement")
    for old, new in RENAMED.items():
        Escalation.objects.filter(outcome=old).update(outcome=new)
    rows = Escalation.objects.exclude(outcome="").filter(statements__isnull=True)
    for escalation in rows.iterator():
        OutcomeStatement.objects.create(
            escalation=escalation,
            outcome=escalation.outcome,
            partner_reference=escalation.partner_reference,
            decided_at=escalation.actioned_at if escalation.outcome in DECISIONS else None,
            facts=escalation.outcome_note,
            source="migrated",
        )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Escalation = apps.get_model("escalations", "Escalation")
    OutcomeStatement = apps.get_model("escalations", "OutcomeStatement")
    OutcomeStatement.objects.filter(source="migrated").delete()
    for old, new in RENAMED.items():
        Escalation.objects.filter(outcome=new).update(outcome=old)
    # Outcomes the old set did not have fall back to their nearest old meaning.
    Escalation.objects.filter(
        outcome__in=["disabled", "age_restricted", "account_suspended", "account_terminated"]
    ).update(outcome="restricted")
    Escalation.objects.filter(outcome="appealed").update(outcome="more_info")


class Migration(migrations.Migration):
    dependencies = [("escalations", "0003_art17_outcomes_rechecks_partner_tokens")]

    operations = [migrations.RunPython(forwards, backwards)]
