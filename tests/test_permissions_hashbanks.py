"""Role x view matrix over every hash-bank page and endpoint. A denied request changes nothing
and writes no audit event."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from aman.accounts.models import Role
from aman.accounts.tests.factories import UserFactory
from aman.audit.models import AuditEvent
from aman.cases.tests.factories import submit_report
from aman.evidence import services as evidence_services
from aman.evidence.tests import files as evidence_files
from aman.hashbanks import case_services, services
from aman.hashbanks.matching import index_reset
from aman.hashbanks.models import BankedHash, HashBank, HashFeedback

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "no_role", "inactive", "programme_manager", "trainer", "agent", "supervisor", "admin"]
STAFF = {"agent", "supervisor", "admin"}
MANAGERS = {"supervisor", "admin"}


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    index_reset()
    users = {
        "no_role": UserFactory(role="", username="norole"),
        "inactive": UserFactory(role=Role.SUPERVISOR, username="gone", is_active=False),
        "programme_manager": UserFactory(role=Role.PROGRAMME_MANAGER, username="manager"),
        "trainer": UserFactory(role=Role.TRAINER, username="trainer"),
        "agent": UserFactory(role=Role.AGENT, username="agent"),
        "supervisor": UserFactory(role=Role.SUPERVISOR, username="supervisor"),
        "admin": UserFactory(role=Role.ADMIN, username="admin"),
    }
    bank = services.bank_create(name="b", kind="own", category="ncii", acting_user=None)
    row = services.hash_add(bank=bank, signal_type="pdq", value="ab" * 32, acting_user=None)
    pending = services.reporter_hash_submit(pdq="cd" * 32, quality=90, consent=True)
    # A case with a reporter's picture codes, and an evidence file that can be banked.
    case = submit_report(category="ncii", description="synthetic").case
    case_services.reporter_hashes_attach(
        case=case, hashes=case_services.PictureHashes(pdq=("ef" * 32,), quality=90), consent=True
    )
    item = evidence_services.evidence_files_add(
        case=case, files=[evidence_files.upload("x.jpg", evidence_files.encoded("JPEG"))], by_reporter=True
    ).added[0]
    return {"users": users, "bank": bank, "row": row, "pending": pending, "case": case, "item": item}


def _snapshot() -> dict[str, Any]:
    return {
        "banks": list(HashBank.objects.order_by("id").values()),
        "hashes": list(BankedHash.objects.order_by("id").values()),
        "feedback": HashFeedback.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


Request = Callable[[Client, dict[str, Any]], Any]
NEW_BANK = {"name": "new", "kind": "own", "category": "ncii", "threshold": "31"}

VIEWS: dict[str, tuple[Request, set[str]]] = {
    "banks": (lambda c, w: c.get("/console/hashbanks/"), MANAGERS),
    "bank_create": (lambda c, w: c.post("/console/hashbanks/", NEW_BANK), MANAGERS),
    "bank": (lambda c, w: c.get(f"/console/hashbanks/{w['bank'].pk}/"), MANAGERS),
    "bank_edit": (lambda c, w: c.post(f"/console/hashbanks/{w['bank'].pk}/edit/", {"threshold": "20"}), MANAGERS),
    "add": (
        lambda c, w: c.post(f"/console/hashbanks/{w['bank'].pk}/add/", {"signal_type": "md5", "value": "a" * 32}),
        MANAGERS,
    ),
    "withdraw": (
        lambda c, w: c.post(f"/console/hashbanks/hashes/{w['row'].pk}/withdraw/", {"reason": "x"}),
        MANAGERS,
    ),
    "review": (
        lambda c, w: c.post(f"/console/hashbanks/hashes/{w['pending'].pk}/review/", {"decision": "accept"}),
        MANAGERS,
    ),
    "export": (lambda c, w: c.get(f"/console/hashbanks/{w['bank'].pk}/export/?format=csv"), MANAGERS),
    "lookup": (lambda c, w: c.post("/console/hashbanks/lookup/", {"hashes": "ab" * 32}), STAFF),
    "api_match": (
        lambda c, w: c.post("/api/v1/hashes/match", {"pdq": ["ab" * 32]}, content_type="application/json"),
        STAFF,
    ),
    "api_fetch": (lambda c, w: c.get("/api/v1/hashes/fetch"), MANAGERS),
    "api_feedback": (
        lambda c, w: c.post(
            "/api/v1/hashes/feedback",
            {"hash_id": w["row"].pk, "verdict": "true_positive"},
            content_type="application/json",
        ),
        STAFF,
    ),
    "api_banks": (lambda c, w: c.get("/api/v1/hashes/banks"), STAFF),
    "case_hashes": (lambda c, w: c.get(f"/console/hashbanks/cases/{w['case'].reference}/"), MANAGERS),
    "case_withdraw": (
        lambda c, w: c.post(f"/console/hashbanks/cases/{w['case'].reference}/", {"reason": "asked by phone"}),
        MANAGERS,
    ),
    "bank_evidence": (
        lambda c, w: c.post(f"/console/hashbanks/cases/{w['case'].reference}/evidence/{w['item'].pk}/bank/"),
        MANAGERS,
    ),
}
READS_NOT_AUDITED = {"banks", "bank", "api_banks", "case_hashes"}


def _client(world: dict[str, Any], role: str, api: bool) -> Client:
    if role == "anonymous":
        return Client()
    user = world["users"][role]
    if api:
        return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_hashbank_matrix(world: dict[str, Any], role: str, view: str) -> None:
    request, allowed = VIEWS[view]
    api = view.startswith("api_")
    client = _client(world, role, api)
    before = _snapshot()
    response = request(client, world)
    if role in allowed:
        assert response.status_code in (200, 201, 302), (view, role, response.status_code)
        if response.status_code == 302:
            assert "/accounts/sign-in/" not in response["Location"]
        if view not in READS_NOT_AUDITED:
            assert AuditEvent.objects.count() > before["audit"], "allowed actions are audited"
        return
    if api:
        assert response.status_code in (401, 403), (view, role, response.status_code)
    elif role in {"anonymous", "inactive"}:
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    else:
        assert response.status_code in (403, 404), (view, role, response.status_code)
    assert _snapshot() == before


# The reporter's pages are public (no account): protecting needs a report (new, or the reference
# and follow-up code); withdrawing needs the report opened with its code. Without it, nothing changes.


@pytest.mark.parametrize("role", ROLES)
def test_withdraw_page_needs_the_follow_up_code_whoever_asks(world: dict[str, Any], role: str) -> None:
    client = _client(world, role, api=False)
    assert client.get("/protect-my-image/withdraw/").status_code == 200
    before = _snapshot()
    assert client.post("/protect-my-image/withdraw/", {"confirm": "yes"}).status_code == 400
    assert (
        client.post(
            "/protect-my-image/withdraw/", {"reference": world["case"].reference, "code": "NOT-THE-CODE"}
        ).status_code
        == 400
    )
    after = _snapshot()
    assert after["hashes"] == before["hashes"] and after["banks"] == before["banks"]
    assert not AuditEvent.objects.filter(event_type="hashbank.hash_withdrawn").exists()


@pytest.mark.parametrize("role", ROLES)
def test_protect_page_without_a_valid_report_keeps_nothing(world: dict[str, Any], role: str) -> None:
    client = _client(world, role, api=False)
    assert client.get("/protect-my-image/").status_code == 200
    before = _snapshot()
    response = client.post(
        "/protect-my-image/",
        {
            "kind": "image",
            "pdq": "12" * 32,
            "quality": "90",
            "attach": "existing",
            "reference": world["case"].reference,
            "code": "NOT-THE-CODE",
            "consent": "on",
        },
    )
    assert response.status_code == 400
    assert _snapshot()["hashes"] == before["hashes"]
