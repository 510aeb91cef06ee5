from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aman.audit.services import audit_chain_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and name the first broken entry."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify()
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at entry #{report.broken_sequence}: {report.reason} "
                f"({report.checked} entries verified before it)"
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} entries verified."))
