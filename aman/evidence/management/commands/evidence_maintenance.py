"""Evidence housekeeping: sweep orphan blobs, re-queue text reading and hash matching left pending."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aman.evidence.models import EvidenceItem, OcrStatus
from aman.evidence.services import evidence_sweep_orphans
from aman.evidence.tasks import evidence_match_hashes_task, evidence_read_text_task


class Command(BaseCommand):
    help = "Sweep orphan evidence blobs; re-queue pending text reading; optionally re-match every image."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rematch", action="store_true", help="match every live file against the banks again")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Orphan blobs removed: {evidence_sweep_orphans()}")
        pending = list(EvidenceItem.objects.filter(ocr_status=OcrStatus.PENDING).values_list("pk", flat=True))
        for pk in pending:
            evidence_read_text_task.delay(pk)
        self.stdout.write(f"Text reading re-queued: {len(pending)}")
        if options["rematch"]:
            live = list(EvidenceItem.objects.filter(purged_at__isnull=True).values_list("pk", flat=True))
            for pk in live:
                evidence_match_hashes_task.delay(pk)
            self.stdout.write(f"Hash matching queued: {len(live)}")
