"""The reporter's portal through HTTP, as a browser without JavaScript uses it."""

import logging
import re

import pytest
from django.core import serializers
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aman.audit.models import AuditEvent
from aman.cases.models import Case, Message
from aman.core.models import EmergencyNumber

pytestmark = pytest.mark.django_db

VALID = {
    "category": "harassment_bullying",
    "platforms": ["tiktok", "instagram"],
    "items": "@bad_account\nhttps://www.tiktok.com/@bad_account/video/1\ninstagram.com/p/xyz",
    "description": "حساب يرسل لي رسائل مسيئة كل يوم",
    "affected": "me",
    "age_band": "13_17",
    "contact_method": "none",
}


def _submit(client: Client, **changes: object) -> tuple[int, str]:
    data = {**VALID, **changes}
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post("/report/", data)
    return response.status_code, response.content.decode()


def _codes(html: str) -> tuple[str, str]:
    ref = re.search(r'data-testid="reference">([^<]+)<', html)
    code = re.search(r'data-testid="follow-up-code">([^<]+)<', html)
    assert ref and code, html[:2000]
    return ref.group(1), code.group(1)


def test_home_is_arabic_right_to_left_by_default_with_emergency_numbers(client: Client) -> None:
    EmergencyNumber.objects.create(label_ar="الشرطة", label_fr="Police", number="104")
    html = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "الشرطة" in html and 'href="tel:104"' in html


@pytest.mark.parametrize(("code", "direction"), [("fr", "ltr"), ("ckb", "rtl"), ("en", "ltr"), ("ar", "rtl")])
def test_language_switch_is_a_plain_link_and_is_remembered(client: Client, code: str, direction: str) -> None:
    EmergencyNumber.objects.create(label_ar="الشرطة", label_fr="Police", number="104")
    response = client.get(f"/lang/{code}/?next=/report/")
    assert response.status_code == 302 and response["Location"] == "/report/"
    html = client.get("/report/").content.decode()
    assert f'<html lang="{code}" dir="{direction}">' in html


def test_language_switch_refuses_open_redirects(client: Client) -> None:
    response = client.get("/lang/fr/?next=https://evil.example/")
    assert response["Location"] == "/"


def test_report_form_consents_are_off_until_turned_on(client: Client) -> None:
    html = client.get("/report/").content.decode()
    for name in ("consent_platform", "consent_police", "consent_hotline"):
        tag = re.search(rf'<input[^>]+name="{name}"[^>]*>', html)
        assert tag and "checked" not in tag.group(0)


def test_submitting_a_report_shows_the_reference_and_code_once(client: Client) -> None:
    status, html = _submit(client, consent_platform="on")
    assert status == 200
    reference, code = _codes(html)
    case = Case.objects.get(reference=reference)
    assert case.consent_platform and not case.consent_police
    assert sorted(case.platform_list) == ["instagram", "tiktok"]
    assert [i.value for i in case.items.all()] == [
        "@bad_account",
        "https://www.tiktok.com/@bad_account/video/1",
        "https://instagram.com/p/xyz",
    ]
    assert code not in Case.objects.filter(pk=case.pk).values_list("follow_up_hash", flat=True)[0]


def test_the_success_page_is_not_cached(client: Client) -> None:
    response = client.post("/report/", VALID)
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_the_whole_follow_up_flow_without_javascript(client: Client, agent) -> None:  # type: ignore[no-untyped-def]
    from aman.cases import services as case_services

    _, html = _submit(client)
    reference, code = _codes(html)
    case = Case.objects.get(reference=reference)
    case_services.case_message_send(case=case, body="نحن هنا لمساعدتك", acting_user=agent)

    reporter = Client()
    response = reporter.post("/follow-up/", {"reference": reference, "code": code}, follow=True)
    page = response.content.decode()
    assert "نحن هنا لمساعدتك" in page
    assert reporter.post("/follow-up/case/reply/", {"message": "شكراً"}).status_code == 302
    assert reporter.post("/follow-up/case/links/", {"items": "@second_account"}).status_code == 302
    assert reporter.post("/follow-up/case/consent/", {"consent_police": "on"}).status_code == 302
    case.refresh_from_db()
    assert case.consent_police and not case.consent_platform
    assert Message.objects.filter(case=case, direction="from_reporter", body="شكراً").exists()
    assert case.items.filter(value="@second_account").exists()
    reporter.post("/follow-up/leave/")
    assert reporter.get("/follow-up/case/").status_code == 302


def test_a_wrong_code_and_an_unknown_reference_get_the_same_answer(client: Client) -> None:
    _, html = _submit(client)
    reference, _code = _codes(html)
    wrong = Client().post("/follow-up/", {"reference": reference, "code": "AAAA-BBBB-CCCC-DDDD"})
    unknown = Client().post("/follow-up/", {"reference": "AMN-2345-6789", "code": "AAAA-BBBB-CCCC-DDDD"})
    assert wrong.status_code == unknown.status_code == 400

    def strip(page: bytes) -> str:
        return (
            re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.decode())
            .replace(reference, "REF")
            .replace("AMN-2345-6789", "REF")
        )

    assert strip(wrong.content) == strip(unknown.content)


def test_invalid_report_keeps_everything_typed_and_explains(client: Client) -> None:
    status, html = _submit(client, items="not a link at all!!", description="my story stays here")
    assert status == 400
    assert "my story stays here" in html
    assert "not a link at all!!" in html
    assert Case.objects.count() == 0


def test_no_reporter_ip_or_user_agent_is_stored_or_logged(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    ip, agent = "203.0.113.77", "UniqueBrowser/9.9 (fingerprint-xyz)"
    client.post("/report/", VALID, REMOTE_ADDR=ip, HTTP_USER_AGENT=agent, HTTP_X_FORWARDED_FOR=ip)
    client.get("/no-such-page/", REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)
    assert Case.objects.count() == 1
    dump = serializers.serialize("json", [*Case.objects.all(), *AuditEvent.objects.all()])
    from django.contrib.sessions.models import Session

    dump += "".join(s.session_data + str(s.get_decoded()) for s in Session.objects.all())
    assert ip not in dump and agent not in dump
    assert ip not in caplog.text and agent not in caplog.text


def test_security_headers_are_set(client: Client) -> None:
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_csrf_is_enforced_on_the_portal() -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/report/", VALID).status_code == 403
    assert Case.objects.count() == 0


HOSTILE = [
    "",
    " ",
    "x" * 20000,
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "\u202eevil.exe\u202c",
    "a\x00b",
    "\x00",
    "١٢٣٤",
    "' OR 1=1 --",
    "{{ 7*7 }}",
]
FIELDS = [
    "category",
    "platforms",
    "items",
    "description",
    "affected",
    "age_band",
    "in_danger_now",
    "contact_method",
    "contact_email",
    "contact_phone",
    "consent_platform",
]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("value", HOSTILE, ids=[f"h{i}" for i in range(len(HOSTILE))])
def test_hostile_input_on_every_field_is_handled(client: Client, field: str, value: str) -> None:
    data = {**VALID, field: value}
    if field in ("contact_email", "contact_phone"):
        data["contact_method"] = "email" if field == "contact_email" else "phone"
    response = client.post("/report/", data)
    html = response.content.decode()
    assert response.status_code in (200, 400)
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    if response.status_code == 200:
        case = Case.objects.get()
        stored = " ".join([case.description, *case.items.values_list("value", flat=True)])
        assert "\x00" not in stored and "\u202e" not in stored
        assert len(case.description) <= 5000
    else:
        assert Case.objects.count() == 0
        assert 'class="error' in html


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(description=st.text(max_size=300), items=st.text(max_size=200))
def test_free_text_never_crashes_the_form(client: Client, description: str, items: str) -> None:
    response = client.post("/report/", {**VALID, "description": description, "items": items})
    assert response.status_code in (200, 400)


def test_report_rate_limit_gives_a_clear_message(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AMAN_REPORT_RATE = "2/hour"
    assert _submit(client)[0] == 200
    assert _submit(client)[0] == 200
    status, html = _submit(client, description="third report")
    assert status == 400 and "third report" in html
    assert Case.objects.count() == 2


def test_a_storage_failure_keeps_the_form_and_asks_to_send_again(client: Client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.db import OperationalError

    from aman.cases.models import Case as CaseModel

    original = CaseModel.save

    def full_disk(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(CaseModel, "save", full_disk)
    response = client.post("/report/", {**VALID, "description": "my words must survive"})
    assert response.status_code == 503
    html = response.content.decode()
    assert "my words must survive" in html and "@bad_account" in html
    monkeypatch.setattr(CaseModel, "save", original)
    status, html = _submit(client, description="my words must survive")
    assert status == 200 and Case.objects.get().description == "my words must survive"
