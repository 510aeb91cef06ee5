"""Seed the partner registry (fictional example.org contacts; admins replace them)."""

from django.db import migrations


def seed(apps, schema_editor):
    from aman.escalations.seed import seed_partners

    seed_partners(apps.get_model("escalations", "Partner"))


class Migration(migrations.Migration):
    dependencies = [("escalations", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
