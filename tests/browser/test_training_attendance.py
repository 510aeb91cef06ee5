"""Offline attendance in real Chromium: the connection drops while a trainer marks attendance on
a phone; nothing entered is lost and every mark reaches the server exactly once.
Also a participant registers through the public link (French, left to right).
"""

from pathlib import Path
from typing import Any

import pytest
from django.db.models import Count

from aman.accounts.models import Role, User
from aman.training.models import AttendanceMark, Participant, Trainer
from aman.training.tests.factories import ParticipantFactory, WorkshopFactory

pytestmark = pytest.mark.browser

PASSWORD = "trainer-test-2026"


def _trainer_workshop(language: str) -> tuple[Any, list[Participant]]:
    user = User(username="trainer", role=Role.TRAINER, first_name="Nour")
    user.set_password(PASSWORD)
    user.save()
    trainer = Trainer.objects.create(user=user, display_name="Nour", languages=[language])
    workshop = WorkshopFactory(language=language, title="معاً بأمان" if language == "ar" else "Ensemble en sécurité")
    workshop.trainers.add(trainer)
    people = [ParticipantFactory(workshop=workshop, full_name=f"مشارك {i}") for i in range(5)]
    return workshop, people


def _phone(chromium: Any, locale: str) -> tuple[Any, Any]:
    context = chromium.new_context(locale=locale, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _wait_synced(page: Any, timeout: int = 15_000) -> None:
    """Wait until the phone says no mark is waiting (a locator: CSP forbids string evaluation)."""
    page.locator("#sync-status[data-pending='0']").wait_for(state="attached", timeout=timeout)


def _sign_in(page: Any, base: str) -> None:
    page.goto(f"{base}/accounts/sign-in/")
    page.fill("input[name=username]", "trainer")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/console/training/")


@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("fr", "ltr")])
def test_attendance_survives_a_dropped_connection(
    chromium: Any, live_server: Any, screenshot_dir: Path, lang: str, direction: str
) -> None:
    workshop, people = _trainer_workshop(lang)
    context, page = _phone(chromium, lang)
    context.add_cookies([{"name": "aman_lang", "value": lang, "url": live_server.url}])
    _sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/console/training/workshops/{workshop.pk}/attendance/")
    assert page.locator("html").get_attribute("dir") == direction
    status = page.get_by_test_id("sync-status")
    _wait_synced(page)

    # One mark while online, then the connection drops.
    page.check(f"input[data-participant='{people[0].pk}']")
    _wait_synced(page)
    context.set_offline(True)
    page.check(f"input[data-participant='{people[1].pk}']")
    page.check(f"input[data-participant='{people[2].pk}']")
    page.check(f"input[data-participant='{people[3].pk}']")
    page.uncheck(f"input[data-participant='{people[3].pk}']")  # a correction, also offline
    page.click("#attendance-save")  # pressing save offline must not lose anything either
    assert status.get_attribute("data-pending") == "4"
    page.screenshot(path=str(screenshot_dir / f"training-attendance-offline-{lang}.png"), full_page=True)
    assert AttendanceMark.objects.count() == 1  # the server has only what was sent while online

    # The marks survive a reload of the page while still offline? The page itself needs the
    # network; what matters is the queue in localStorage, which the next load sends.
    queued = page.evaluate(f"JSON.parse(localStorage.getItem('aman-attendance-{workshop.pk}')).length")
    assert queued == 4

    context.set_offline(False)
    _wait_synced(page, 20_000)
    page.screenshot(path=str(screenshot_dir / f"training-attendance-synced-{lang}.png"), full_page=True)

    assert AttendanceMark.objects.count() == 5
    duplicates = AttendanceMark.objects.values("client_id").annotate(n=Count("id")).filter(n__gt=1)
    assert not duplicates.exists()
    present = dict(Participant.objects.values_list("pk", "present"))
    assert present[people[0].pk] is True
    assert present[people[1].pk] is True and present[people[2].pk] is True
    assert present[people[3].pk] is False
    assert present[people[4].pk] is None

    # A reload shows the server's state and sends nothing again.
    page.reload()
    _wait_synced(page)
    assert page.is_checked(f"input[data-participant='{people[2].pk}']")
    assert AttendanceMark.objects.count() == 5
    context.close()


def test_public_registration_in_french(chromium: Any, live_server: Any, screenshot_dir: Path) -> None:
    workshop = WorkshopFactory(language="fr", title="Ensemble en sécurité")
    context, page = _phone(chromium, "fr")
    context.add_cookies([{"name": "aman_lang", "value": "fr", "url": live_server.url}])
    page.goto(f"{live_server.url}/training/register/{workshop.registration_token}/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    page.fill("input[name=full_name]", "Amina Benali")
    page.click("form button[type=submit]")  # consent not ticked: refused, the name is kept
    assert page.input_value("input[name=full_name]") == "Amina Benali"
    page.check("input[name=consent]")
    page.click("form button[type=submit]")
    assert page.get_by_test_id("registered").is_visible()
    page.screenshot(path=str(screenshot_dir / "training-registered-fr.png"), full_page=True)
    assert Participant.objects.get().full_name == "Amina Benali"
    context.close()
