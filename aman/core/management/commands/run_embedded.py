"""Serve the embedded default: SQLite, local files, tasks in-process, SLA checks every minute."""

import logging
import threading
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from aman.cases.services import sla_mark_breaches

logger = logging.getLogger(__name__)


def _sla_loop(interval: int) -> None:
    """The embedded default's beat: SLA breaches, stuck escalation sends, escalation deadlines, link re-checks."""
    from aman.escalations.rechecks import escalation_recheck_due
    from aman.escalations.services import escalation_mark_breaches, escalation_resend_stuck

    while True:
        time.sleep(interval)
        for job in (sla_mark_breaches, escalation_resend_stuck, escalation_mark_breaches, escalation_recheck_due):
            try:
                job()
            except Exception:
                logger.exception("periodic job %s failed", job.__name__)
            finally:
                close_old_connections()


class Command(BaseCommand):
    help = "Run Aman on this machine with the embedded defaults and print how to sign in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args: Any, **options: Any) -> None:
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(
            "\n".join(
                [
                    "",
                    "Aman is starting (embedded default: SQLite and encrypted evidence in var/, tasks in-process).",
                    f"  Portal:   {url}",
                    f"  Console:  {url}console/",
                    f"  API docs: {url}api/docs/",
                    "  Demo logins (synthetic data only):",
                    "    agent      / agent-demo-2026",
                    "    supervisor / supervisor-demo-2026",
                    "    admin      / admin-demo-2026",
                    "    manager    / manager-demo-2026   (training programmes)",
                    "    trainer    / trainer-demo-2026   (a trainer's workshops)",
                    "",
                ]
            )
        )
        threading.Thread(target=_sla_loop, args=(60,), daemon=True).start()
        call_command("runserver", f"{options['host']}:{options['port']}", use_reloader=False)
