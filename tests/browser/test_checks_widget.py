"""The "think before you post" widget in real Chromium.

Arabic (right to left) on Aman's demo page: a hostile comment brings the nudge; "edit" goes back
to the text, "post anyway" sends the form; the outcome counters move. French on an integrator's
site of another origin (http://127.0.0.1:<port>, while Aman is http://localhost:<port>; the
page itself is served by Playwright's router, and both stay on loopback so Chromium's
private-network rules do not apply): the widget calls Aman with a real API key
through CORS. Aman unreachable: the comment goes through (fail open).
"""

from pathlib import Path
from typing import Any

import pytest

from aman.accounts.models import Role, User
from aman.checks.models import CheckDailyCount
from aman.checks.services import apikey_create

pytestmark = pytest.mark.browser

HOSTILE_AR = "يا حمار يا غبي يا حقير، والله لأكسر راسك إذا شفتك"
HOSTILE_FR = "T'es vraiment un sale idiot, ferme ta gueule espèce de connard"


def _integrator(live_server: Any) -> str:
    return live_server.url.replace("localhost", "127.0.0.1") + "/integrator"


def _page(browser: Any, **options: Any) -> Any:
    options.setdefault("viewport", {"width": 390, "height": 844})
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    return context.new_page()


def test_arabic_demo_edit_then_post_anyway(chromium: Any, live_server: Any, screenshot_dir: Path) -> None:
    page = _page(chromium, locale="ar")
    page.goto(f"{live_server.url}/checks/demo/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("#demo-comment", HOSTILE_AR)
    page.click("#demo-form button[type=submit]")
    dialog = page.get_by_role("alertdialog")
    dialog.wait_for()
    assert dialog.get_attribute("dir") == "rtl"
    assert "هل تريد نشره" in dialog.inner_text()
    page.screenshot(path=str(screenshot_dir / "checks-ar-nudge.png"), full_page=True)
    # The focus is in the dialog; "edit" goes back to the comment, which is kept.
    assert page.evaluate("document.activeElement.getAttribute('data-aman-action')") == "edit"
    dialog.get_by_role("button", name="تعديل منشوري").click()
    assert page.get_by_role("alertdialog").count() == 0
    assert page.evaluate("document.activeElement.id") == "demo-comment"
    assert page.input_value("#demo-comment") == HOSTILE_AR
    # Submit again and post anyway: the form is sent.
    page.click("#demo-form button[type=submit]")
    page.get_by_role("alertdialog").get_by_role("button", name="النشر على أي حال").click()
    page.wait_for_url(f"{live_server.url}/checks/demo/")
    page.get_by_text("لم يُحفظ شيء").wait_for()
    page.wait_for_timeout(300)  # the outcome beacons (keepalive fetches)
    counts = CheckDailyCount.objects.get()
    assert (counts.checks, counts.reconsider, counts.shown, counts.edited, counts.posted_anyway) == (2, 2, 2, 1, 1)


def test_friendly_comment_goes_straight_through(chromium: Any, live_server: Any) -> None:
    page = _page(chromium, locale="ar")
    page.goto(f"{live_server.url}/checks/demo/")
    page.fill("#demo-comment", "مبروك على النجاح، الله يوفقك دائماً")
    page.click("#demo-form button[type=submit]")
    page.get_by_text("لم يُحفظ شيء").wait_for()
    assert page.get_by_role("alertdialog").count() == 0


def _integrator_site(page: Any, integrator: str, script_src: str, key: str) -> list[str]:
    posted: list[str] = []
    html = f"""<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Forum</title></head><body>
<form method="post" action="{integrator}/posted"><textarea class="comment" name="c" id="c"></textarea>
<button type="submit">Envoyer</button></form>
<script src="{script_src}" data-aman-key="{key}" data-aman-lang="fr" data-aman-target="textarea.comment"></script>
</body></html>"""

    def handle(route: Any) -> None:
        if route.request.url.endswith("/posted"):
            posted.append(route.request.post_data or "")
            route.fulfill(status=200, content_type="text/html", body="<p id=ok>Publié</p>")
        else:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

    page.route(f"{integrator}/**", handle)
    return posted


def test_french_on_another_origin_with_a_real_key(chromium: Any, live_server: Any, screenshot_dir: Path) -> None:
    admin = User.objects.create(username="admin", role=Role.ADMIN)
    integrator = _integrator(live_server)
    origin = integrator.removesuffix("/integrator")
    made = apikey_create(name="Forum", allowed_origins=[origin], acting_user=admin)
    # The integrator's page (served by the router) may reach Aman on loopback, as a real site reaches
    # Aman on the internet: Chromium asks for "local network access", granted here.
    page = _page(chromium, locale="fr", permissions=["local-network-access"])
    posted = _integrator_site(page, integrator, f"{live_server.url}/checks/widget.js", made.secret)
    page.goto(f"{integrator}/")
    page.fill("#c", HOSTILE_FR)
    page.click("button[type=submit]")
    dialog = page.get_by_role("alertdialog")
    dialog.wait_for()
    assert dialog.get_attribute("dir") == "ltr" and "publier quand même" in dialog.inner_text().lower()
    page.screenshot(path=str(screenshot_dir / "checks-fr-nudge.png"), full_page=True)
    page.keyboard.press("Escape")  # Escape means "edit"
    assert page.get_by_role("alertdialog").count() == 0
    page.click("button[type=submit]")
    page.get_by_role("alertdialog").get_by_role("button", name="Publier quand même").click()
    page.locator("#ok").wait_for()
    assert posted and "c=" in posted[0]
    page.wait_for_timeout(300)
    counts = CheckDailyCount.objects.get(api_key=made.api_key)
    assert (counts.shown, counts.edited, counts.posted_anyway) == (2, 1, 1)


def test_fails_open_when_aman_is_unreachable(chromium: Any, live_server: Any) -> None:
    page = _page(chromium, locale="fr", permissions=["local-network-access"])
    integrator = _integrator(live_server)
    posted = _integrator_site(page, integrator, f"{live_server.url}/checks/widget.js", "aman_x_y")
    page.route(f"{live_server.url}/api/**", lambda route: route.abort())
    page.goto(f"{integrator}/")
    page.fill("#c", HOSTILE_FR)
    page.click("button[type=submit]")
    page.locator("#ok").wait_for()
    assert posted
