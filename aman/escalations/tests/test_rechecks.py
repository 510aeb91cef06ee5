"""Re-checks against a real local HTTP server: 200, 404, 410, a redirect, a server that never
answers, a server that refuses HEAD; the SSRF guard; the periodic job and the page's button."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from aman.escalations import rechecks, services
from aman.escalations.linkcheck import probe
from aman.escalations.models import Escalation, EscalationStatus, LinkCheck
from aman.escalations.tests.factories import consented_case, draft_escalation, partner

pytestmark = pytest.mark.django_db

SECRET_PAGE = b"SECRET-PAGE-CONTENT-" * 5000  # 100 KB a GET would carry; it must never be read


class Site:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        self.body_bytes_sent = 0
        self.base = ""


@pytest.fixture
def site(settings: Any) -> Iterator[Site]:
    settings.AMAN_ESCALATION_RECHECK_ALLOW_PRIVATE = True
    settings.AMAN_ESCALATION_RECHECK_TIMEOUT = 0.5
    state = Site()
    hang = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return

        def _answer(self) -> None:
            state.requests.append((self.command, self.path))
            path = self.path
            if path == "/hang":
                hang.wait(5)
                return
            if path == "/no-head" and self.command == "HEAD":
                self.send_response(405)
                self.end_headers()
                return
            status = {"/ok": 200, "/no-head": 200, "/gone": 404, "/removed": 410}.get(path)
            if path.startswith("/loop"):
                self.send_response(302)
                self.send_header("Location", f"/loop{len(path)}")
                self.end_headers()
                return
            if path == "/to-metadata":
                self.send_response(302)
                self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
                self.end_headers()
                return
            if path == "/moved":
                self.send_response(301)
                self.send_header("Location", "/removed")
                self.end_headers()
                return
            self.send_response(status or 500)
            self.send_header("Content-Length", str(len(SECRET_PAGE)))
            self.end_headers()
            if self.command == "GET":
                try:
                    self.wfile.write(SECRET_PAGE)
                    state.body_bytes_sent += len(SECRET_PAGE)
                except OSError:
                    pass

        do_GET = _answer
        do_HEAD = _answer

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        hang.set()
        server.shutdown()
        server.server_close()


def test_probe_records_status_only(site: Site) -> None:
    assert probe(site.base + "/ok") == probe(site.base + "/ok")
    ok = probe(site.base + "/ok")
    assert (ok.result, ok.status_code, ok.method) == ("answered", 200, "HEAD")
    assert probe(site.base + "/gone").status_code == 404
    assert probe(site.base + "/removed").status_code == 410
    moved = probe(site.base + "/moved")
    assert (moved.status_code, moved.redirects) == (410, 1)
    loop = probe(site.base + "/loop")
    assert loop.result == "redirects" and loop.redirects == 3
    assert probe(site.base + "/hang").result == "timeout"
    fallback = probe(site.base + "/no-head")
    assert (fallback.status_code, fallback.method) == (200, "GET")
    assert probe(site.base + "/no-head", head_only=True).status_code == 405
    assert probe("ftp://example.org/x").result == "invalid"
    assert probe("not a url").result == "invalid"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable(site: Site) -> None:
    assert probe(f"http://127.0.0.1:{_closed_port()}/x").result == "unreachable"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/ok",
        "http://localhost:{port}/ok",
        "http://[::1]:{port}/ok",
        "http://10.0.0.8/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0:{port}/ok",
        "http://[::ffff:127.0.0.1]:{port}/ok",
    ],
)
def test_private_and_local_addresses_are_refused_without_a_request(site: Site, settings: Any, url: str) -> None:
    settings.AMAN_ESCALATION_RECHECK_ALLOW_PRIVATE = False
    port = site.base.rsplit(":", 1)[1]
    assert probe(url.format(port=port)).result == "refused"
    assert site.requests == []


def test_a_redirect_to_a_private_address_is_refused(site: Site, settings: Any, monkeypatch: Any) -> None:
    from aman.escalations import linkcheck

    settings.AMAN_ESCALATION_RECHECK_ALLOW_PRIVATE = False
    real = linkcheck._public
    # Our test site stands in for a public one; every other address is judged for real.
    monkeypatch.setattr(linkcheck, "_public", lambda address: address == "127.0.0.1" or real(address))
    result = probe(site.base + "/to-metadata")
    assert (result.result, result.redirects) == ("refused", 1)
    assert site.requests == [("HEAD", "/to-metadata")]


def _sent_escalation(site: Site, agent: Any, capture: Any, *paths: str, category: str = "") -> Escalation:
    items = [("url", site.base + p) for p in paths] + [("handle", "@someone")]
    extra = {"category": category} if category else {}
    case = consented_case(triaged_by=agent, items=items, **extra)
    escalation = draft_escalation(case=case, target=partner(), agent=agent, category=category or "harassment_bullying")
    with capture(execute=True):
        services.escalation_send(escalation=escalation, acting_user=agent)
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.SENT
    return escalation


def test_recheck_from_the_page_stores_statuses_and_shows_history(
    site: Site, agent: Any, django_capture_on_commit_callbacks: Any
) -> None:
    escalation = _sent_escalation(site, agent, django_capture_on_commit_callbacks, "/ok", "/gone", "/removed", "/hang")
    client = Client()
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/console/escalations/{escalation.pk}/recheck")
    assert response.status_code == 302
    checks = {c.item.value.rsplit("/", 1)[1]: c for c in LinkCheck.objects.filter(escalation=escalation)}
    assert set(checks) == {"ok", "gone", "removed", "hang"}  # links only, not the handle
    assert checks["ok"].status_code == 200 and checks["gone"].gone and checks["removed"].status_code == 410
    assert checks["hang"].result == "timeout" and checks["hang"].status_code is None
    assert all(c.requested_by == agent for c in checks.values())
    assert all(method == "HEAD" for method, _path in site.requests)
    assert site.body_bytes_sent == 0
    page = client.get(f"/console/escalations/{escalation.pk}/").content.decode()
    assert page.count('data-testid="link-check"') == 4 and "HTTP 410" in page
    # Nothing of the page is kept anywhere in the check rows.
    for row in LinkCheck.objects.values():
        assert "SECRET-PAGE" not in str(row)


def test_get_fallback_never_reads_the_body_and_csam_is_head_only(
    site: Site, agent: Any, django_capture_on_commit_callbacks: Any
) -> None:
    escalation = _sent_escalation(site, agent, django_capture_on_commit_callbacks, "/no-head")
    (check,) = rechecks.escalation_recheck(escalation_id=escalation.pk)
    assert (check.method, check.status_code) == ("GET", 200)
    site.requests.clear()
    csam = _sent_escalation(
        site, agent, django_capture_on_commit_callbacks, "/no-head", category="child_sexual_exploitation"
    )
    (check,) = rechecks.escalation_recheck(escalation_id=csam.pk)
    assert (check.method, check.status_code) == ("HEAD", 405)
    assert [m for m, _p in site.requests] == ["HEAD"]


def test_periodic_job_queues_due_escalations_once(
    site: Site, agent: Any, django_capture_on_commit_callbacks: Any
) -> None:
    escalation = _sent_escalation(site, agent, django_capture_on_commit_callbacks, "/ok")
    assert rechecks.escalation_recheck_due() == 1  # runs in-process here (no broker)
    assert LinkCheck.objects.filter(escalation=escalation).count() == 1
    assert rechecks.escalation_recheck_due() == 0  # checked a moment ago
    later = timezone.now() + timedelta(hours=25)
    assert rechecks.escalation_recheck_due(now=later) == 1
    assert LinkCheck.objects.filter(escalation=escalation).count() == 2
    # Past the window (30 days after sending) nothing more is checked.
    assert rechecks.escalation_recheck_due(now=timezone.now() + timedelta(days=31)) == 0


def test_drafts_cannot_be_rechecked_and_the_beat_knows_the_task(agent: Any, settings: Any) -> None:
    case = consented_case(triaged_by=agent)
    draft = draft_escalation(case=case, target=partner(), agent=agent, explanation="x")
    client = Client()
    client.cookies["aman_lang"] = "en"
    client.force_login(agent)
    response = client.post(f"/console/escalations/{draft.pk}/recheck", follow=True)
    assert "links are checked once it has been sent" in response.content.decode()
    assert not LinkCheck.objects.exists()
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "aman.escalations.tasks.escalation_recheck_due_task" in tasks


def test_retention_keeps_the_statuses_without_the_links(
    site: Site, agent: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from aman.cases.retention import case_purge_reporter_data

    escalation = _sent_escalation(site, agent, django_capture_on_commit_callbacks, "/gone")
    rechecks.escalation_recheck(escalation_id=escalation.pk)
    case_purge_reporter_data(case_id=escalation.case_id)
    (check,) = LinkCheck.objects.filter(escalation=escalation)
    assert check.status_code == 404 and check.item is None
