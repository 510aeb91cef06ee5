"""Export the agents' confirmations and corrections as JSON lines for the next training run.

    manage.py checks_export_examples [--source triage_corrected] [--since 2026-01-01] > examples.jsonl

One line per example: {"id", "text", "category", "urgency", "flags", "suggested", "source",
"model_version", "created_at"}. The texts are reporters' words: handle the file as case data.
"""

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aman.checks.models import LabelledExample


class Command(BaseCommand):
    help = "Export labelled triage examples (agents' confirmations and corrections) as JSONL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", choices=LabelledExample.Source.values)
        parser.add_argument("--since", type=date.fromisoformat)

    def handle(self, *args: Any, **options: Any) -> None:
        qs = LabelledExample.objects.filter(case__purged_at__isnull=True).order_by("id")
        if options.get("source"):
            qs = qs.filter(source=options["source"])
        if options.get("since"):
            qs = qs.filter(created_at__date__gte=options["since"])
        for ex in qs.iterator():
            self.stdout.write(
                json.dumps(
                    {
                        "id": ex.pk,
                        "text": ex.text,
                        "category": ex.labels.get("category"),
                        "urgency": ex.labels.get("urgency"),
                        "flags": ex.labels.get("flags", []),
                        "suggested": ex.suggested,
                        "source": ex.source,
                        "model_version": ex.model_version,
                        "created_at": ex.created_at.isoformat(),
                    },
                    ensure_ascii=False,
                )
            )
