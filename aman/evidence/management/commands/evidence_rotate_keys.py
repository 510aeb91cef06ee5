"""Re-wrap every evidence data key under the first key of AMAN_EVIDENCE_KEYS (see docs/operations.md)."""

from typing import Any

from django.core.management.base import BaseCommand

from aman.evidence.services import evidence_rotate_keys


class Command(BaseCommand):
    help = "Re-wrap evidence data keys under the primary master key; the files are not re-encrypted."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Re-wrapped {evidence_rotate_keys()} data keys.")
