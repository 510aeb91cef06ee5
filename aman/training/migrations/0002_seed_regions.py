"""Seed the governorates and regions of Iraq, Morocco, Egypt and the Gulf states (editable afterwards)."""

from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    from aman.training.regions_data import REGIONS

    Region = apps.get_model("training", "Region")
    existing = set(Region.objects.values_list("code", flat=True))
    Region.objects.bulk_create(
        [
            Region(country=country, code=code, name_ar=ar, name_en=en, name_fr=fr, name_ckb=ckb)
            for country, code, ar, en, fr, ckb in REGIONS
            if code not in existing
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
