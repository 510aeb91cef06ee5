"""Recompute every guide version's search text with the word stems (aman.guides.search.index_text)."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from aman.guides.search import index_text

    GuideVersion = apps.get_model("guides", "GuideVersion")
    for version in GuideVersion.objects.only("pk", "title", "summary", "body_markdown").iterator():
        text = index_text(f"{version.title}\n{version.summary}\n{version.body_markdown}")
        GuideVersion.objects.filter(pk=version.pk).update(search_text=text)


class Migration(migrations.Migration):
    dependencies = [("guides", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
