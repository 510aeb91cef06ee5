from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aman.cases.retention import retention_candidates, retention_purge


class Command(BaseCommand):
    help = "Purge reporter data from cases closed more than N days ago (AMAN_RETENTION_DAYS by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            count = retention_candidates(days=options["days"]).count()
            self.stdout.write(f"{count} closed cases would be purged.")
            return
        purged = retention_purge(days=options["days"])
        self.stdout.write(self.style.SUCCESS(f"Purged reporter data from {purged} cases."))
