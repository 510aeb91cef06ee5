"""The whole helpline loop in real Chromium.

A reporter writes in Arabic (right to left), an agent signs in, triages and answers, and the
reporter reads the answer with the reference and the secret code. A French pass checks the
left-to-right portal and that a validation error keeps what the reporter typed.
Screenshots go to /tmp/aman-browser/ (never committed).
"""

import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from aman.accounts.models import Role, User
from aman.cases.models import Case, Message
from aman.cases.states import Status

pytestmark = pytest.mark.browser

AGENT_USERNAME = "agent"
AGENT_PASSWORD = "agent-demo-2026"
ARABIC_DESCRIPTION = "حساب مزيف على تيك توك ينشر صوري ويرسل لي رسائل تهديد كل يوم. أرجو المساعدة."
AGENT_REPLY = "شكراً لتواصلك معنا. أبلغنا المنصة عن الحساب، ولا تحذف الرسائل."


def _html_attrs(page: Any) -> tuple[str | None, str | None]:
    html = page.locator("html")
    return html.get_attribute("lang"), html.get_attribute("dir")


def _shot(page: Any, directory: Path, name: str) -> None:
    page.screenshot(path=str(directory / f"{name}.png"), full_page=True)


def _new_page(browser: Any, **options: Any) -> Any:
    options.setdefault("viewport", {"width": 390, "height": 844})  # a phone, unless told otherwise
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    return context.new_page()


def test_arabic_report_triaged_answered_and_read_with_code(chromium: Any, live_server: Any, screenshot_dir: Path):
    agent = User(username=AGENT_USERNAME, role=Role.AGENT, first_name="Salma")
    agent.set_password(AGENT_PASSWORD)
    agent.save()
    marker = uuid.uuid4().hex[:10]

    # The reporter: no account, Arabic by default, on a phone-sized screen.
    reporter = _new_page(chromium, locale="ar")
    reporter.goto(f"{live_server.url}/")
    assert _html_attrs(reporter) == ("ar", "rtl")
    _shot(reporter, screenshot_dir, "ar-01-home")

    reporter.goto(f"{live_server.url}/report/")
    assert _html_attrs(reporter) == ("ar", "rtl")
    reporter.check("input[name=category][value='harassment_bullying']")
    reporter.check("input[name=platforms][value='tiktok']")
    reporter.fill("textarea[name=items]", f"@fake_{marker}\nhttps://www.tiktok.com/@fake_{marker}")
    reporter.fill("textarea[name=description]", f"{ARABIC_DESCRIPTION} {marker}")
    reporter.check("input[name=affected][value='me']")
    reporter.check("input[name=age_band][value='18_plus']")
    # Consent is off until the reporter turns it on.
    for name in ("consent_platform", "consent_police", "consent_hotline"):
        assert not reporter.is_checked(f"input[name={name}]")
    reporter.check("input[name=consent_platform]")
    _shot(reporter, screenshot_dir, "ar-02-report-form")
    reporter.click("form[action='/report/'] button[type=submit]")

    reference = reporter.get_by_test_id("reference").inner_text().strip()
    code = reporter.get_by_test_id("follow-up-code").inner_text().strip()
    assert re.fullmatch(r"AMN-[2-9A-Z]{4}-[2-9A-Z]{4}", reference), reference
    assert re.fullmatch(r"([2-9A-Z]{4}-){3}[2-9A-Z]{4}", code), code
    assert _html_attrs(reporter) == ("ar", "rtl")
    _shot(reporter, screenshot_dir, "ar-03-submitted")

    case = Case.objects.get(reference=reference)
    assert marker in case.description
    assert case.language == "ar"
    assert case.status == Status.NEW
    assert (case.consent_platform, case.consent_police, case.consent_hotline) == (True, False, False)
    assert code not in case.follow_up_hash  # only a keyed hash of the code is stored

    # The agent: signs in, finds the case in the queue, triages, takes it and answers.
    console = _new_page(chromium, viewport={"width": 1280, "height": 900})
    console.goto(f"{live_server.url}/accounts/sign-in/")
    console.fill("input[name=username]", AGENT_USERNAME)
    console.fill("input[name=password]", AGENT_PASSWORD)
    console.click("main form button[type=submit]")
    console.wait_for_url(re.compile(r"/console/"))
    assert _html_attrs(console) == ("ar", "rtl")
    row = console.get_by_test_id("case-row").filter(has_text=reference)
    assert row.count() == 1
    _shot(console, screenshot_dir, "ar-04-console-queue")
    row.get_by_role("link", name=reference).click()
    console.wait_for_url(re.compile(rf"/console/cases/{reference}/$"))

    triage = console.locator(f"form[action='/console/cases/{reference}/triage/']")
    triage.locator("select[name=urgency]").select_option("high")
    triage.locator("button[type=submit]").click()
    console.wait_for_url(re.compile(rf"/console/cases/{reference}/$"))
    console.locator(f"form[action='/console/cases/{reference}/assign/']:has(input[name=take]) button").click()
    console.wait_for_url(re.compile(rf"/console/cases/{reference}/$"))
    case.refresh_from_db()
    assert case.status == Status.TRIAGED
    assert case.urgency == "high"
    assert case.assignee_id == agent.pk

    message_form = console.locator(f"form[action='/console/cases/{reference}/messages/']")
    message_form.locator("textarea[name=message-body]").fill(AGENT_REPLY)
    message_form.locator("button[type=submit]").click()
    console.wait_for_url(re.compile(rf"/console/cases/{reference}/$"))
    assert Message.objects.filter(case=case, direction=Message.Direction.TO_REPORTER, body=AGENT_REPLY).count() == 1
    assert console.get_by_test_id("description").inner_text().strip().endswith(marker)
    _shot(console, screenshot_dir, "ar-05-console-case")
    console.context.close()

    # The reporter comes back with the reference and the code, and reads the answer.
    reporter.goto(f"{live_server.url}/follow-up/")
    assert _html_attrs(reporter) == ("ar", "rtl")
    reporter.fill("input[name=reference]", reference.lower().replace("-", " "))  # forgiving input
    reporter.fill("input[name=code]", code)
    reporter.click("form[action='/follow-up/'] button[type=submit]")
    reporter.wait_for_url(re.compile(r"/follow-up/case/$"))
    messages = reporter.get_by_test_id("message")
    assert messages.count() == 1
    assert AGENT_REPLY in messages.first.inner_text()
    assert _html_attrs(reporter) == ("ar", "rtl")
    _shot(reporter, screenshot_dir, "ar-06-follow-up")
    reporter.context.close()


def test_french_portal_keeps_typed_text_on_validation_error(chromium: Any, live_server: Any, screenshot_dir: Path):
    page = _new_page(chromium)
    page.goto(f"{live_server.url}/report/")
    assert _html_attrs(page) == ("ar", "rtl")
    page.click("nav.languages a[hreflang=fr]")
    page.wait_for_url(re.compile(r"/report/$"))
    assert _html_attrs(page) == ("fr", "ltr")

    description = "Quelqu'un publie de fausses informations sur moi sur Facebook."
    page.fill("textarea[name=description]", description)
    page.fill("textarea[name=items]", "@faux_compte_fr")
    page.check("input[name=affected][value='someone_else']")
    # No category and no age band: the form must come back with errors and keep the text.
    page.click("form[action='/report/'] button[type=submit]")
    page.wait_for_load_state()
    assert _html_attrs(page) == ("fr", "ltr")
    assert page.locator("#field-category .error").count() == 1
    assert page.locator("#field-age_band .error").count() == 1
    assert page.locator(".error-box").is_visible()
    assert page.input_value("textarea[name=description]") == description
    assert page.input_value("textarea[name=items]") == "@faux_compte_fr"
    assert page.is_checked("input[name=affected][value='someone_else']")
    assert Case.objects.count() == 0
    _shot(page, screenshot_dir, "fr-01-report-errors")
    page.context.close()
