"""The public pages and the console through HTTP, as a browser without JavaScript uses them."""

import re

import pytest
from django.test import Client

from aman.audit.models import AuditEvent
from aman.cases.models import Message
from aman.cases.tests.factories import submit_report
from aman.guides.models import Assessment, GuideVersion, SelfCheckResult

pytestmark = pytest.mark.django_db


def _lang(client: Client, code: str) -> None:
    client.get(f"/lang/{code}/?next=/")


def test_guide_list_and_detail_in_arabic_rtl(client: Client, seeded) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/guides/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "حماية الحساب من الإِختِراق" in html and "إذا تعرّضت للابتزاز" in html
    detail = client.get("/guides/lock-your-account/").content.decode()
    assert "<h2>التحقق بخطوتين</h2>" in detail
    assert 'rel="noopener noreferrer nofollow"' in detail
    assert "<script" not in detail.split("<main")[1]


def test_guide_in_french_and_other_language_fallback(client: Client, seeded) -> None:  # type: ignore[no-untyped-def]
    _lang(client, "fr")
    html = client.get("/guides/lock-your-account/").content.decode()
    assert '<html lang="fr" dir="ltr">' in html and "Protéger votre compte" in html
    blackmail = client.get("/guides/blackmail-first-steps/").content.decode()
    assert 'lang="ar" dir="rtl"' in blackmail  # no French text: the Arabic one, marked as such
    assert client.get("/guides/lock-your-account/?lang=ckb").content.decode().count("پاراستنی هەژمار") >= 1


def test_search_page_with_arabic_variants(client: Client, seeded) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/guides/", {"q": "اختراق"}).content.decode()
    assert html.count('data-testid="guide-card"') == 1 and "lock-your-account" in html
    html = client.get("/guides/", {"q": "ابتزاز"}).content.decode()
    assert html.count('data-testid="guide-card"') == 1 and "blackmail-first-steps" in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 5000},
        {"q": "<script>alert(1)</script>"},
        {"q": "\u202e\x00"},
        {"topic": "nope"},
        {"platform": "<b>"},
    ],
)
def test_search_survives_hostile_input(client: Client, seeded, params) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/guides/", params)
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()


def test_unknown_and_unpublished_guides_are_404(client: Client, seeded, agent) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/guides/nothing-here/").status_code == 404
    GuideVersion.objects.filter(guide__slug="blackmail-first-steps").update(state="draft")
    assert client.get("/guides/blackmail-first-steps/").status_code == 404


# ---------------------------------------------------------------- self-check


def test_selfcheck_scores_and_stores_nothing(client: Client, seeded) -> None:  # type: ignore[no-untyped-def]
    assert "Instagram" in client.get("/self-check/").content.decode()
    form = client.get("/self-check/instagram/").content.decode()
    assert "هل فعّلت التحقق بخطوتين؟" in form
    response = client.post("/self-check/instagram/", {"q_two_factor": "no", "q_private": "yes"})
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'data-testid="score"><span dir="ltr">25%', html)  # weight 1 of 4
    assert "فعّل التحقق بخطوتين." in html and "/guides/lock-your-account/" in html
    assert (
        SelfCheckResult.objects.count() == 0 and AuditEvent.objects.filter(event_type__startswith="guide").count() == 1
    )


def test_selfcheck_all_yes_and_unsure(client: Client, seeded) -> None:  # type: ignore[no-untyped-def]
    html = client.post("/self-check/instagram/", {"q_two_factor": "yes", "q_private": "yes"}).content.decode()
    assert ">100%<" in html and 'data-testid="next-step"' not in html
    html = client.post("/self-check/instagram/", {"q_two_factor": "yes", "q_private": "unsure"}).content.decode()
    assert ">75%<" in html and html.count('data-testid="next-step"') == 1


@pytest.mark.parametrize(
    "data",
    [{}, {"q_two_factor": "maybe", "q_private": "yes"}, {"q_two_factor": "<script>", "q_private": "\x00"}],
)
def test_selfcheck_bad_answers_are_asked_again(client: Client, seeded, data) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/self-check/instagram/", data)
    assert response.status_code == 400
    assert "error-box" in response.content.decode()


def test_selfcheck_unknown_platform_is_404(client: Client, seeded) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/self-check/myspace/").status_code == 404
    assert client.get("/self-check/tiktok/").status_code == 404  # no file for it in the fixture


def test_selfcheck_saved_only_on_request_and_deletable(client: Client, seeded) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/self-check/instagram/", {"q_two_factor": "no", "q_private": "yes", "save": "1"})
    assert response.status_code == 302
    link = response["Location"]
    token = link.rstrip("/").split("/")[-1]
    assert len(token) == 16
    result = SelfCheckResult.objects.get()
    assert result.answers == {"two_factor": "no", "private": "yes"} and token not in result.token_hash
    html = client.get(link).content.decode()
    assert ">25%<" in html and "saved-link" in html
    assert Client().get(link).status_code == 200  # the link works on another device
    assert client.get("/self-check/r/wrong-token-123/").status_code == 404
    assert client.post(f"/self-check/r/{token}/delete/").status_code == 200
    assert SelfCheckResult.objects.count() == 0
    assert client.get(link).status_code == 404
    assert client.post(f"/self-check/r/{token}/delete/").status_code == 404


# ---------------------------------------------------------------- public risk assessment

RISK_ANSWERS = {"passwords__who": "one", "comments__policy": "yes", "report_language": "ar"}


def test_public_risk_register_sorted_by_score_and_nothing_stored(client: Client, seeded) -> None:  # type: ignore[no-untyped-def]
    html = client.post("/risk-assessment/", {**RISK_ANSWERS, "action": "show"}).content.decode()
    rows = re.findall(r'data-risk="([a-z_]+)"><td>[^<]*</td><td>(\d)</td><td>(\d)</td><td><strong>(\d+)<', html)
    assert rows == [("passwords", "5", "5", "25"), ("comments", "2", "2", "4")]
    assert Assessment.objects.count() == 0


def test_public_risk_pdf_in_the_chosen_language(client: Client, seeded) -> None:  # type: ignore[no-untyped-def]
    from aman.core.tests.pdfcheck import pdf_text

    response = client.post("/risk-assessment/", {**RISK_ANSWERS, "report_language": "fr", "action": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "Mots de passe détenus par une seule personne" in text and "Utiliser un coffre-fort" in text
    assert Assessment.objects.count() == 0


def test_public_risk_form_errors(client: Client, seeded) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/risk-assessment/", {"passwords__who": "<script>", "report_language": "xx"})
    assert response.status_code == 400
    assert "<script>" not in response.content.decode().split("<main")[1].replace("&lt;script&gt;", "")


# ---------------------------------------------------------------- reporter after a report, agent sends a guide


def test_reporter_sees_guides_for_their_category_after_submitting(client: Client, seeded) -> None:  # type: ignore[no-untyped-def]
    data = {
        "category": "sextortion",
        "description": "شخص يهددني بنشر صور",
        "affected": "me",
        "age_band": "18_plus",
        "contact_method": "none",
    }
    html = client.post("/report/", data).content.decode()
    assert 'data-testid="category-guides"' in html and "إذا تعرّضت للابتزاز" in html
    html = client.post("/report/", {**data, "category": "hate_speech"}).content.decode()
    assert 'data-testid="category-guides"' not in html


def test_agent_sends_a_guide_in_the_cases_language(client: Client, seeded, agent) -> None:  # type: ignore[no-untyped-def]
    case = submit_report(category="sextortion", language="en").case
    client.force_login(agent)
    page = client.get(f"/console/cases/{case.reference}/").content.decode()
    assert 'data-testid="send-guide"' in page and 'value="blackmail-first-steps"' in page
    response = client.post(f"/console/guides/send/{case.reference}/", {"guide": "blackmail-first-steps"})
    assert response.status_code == 302
    message = Message.objects.get(case=case)
    assert "If someone is blackmailing you" in message.body
    assert "You are not alone" in message.body
    assert "/guides/blackmail-first-steps/?lang=en" in message.body
    assert AuditEvent.objects.filter(event_type="case.message_sent", case=case).count() == 1


def test_sending_a_guide_not_in_the_cases_language_is_refused(client: Client, seeded, agent) -> None:  # type: ignore[no-untyped-def]
    case = submit_report(category="sextortion", language="fr").case
    client.force_login(agent)
    for slug in ("blackmail-first-steps", "no-such-guide", "<script>", ""):
        client.post(f"/console/guides/send/{case.reference}/", {"guide": slug})
    assert not Message.objects.filter(case=case).exists()


# ---------------------------------------------------------------- console


def test_console_edit_review_publish_round_trip(client: Client, seeded, agent, supervisor) -> None:  # type: ignore[no-untyped-def]
    client.force_login(agent)
    assert "lock-your-account" in client.get("/console/guides/").content.decode()
    edit = client.get("/console/guides/lock-your-account/en/edit/").content.decode()
    assert "Lock your account" in edit  # starts from the newest version
    preview = client.post(
        "/console/guides/lock-your-account/en/edit/",
        {"title": "T", "summary": "S", "body_markdown": "## Hi <script>x</script>", "action": "preview"},
    ).content.decode()
    assert "<h2>Hi" in preview and "<script>x" not in preview
    response = client.post(
        "/console/guides/lock-your-account/en/edit/",
        {"title": "Lock it", "summary": "Two steps.", "body_markdown": "## New text", "action": "save"},
    )
    assert response.status_code == 302 and response["Location"].endswith("/en/2/")
    assert client.post("/console/guides/lock-your-account/en/2/publish/").status_code == 403
    client.force_login(supervisor)
    client.post("/console/guides/lock-your-account/en/2/review/")
    client.post("/console/guides/lock-your-account/en/2/publish/")
    public = Client()
    _lang(public, "en")
    assert "New text" in public.get("/guides/lock-your-account/").content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"title": "", "summary": "S", "body_markdown": "B"},
        {"title": "\u202e\x00", "summary": "S", "body_markdown": "B"},
        {"title": "T", "summary": "S", "body_markdown": "x" * 70_000},
        {"title": "x" * 500, "summary": "S", "body_markdown": "B"},
    ],
)
def test_console_edit_rejects_bad_input_and_keeps_it(client: Client, seeded, agent, data) -> None:  # type: ignore[no-untyped-def]
    client.force_login(agent)
    count = GuideVersion.objects.count()
    response = client.post("/console/guides/lock-your-account/ar/edit/", {**data, "action": "save"})
    assert response.status_code == 400 and GuideVersion.objects.count() == count
    assert "error-box" in response.content.decode()


def test_console_create_guide_and_details(client: Client, seeded, supervisor) -> None:  # type: ignore[no-untyped-def]
    client.force_login(supervisor)
    bad = client.post("/console/guides/new/", {"slug": "New", "topic": "privacy", "order": "1"})
    assert bad.status_code == 400
    taken = client.post("/console/guides/new/", {"slug": "lock-your-account", "topic": "privacy", "order": "1"})
    assert taken.status_code == 302
    response = client.post(
        "/console/guides/new/", {"slug": "privacy-basics", "topic": "privacy", "platforms": ["x"], "order": "5"}
    )
    assert response.status_code == 302 and response["Location"].endswith("/console/guides/privacy-basics/")
    client.post(
        "/console/guides/lock-your-account/details/",
        {"topic": "privacy", "categories": ["scam_fraud"], "order": "3"},
    )
    from aman.guides.models import Guide

    guide = Guide.objects.get(slug="lock-your-account")
    assert guide.categories == ",scam_fraud," and not guide.meta_from_seed
