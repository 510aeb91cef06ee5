"""Create the chain head row once, so concurrent first appends never race to create it."""

from django.db import migrations


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    head = apps.get_model("audit", "AuditChainHead")
    head.objects.get_or_create(id=1, defaults={"sequence": 0, "hash": "0" * 64})


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
