import pytest
from django.test import Client, override_settings

from aman.accounts.models import Role
from aman.accounts.tests.factories import PASSWORD, UserFactory
from aman.audit.events import EventType
from aman.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/accounts/sign-in/", {"username": username, "password": password})


def test_sign_in_and_out_are_audited() -> None:
    user = UserFactory(role=Role.AGENT, username="salma")
    client = Client()
    response = _sign_in(client, "salma", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/console/"
    assert AuditEvent.objects.filter(event_type=EventType.SIGNED_IN, actor=user).count() == 1
    client.post("/accounts/sign-out/")
    assert AuditEvent.objects.filter(event_type=EventType.SIGNED_OUT, actor=user).count() == 1


def test_failed_sign_in_is_audited_without_the_password() -> None:
    UserFactory(role=Role.AGENT, username="salma")
    response = _sign_in(Client(), "salma", "wrong-password")
    assert response.status_code == 200
    event = AuditEvent.objects.get(event_type=EventType.SIGN_IN_FAILED)
    assert event.data == {"username": "salma"}
    assert "wrong-password" not in str(event.data)


def test_unknown_user_names_are_not_recorded_verbatim() -> None:
    _sign_in(Client(), "someone's-password-typed-in-the-wrong-box", "x")
    event = AuditEvent.objects.get(event_type=EventType.SIGN_IN_FAILED)
    assert event.data == {"username": "(unknown user)"}


@override_settings(AMAN_LOGIN_MAX_ATTEMPTS=3)
def test_repeated_failures_lock_the_user_name_for_a_while() -> None:
    UserFactory(role=Role.AGENT, username="salma")
    client = Client()
    for _ in range(3):
        _sign_in(client, "salma", "wrong")
    response = _sign_in(Client(), "salma", PASSWORD)
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(event_type=EventType.SIGNED_IN).exists()


def test_accounts_without_a_helpline_role_cannot_sign_in() -> None:
    UserFactory(role="", username="visitor")
    response = _sign_in(Client(), "visitor", PASSWORD)
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(event_type=EventType.SIGNED_IN).exists()


def test_admin_creates_a_user_with_a_role_and_it_is_audited(admin_user) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(admin_user)
    weak = client.post("/accounts/users/", {"username": "new1", "role": "agent", "password": "123"})
    assert weak.status_code == 400
    ok = client.post("/accounts/users/", {"username": "new1", "role": "agent", "password": "a-long-enough-pass-2026"})
    assert ok.status_code == 302
    assert AuditEvent.objects.filter(event_type=EventType.USER_CREATED, data__user="new1").exists()
    assert _sign_in(Client(), "new1", "a-long-enough-pass-2026").status_code == 302


def test_admin_sets_sla_targets_and_emergency_numbers(admin_user) -> None:  # type: ignore[no-untyped-def]
    from aman.cases.models import SlaPolicy
    from aman.core.models import EmergencyNumber

    client = Client()
    client.force_login(admin_user)
    assert client.get("/accounts/settings/").status_code == 200
    policies = list(SlaPolicy.objects.order_by("id"))
    data = {
        "sla-TOTAL_FORMS": str(len(policies)),
        "sla-INITIAL_FORMS": str(len(policies)),
        "emergency-TOTAL_FORMS": "1",
        "emergency-INITIAL_FORMS": "0",
        "emergency-0-label_ar": "الشرطة",
        "emergency-0-number": "104",
        "emergency-0-sort_order": "0",
        "emergency-0-active": "on",
    }
    for i, p in enumerate(policies):
        data[f"sla-{i}-id"] = str(p.pk)
        data[f"sla-{i}-first_response_minutes"] = "10" if p.urgency == "critical" else str(p.first_response_minutes)
        data[f"sla-{i}-resolution_minutes"] = str(p.resolution_minutes)
    assert client.post("/accounts/settings/", data).status_code == 302
    assert SlaPolicy.objects.get(urgency="critical").first_response_minutes == 10
    assert EmergencyNumber.objects.get().number == "104"
    assert AuditEvent.objects.filter(event_type=EventType.SETTINGS_CHANGED).exists()
    bad = dict(data, **{"sla-0-first_response_minutes": "-5"})
    assert client.post("/accounts/settings/", bad).status_code == 400


@pytest.mark.parametrize("value", ["", "x" * 5000, "\x00", "<script>alert(1)</script>", "\u202eadmin", "' OR 1=1 --"])
def test_hostile_sign_in_input_is_refused_plainly(value: str) -> None:
    UserFactory(role=Role.AGENT, username="salma")
    for data in ({"username": value, "password": PASSWORD}, {"username": "salma", "password": value}):
        response = Client().post("/accounts/sign-in/", data)
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()
    assert not AuditEvent.objects.filter(event_type=EventType.SIGNED_IN).exists()
