from typing import Any

from django.core.management.base import BaseCommand

from aman.cases.services import sla_mark_breaches


class Command(BaseCommand):
    help = "Record missed SLA targets (run every minute; Celery beat does this at scale)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{sla_mark_breaches()} SLA breaches recorded.")
