"""The change counter's one row, made here so that concurrent first writers never race to create it."""

from typing import Any

from django.db import migrations


def create_counter(apps: Any, schema_editor: Any) -> None:
    apps.get_model("hashbanks", "HashChangeCounter").objects.get_or_create(id=1)


class Migration(migrations.Migration):
    dependencies = [("hashbanks", "0001_initial")]

    operations = [migrations.RunPython(create_counter, migrations.RunPython.noop)]
