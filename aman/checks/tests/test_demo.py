"""The checks demo: loaded once, through the same paths as real use, and visible to the demo staff."""

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from aman.accounts.models import User
from aman.checks.models import ApiKey, CaseAlert, CheckDailyCount, LabelledExample, SupervisorDuty

pytestmark = pytest.mark.django_db


def test_demo_loads_once_with_counts_an_alert_and_examples(django_capture_on_commit_callbacks: Any) -> None:
    # What the reports queue after commit (triage suggestions, alerts) runs, as in the embedded default.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo_data", stdout=io.StringIO())
    call_command("demo_data", stdout=io.StringIO())
    key = ApiKey.objects.get(name="Demo comments app (synthetic)")
    assert CheckDailyCount.objects.filter(api_key=key).count() == 30
    assert SupervisorDuty.objects.get(user__username="supervisor").on_duty
    alert = CaseAlert.objects.get(resolved_at__isnull=True)
    assert set(LabelledExample.objects.values_list("source", flat=True)) == {"triage_confirmed", "triage_corrected"}
    # The agent's queue starts with the flagged case, marked.
    client = Client()
    client.force_login(User.objects.get(username="agent"))
    queue = client.get("/console/").content.decode()
    first_row = queue[queue.index('data-testid="case-row"') :]
    first_row = first_row[: first_row.index("</tr>")]
    assert alert.case.reference in first_row and 'data-testid="needs-attention"' in first_row
    # The admin sees the integrator's counts.
    client.force_login(User.objects.get(username="admin"))
    assert key.prefix in client.get("/console/integrations/").content.decode()
