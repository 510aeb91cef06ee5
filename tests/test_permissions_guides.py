"""Role × view matrix over every page of aman.guides.

Public pages answer everyone. Console pages: helpline staff write guide drafts; supervisors and
admins create guides, review, publish and run risk assessments; sending a guide needs the case
within reach. Each denied request changes nothing and writes no audit event.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from aman.accounts.models import Role
from aman.accounts.tests.factories import UserFactory
from aman.audit.models import AuditEvent
from aman.cases import services as case_services
from aman.cases.models import Message
from aman.cases.tests.factories import submit_report
from aman.guides import services
from aman.guides.definitions import risk_questionnaire
from aman.guides.models import Assessment, Guide, GuideVersion, Organisation, SelfCheckResult
from aman.guides.tests.factories import FIXTURE_SEED

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "no_role",
    "inactive",
    "programme_manager",
    "trainer",
    "agent",
    "other_agent",
    "supervisor",
    "admin",
]
STAFF = {"agent", "other_agent", "supervisor", "admin"}
LEADS = {"supervisor", "admin"}
SIGN_IN = "/accounts/sign-in/"


@pytest.fixture(autouse=True)
def _seed_dir(settings: Any) -> None:
    settings.AMAN_GUIDES_SEED_DIR = str(FIXTURE_SEED)


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    users = {
        "no_role": UserFactory(role="", username="norole"),
        "inactive": UserFactory(role=Role.SUPERVISOR, username="gone", is_active=False),
        "programme_manager": UserFactory(role=Role.PROGRAMME_MANAGER, username="manager"),
        "trainer": UserFactory(role=Role.TRAINER, username="trainer"),
        "agent": UserFactory(role=Role.AGENT, username="agent"),
        "other_agent": UserFactory(role=Role.AGENT, username="agent_b"),
        "supervisor": UserFactory(role=Role.SUPERVISOR, username="supervisor"),
        "admin": UserFactory(role=Role.ADMIN, username="admin"),
    }
    services.guides_seed(directory=FIXTURE_SEED)
    guide = Guide.objects.get(slug="lock-your-account")
    draft = services.guide_draft_save(
        guide=guide, language="en", title="T", summary="S", body_markdown="## B", acting_user=users["agent"]
    )
    case = submit_report(category="sextortion", language="ar").case
    case_services.case_assign(case=case, assignee=users["other_agent"], acting_user=users["supervisor"])
    organisation = Organisation.objects.create(name="Synthetic ministry", kind="ministry")
    questionnaire = risk_questionnaire()
    assert questionnaire is not None
    assessment = services.assessment_create(
        organisation=organisation,
        questionnaire=questionnaire,
        answers={"passwords__who": "one", "comments__policy": "no"},
        language="ar",
        acting_user=users["supervisor"],
    )
    return {"users": users, "case": case, "draft": draft, "organisation": organisation, "assessment": assessment}


def _client(world: dict[str, Any], role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def _snapshot() -> dict[str, Any]:
    return {
        "guides": list(Guide.objects.order_by("id").values_list("slug", "topic", "categories", "order")),
        "versions": list(GuideVersion.objects.order_by("id").values_list("id", "state", "title")),
        "organisations": Organisation.objects.count(),
        "assessments": Assessment.objects.count(),
        "messages": Message.objects.count(),
        "selfchecks": SelfCheckResult.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


Request = Callable[[Client, dict[str, Any]], Any]
EVERYONE = {"anonymous", *ROLES}

RISK = {"passwords__who": "vault", "comments__policy": "yes", "report_language": "fr"}
VIEWS: dict[str, tuple[Request, set[str], bool]] = {
    # name: (request, roles allowed, whether an allowed request must be audited)
    "public_list": (lambda c, w: c.get("/guides/?q=اختراق"), EVERYONE, False),
    "public_detail": (lambda c, w: c.get("/guides/lock-your-account/"), EVERYONE, False),
    "selfcheck_index": (lambda c, w: c.get("/self-check/"), EVERYONE, False),
    "selfcheck_post": (
        lambda c, w: c.post("/self-check/instagram/", {"q_two_factor": "yes", "q_private": "no"}),
        EVERYONE,
        False,
    ),
    "risk_public": (lambda c, w: c.post("/risk-assessment/", {**RISK, "action": "show"}), EVERYONE, False),
    "console_list": (lambda c, w: c.get("/console/guides/"), STAFF, False),
    "console_guide": (lambda c, w: c.get("/console/guides/lock-your-account/"), STAFF, False),
    "console_edit_get": (lambda c, w: c.get("/console/guides/lock-your-account/ar/edit/"), STAFF, False),
    "console_edit_post": (
        lambda c, w: c.post(
            "/console/guides/lock-your-account/ar/edit/",
            {"title": "T", "summary": "S", "body_markdown": "B", "action": "save"},
        ),
        STAFF,
        True,
    ),
    "console_version": (lambda c, w: c.get("/console/guides/lock-your-account/en/2/"), STAFF, False),
    "console_create": (
        lambda c, w: c.post("/console/guides/new/", {"slug": "fresh", "topic": "privacy", "order": "1"}),
        LEADS,
        True,
    ),
    "console_meta": (
        lambda c, w: c.post("/console/guides/lock-your-account/details/", {"topic": "privacy", "order": "2"}),
        LEADS,
        True,
    ),
    "console_review": (lambda c, w: c.post("/console/guides/lock-your-account/en/2/review/"), LEADS, True),
    "console_publish": (lambda c, w: c.post("/console/guides/lock-your-account/en/2/publish/"), LEADS, True),
    "send_guide": (
        lambda c, w: c.post(f"/console/guides/send/{w['case'].reference}/", {"guide": "blackmail-first-steps"}),
        {"other_agent", "supervisor", "admin"},  # our agent cannot reach the other agent's case
        True,
    ),
    "organisations": (lambda c, w: c.get("/console/assessments/"), LEADS, False),
    "organisation_create": (
        lambda c, w: c.post("/console/assessments/", {"name": "New team", "kind": "local"}),
        LEADS,
        True,
    ),
    "organisation": (lambda c, w: c.get(f"/console/assessments/organisations/{w['organisation'].pk}/"), LEADS, False),
    "assessment_new_get": (
        lambda c, w: c.get(f"/console/assessments/organisations/{w['organisation'].pk}/new/"),
        LEADS,
        False,
    ),
    "assessment_new_post": (
        lambda c, w: c.post(f"/console/assessments/organisations/{w['organisation'].pk}/new/", RISK),
        LEADS,
        True,
    ),
    "assessment": (lambda c, w: c.get(f"/console/assessments/{w['assessment'].pk}/"), LEADS, False),
    "assessment_pdf": (lambda c, w: c.get(f"/console/assessments/{w['assessment'].pk}/pdf/"), LEADS, True),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_guides_matrix(world: dict[str, Any], role: str, view: str) -> None:
    request, allowed, audited = VIEWS[view]
    client = _client(world, role)
    before = _snapshot()
    response = request(client, world)
    if role in allowed:
        assert response.status_code in (200, 302), (view, role, response.status_code)
        if response.status_code == 302:
            assert SIGN_IN not in response["Location"]
        if audited:
            assert AuditEvent.objects.count() > before["audit"], "allowed changes and exports are audited"
        else:
            assert AuditEvent.objects.count() == before["audit"]
        return
    if role in {"anonymous", "inactive"}:
        assert response.status_code == 302 and SIGN_IN in response["Location"], (view, role)
    else:
        assert response.status_code in (403, 404), (view, role, response.status_code)
    assert _snapshot() == before


def test_a_denied_publish_leaves_the_draft_unpublished(world: dict[str, Any]) -> None:
    client = _client(world, "agent")
    assert client.post("/console/guides/lock-your-account/en/2/publish/").status_code == 403
    world["draft"].refresh_from_db()
    assert world["draft"].state == "draft"
