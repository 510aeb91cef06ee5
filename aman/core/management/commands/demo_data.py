"""Load synthetic demo data: staff logins, SLA targets, emergency numbers and a few dozen cases."""

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from aman.accounts.models import Role, User
from aman.cases import services as case_services
from aman.cases.choices import Outcome
from aman.cases.sla import sla_ensure_policies
from aman.cases.states import Status
from aman.core.demo_reports import DEMO_REPLIES, DEMO_REPORTS
from aman.core.models import EmergencyNumber
from aman.intake.services import ReportInput, report_submit
from aman.intake.validation import parse_items

# Apps whose demo.load(stdout) runs after the cases exist, in this order.
DEMO_APPS = ["evidence", "escalations", "training", "guides", "checks", "hashbanks"]

DEMO_USERS = [
    ("agent", "agent-demo-2026", Role.AGENT, "Salma"),
    ("agent2", "agent2-demo-2026", Role.AGENT, "Karim"),
    ("supervisor", "supervisor-demo-2026", Role.SUPERVISOR, "Huda"),
    ("admin", "admin-demo-2026", Role.ADMIN, "Omar"),
]


class Command(BaseCommand):
    help = "Load synthetic demo data (idempotent: each part loads once)."

    def handle(self, *args: Any, **options: Any) -> None:
        sla_ensure_policies()
        if User.objects.filter(username="agent").exists():
            self.stdout.write("Demo cases already loaded.")
        else:
            self._load_core()
        self._load_apps()

    def _load_apps(self) -> None:
        """Each app may ship ``aman/<app>/demo.py`` with an idempotent ``load(stdout)``."""
        for app in DEMO_APPS:
            module_name = f"aman.{app}.demo"
            if find_spec(module_name) is not None:
                import_module(module_name).load(self.stdout)

    def _load_core(self) -> None:
        with transaction.atomic():
            users = {}
            for username, password, role, first_name in DEMO_USERS:
                user = User(username=username, role=role, first_name=first_name)
                user.set_password(password)
                user.save()
                users[username] = user
            for i, (label_ar, label_fr, label_ckb, label_en, number) in enumerate(
                [
                    ("الشرطة المجتمعية", "Police de proximité", "پۆلیسی کۆمەڵگە", "Community police", "497"),
                    ("خط نجدة الطفل", "Ligne d'aide à l'enfance", "هێڵی یارمەتی منداڵان", "Child helpline", "116111"),
                    ("الإسعاف", "Ambulance", "فریاکەوتن", "Ambulance", "122"),
                ]
            ):
                EmergencyNumber.objects.create(
                    label_ar=label_ar,
                    label_fr=label_fr,
                    label_ckb=label_ckb,
                    label_en=label_en,
                    number=number,
                    sort_order=i,
                )
            for n, report in enumerate(DEMO_REPORTS):
                data = dict(report)
                data["items"] = parse_items([str(item) for item in data.get("items", [])])  # type: ignore[attr-defined]
                case = report_submit(data=ReportInput(**data)).case  # type: ignore[arg-type]
                self._progress(case, n, users)
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(DEMO_REPORTS)} synthetic demo cases."))

    def _progress(self, case: Any, n: int, users: dict[str, User]) -> None:
        """Move some demo cases along so every queue has something in it."""
        agent, agent2, supervisor = users["agent"], users["agent2"], users["supervisor"]
        stage = n % 6
        if stage == 0:
            return
        owner = agent if n % 2 else agent2
        case = case_services.case_triage(
            case=case,
            category=case.category if case.category != "not_sure" else "harassment_bullying",
            urgency=case.urgency,
            minor_involved=case.minor_involved,
            imminent_danger=case.imminent_danger,
            self_harm=case.self_harm,
            acting_user=owner,
        )
        if stage == 1:
            return
        case = case_services.case_assign(case=case, assignee=owner, acting_user=owner)
        case_services.case_transition(case=case, to_status=Status.IN_PROGRESS, acting_user=owner)
        case_services.case_message_send(
            case=case, body=DEMO_REPLIES[case.language], acting_user=owner, wait_for_reply=stage == 3
        )
        if stage == 4:
            case_services.case_note_add(
                case=case, body="Evidence checklist: URL ok, screenshot pending.", acting_user=owner
            )
            case_services.case_transition(case=case, to_status=Status.ESCALATED, acting_user=supervisor)
        if stage == 5:
            case_services.case_transition(
                case=case, to_status=Status.RESOLVED, acting_user=owner, outcome=Outcome.ADVICE_GIVEN
            )
            case_services.case_transition(case=case, to_status=Status.CLOSED, acting_user=owner)
