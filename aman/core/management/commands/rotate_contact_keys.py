from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from aman.audit.events import EventType
from aman.audit.services import audit_record
from aman.cases.models import Case
from aman.core.crypto import rotate_token


class Command(BaseCommand):
    help = (
        "Re-encrypt every reporter contact detail under the first key of AMAN_CONTACT_KEYS. "
        "Put the new key first, keep the old ones after it, run this, then remove the old keys."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        rotated = 0
        ids = list(Case.objects.exclude(contact_encrypted="").values_list("id", flat=True))
        for start in range(0, len(ids), 500):
            with transaction.atomic():
                for case in (
                    Case.objects.select_for_update()
                    .filter(id__in=ids[start : start + 500])
                    .only("id", "contact_encrypted")
                ):
                    case.contact_encrypted = rotate_token(case.contact_encrypted)
                    case.save(update_fields=["contact_encrypted"])
                    rotated += 1
        audit_record(event_type=EventType.CONTACT_KEYS_ROTATED, actor_label="operator", data={"rotated": rotated})
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted contact details of {rotated} cases."))
