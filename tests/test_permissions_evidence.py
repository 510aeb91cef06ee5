"""Role × view matrix over the evidence views. A denied request changes nothing and writes no audit event.

The case belongs to ``other_agent``: our ``agent`` cannot reach it, so its evidence does not exist
for them (404), exactly like the case itself.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from aman.audit.models import AuditEvent
from aman.evidence import services
from aman.evidence.models import Blob, EvidenceItem, EvidencePacket, SufficiencyCheck, ViewerPreference
from aman.evidence.tests import files
from tests.test_permissions import ROLES, _client
from tests.test_permissions import world as world

pytestmark = pytest.mark.django_db

CASE_STAFF = {"other_agent", "supervisor", "admin"}
Request = Callable[[Client, dict[str, Any]], Any]


@pytest.fixture
def vault(world: dict[str, Any], tmp_path: Any, settings: Any) -> dict[str, Any]:
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    case = world["case"]
    case.category = "sextortion"
    case.save(update_fields=["category"])
    holder = world["users"]["other_agent"]
    item = services.evidence_files_add(
        case=case, files=[files.upload("a.png", files.encoded("PNG"))], by_reporter=False, acting_user=holder
    ).added[0]
    packet = services.evidence_packet_build(case=case, items=[item], target="TikTok", acting_user=holder)
    return {**world, "item": item, "packet": packet}


def _base(w: dict[str, Any]) -> str:
    return f"/console/cases/{w['case'].reference}/evidence/"


VIEWS: dict[str, tuple[Request, set[str]]] = {
    "upload": (lambda c, w: c.post(_base(w) + "upload", {"evidence": [files.upload("b.txt", b"chat")]}), CASE_STAFF),
    "item": (lambda c, w: c.get(_base(w) + f"{w['item'].pk}/"), CASE_STAFF),
    "preview": (lambda c, w: c.get(_base(w) + f"{w['item'].pk}/preview"), CASE_STAFF),
    "reveal": (lambda c, w: c.get(_base(w) + f"{w['item'].pk}/preview?reveal=1"), CASE_STAFF),
    "view": (lambda c, w: c.get(_base(w) + f"{w['item'].pk}/view"), CASE_STAFF),
    "original": (lambda c, w: c.get(_base(w) + f"{w['item'].pk}/original"), CASE_STAFF),
    "packet": (lambda c, w: c.post(_base(w) + "packet", {"target": "Meta", "evidence": [w["item"].pk]}), CASE_STAFF),
    "packet_download": (lambda c, w: c.get(_base(w) + f"packets/{w['packet'].pk}"), CASE_STAFF),
    "checklist": (
        lambda c, w: c.post(_base(w) + "checklist", {"requirement": "messages_with_date", "met": "on"}),
        CASE_STAFF,
    ),
    "request": (lambda c, w: c.post(_base(w) + "request"), CASE_STAFF),
    "preferences": (
        lambda c, w: c.post("/console/evidence/preferences", {"blur": ""}),
        {"agent", "other_agent", "supervisor", "admin"},
    ),
}


def _snapshot(w: dict[str, Any]) -> tuple[int, ...]:
    return (
        AuditEvent.objects.count(),
        EvidenceItem.objects.count(),
        Blob.objects.count(),
        EvidencePacket.objects.count(),
        SufficiencyCheck.objects.count(),
        ViewerPreference.objects.count(),
        w["case"].messages.count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_evidence_matrix(vault: dict[str, Any], role: str, view: str) -> None:
    request, allowed = VIEWS[view]
    client = _client(vault, role)
    before = _snapshot(vault)
    response = request(client, vault)
    if role in allowed:
        assert response.status_code in (200, 302), (view, role, response.status_code)
        if response.status_code == 302:
            assert "/accounts/sign-in/" not in response["Location"]
        if view != "preferences":
            assert AuditEvent.objects.count() > before[0], "evidence views and changes are audited"
        return
    if role in {"anonymous", "reporter", "inactive"}:
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    elif role == "agent":
        assert response.status_code == 404
    else:
        assert response.status_code in (403, 404), (view, role, response.status_code)
    assert _snapshot(vault) == before


def test_evidence_of_another_case_is_unreachable_through_a_case_the_agent_holds(vault: dict[str, Any]) -> None:
    from aman.cases.tests.factories import submit_report

    mine = submit_report().case
    client = _client(vault, "agent")  # may see unassigned cases, like `mine`
    item_elsewhere = vault["item"].pk
    response = client.get(f"/console/cases/{mine.reference}/evidence/{item_elsewhere}/original")
    assert response.status_code == 404
